namespace DealRisk.Storage;

public interface IDocumentStore
{
    /// <param name="name">The collection (MongoDB) or table (SQLite).</param>
    /// <param name="indexedFields">Top-level element names that FindAsync and CountAsync may filter on.</param>
    IDocumentCollection<T> GetCollection<T>(string name, params string[] indexedFields) where T : class;

    /// <summary>Reads from the store (its schema on SQLite, a ping on MongoDB); throws when it cannot be used.</summary>
    Task PingAsync(CancellationToken ct = default);
}
