using MongoDB.Driver;

namespace DealRisk.Storage;

internal static class MongoErrors
{
    public static bool IsDuplicateKey(MongoWriteException exception) =>
        exception.WriteError?.Category == ServerErrorCategory.DuplicateKey;

    /// <summary>IndexOptionsConflict (85) or IndexKeySpecsConflict (86): an index on these keys exists already.</summary>
    public static bool IsIndexAlreadyThere(MongoCommandException exception) => exception.Code is 85 or 86;
}
