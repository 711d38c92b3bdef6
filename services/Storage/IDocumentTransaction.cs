namespace DealRisk.Storage;

/// <summary>
/// Writes to several collections of one store that are committed together or not at all
/// (<see cref="IDocumentStore.WriteTogetherAsync{TResult}"/>). Only the writes made through it belong to the
/// transaction; the collections' own write methods must not be called inside it.
/// </summary>
public interface IDocumentTransaction
{
    /// <summary><see cref="IDocumentCollection{T}.UpsertManyIfNewerAsync"/> inside the transaction; returns the ids it wrote.</summary>
    Task<IReadOnlySet<string>> UpsertManyIfNewerAsync<T>(IDocumentCollection<T> collection, IReadOnlyCollection<VersionedDocument<T>> documents) where T : class;

    /// <summary><see cref="IBinaryCollection.UpsertManyIfNewerAsync"/> inside the transaction; returns the ids it wrote.</summary>
    Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IBinaryCollection collection, IReadOnlyCollection<BinaryRow> rows);

    /// <summary><see cref="IDocumentCollection{T}.UpsertAsync"/> inside the transaction.</summary>
    Task UpsertAsync<T>(IDocumentCollection<T> collection, string id, T document) where T : class;
}
