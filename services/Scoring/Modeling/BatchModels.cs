using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.Modeling;

/// <summary>Which model a batch is scored by: its version (null for the rules), pinned when its first chunk is scored.</summary>
public sealed record BatchModelPin
{
    public string? ModelVersion { get; init; }
    public required DateTimeOffset PinnedAt { get; init; }
}

/// <summary>
/// One model per batch across every scoring replica: the first chunk scored pins the model served at that moment in
/// the store, and every later chunk of the batch is scored by that model even after a promotion or a fallback.
/// </summary>
public sealed class BatchModels(ScoreStore store, ServedModels served, TimeProvider time)
{
    public async Task<ServedModelLookup> ForBatchAsync(Guid batchId, ServedModelLookup current, CancellationToken cancellationToken)
    {
        var id = batchId.ToString("N");
        var servedVersion = current.Model?.Record.ModelVersion;
        if (await store.BatchModels.InsertIfAbsentAsync(id, new BatchModelPin { ModelVersion = servedVersion, PinnedAt = time.GetUtcNow() }, cancellationToken))
            return current;
        var pinned = (await store.BatchModels.GetAsync(id, cancellationToken))?.ModelVersion;
        if (pinned == servedVersion)
            return current;
        return pinned is null ? new ServedModelLookup(null) : new ServedModelLookup(await served.LoadAsync(pinned, cancellationToken));
    }
}
