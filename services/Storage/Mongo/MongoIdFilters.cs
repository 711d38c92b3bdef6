using MongoDB.Bson;
using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>A long list of ids as filters on the id element, a thousand ids each, so no single query grows with the list.</summary>
internal static class MongoIdFilters
{
    private const int IdsPerFilter = 1000;

    public static IEnumerable<FilterDefinition<BsonDocument>> In(IEnumerable<string> ids) =>
        ids.Chunk(IdsPerFilter).Select(batch => Builders<BsonDocument>.Filter.In(DocumentEnvelope.IdElement, batch));
}
