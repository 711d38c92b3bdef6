namespace DealRisk.Storage;

public enum StorageProvider
{
    /// <summary>A SQLite file per service under <see cref="StorageOptions.DataDirectory"/>.</summary>
    Embedded,

    /// <summary>A database per service on the server at <see cref="StorageOptions.MongoDbUrl"/>.</summary>
    MongoDb,
}
