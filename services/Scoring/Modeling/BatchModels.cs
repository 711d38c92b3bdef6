using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.Modeling;

/// <summary>Which model a batch is scored by: its version (null for the rules), pinned when its first chunk is scored.</summary>
public sealed record BatchModelPin
{
    public string? ModelVersion { get; init; }
    /// <summary>Why the batch is scored by the rules (no model, drift seen in its first chunk), when it is.</summary>
    public string? RulesReason { get; init; }
    public required DateTimeOffset PinnedAt { get; init; }
}

/// <summary>
/// One model per batch across every scoring replica: the first chunk scored pins the model served at that moment in
/// the store, and every later chunk of the batch is scored by that model even after a promotion or a fallback (drift
/// seen in a later chunk hands the next batches over to the rules, never the rest of this one).
/// </summary>
public sealed class BatchModels(ScoreStore store, ServedModels served, TimeProvider time)
{
    public async Task<ServedModelLookup> ForBatchAsync(Guid batchId, ServedModelLookup current, CancellationToken cancellationToken)
    {
        var id = batchId.ToString("N");
        var servedVersion = current.Model?.Record.ModelVersion;
        var pin = new BatchModelPin { ModelVersion = servedVersion, RulesReason = current.Model is null ? current.Failure ?? current.RulesReason : null, PinnedAt = time.GetUtcNow() };
        if (await store.BatchModels.InsertIfAbsentAsync(id, pin, cancellationToken))
            return current;
        var pinned = await store.BatchModels.GetAsync(id, cancellationToken);
        if (pinned is null || (pinned.ModelVersion == servedVersion && (servedVersion is not null || pinned.RulesReason is null)))
            return current;
        return pinned.ModelVersion is { } version
            ? new ServedModelLookup(await served.LoadAsync(version, cancellationToken))
            : new ServedModelLookup(null, RulesReason: pinned.RulesReason);
    }
}
