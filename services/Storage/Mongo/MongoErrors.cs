using MongoDB.Driver;

namespace DealRisk.Storage;

internal static class MongoErrors
{
    public static bool IsDuplicateKey(MongoWriteException exception) =>
        exception.WriteError?.Category == ServerErrorCategory.DuplicateKey;
}
