using DealRisk.Contracts;
using DealRisk.Storage;

namespace DealRisk.Scoring.Storage;

/// <summary>
/// Gathers what a step of a batch waits for, one part per chunk and the batch's manifest, and runs the step once all
/// the parts the manifest announces are in. A batch already completed is not done again; two steps racing to complete
/// it do the same work, so the completion is claimed after the work and a failure part-way retries it.
/// </summary>
public sealed class BatchParts<TPart>(
    IDocumentCollection<DailyBatchSynced> manifests,
    IDocumentCollection<TPart> parts,
    IDocumentCollection<TrainingClaim> completions,
    Func<DailyBatchSynced, int> expectedParts,
    TimeProvider time) where TPart : class
{
    /// <summary>The field the parts collection is indexed by: every part names its batch in it.</summary>
    public const string BatchIdField = "batchId";

    public async Task<bool> CompletedAsync(Guid batchId, CancellationToken cancellationToken) =>
        await completions.GetAsync(batchId.ToString("N"), cancellationToken) is not null;

    public Task AddPartAsync(Guid batchId, int chunkIndex, TPart part, CancellationToken cancellationToken) =>
        parts.InsertIfAbsentAsync($"{batchId:N}:{chunkIndex}", part, cancellationToken);

    public Task AddManifestAsync(DailyBatchSynced manifest, CancellationToken cancellationToken) =>
        manifests.InsertIfAbsentAsync(manifest.BatchId.ToString("N"), manifest, cancellationToken);

    /// <summary>Runs <paramref name="complete"/> on the manifest and every part once all are in, then forgets them; otherwise does nothing.</summary>
    public async Task CompleteWhenAllInAsync(Guid batchId, Func<DailyBatchSynced, IReadOnlyList<TPart>, Task> complete, CancellationToken cancellationToken)
    {
        var id = batchId.ToString("N");
        if (await manifests.GetAsync(id, cancellationToken) is not { } manifest)
            return;
        if (await parts.CountAsync(BatchIdField, batchId, cancellationToken) < expectedParts(manifest))
            return;

        var all = new List<TPart>();
        await foreach (var part in parts.FindAsync(BatchIdField, batchId, cancellationToken))
            all.Add(part);
        await complete(manifest, all);
        await completions.InsertIfAbsentAsync(id, new TrainingClaim { At = time.GetUtcNow() }, cancellationToken);
        await parts.DeleteManyAsync(BatchIdField, batchId, cancellationToken);
        await manifests.DeleteAsync(id, cancellationToken);
    }
}
