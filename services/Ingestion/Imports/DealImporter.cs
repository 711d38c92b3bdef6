using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using MassTransit;

namespace DealRisk.Ingestion.Imports;

/// <summary>
/// Runs one import: every row is merged into the stored deal, changes are persisted and then published
/// (DealSynced, and DealStageChanged when an existing deal changed stage); bad rows are recorded and skipped.
/// </summary>
public sealed class DealImporter(
    ImportFormats formats,
    DealRepository deals,
    ImportResultStore results,
    IPublishEndpoint publish,
    TimeProvider time,
    ILogger<DealImporter> logger)
{
    public async Task<ImportResult> ImportAsync(
        string formatName,
        Stream input,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var result = new ImportResult { Id = NewId.NextGuid(), Format = formatName, StartedAt = time.GetUtcNow() };
        try
        {
            var format = formats.Get(formatName);
            result = await ImportRowsAsync(format, input, result, progress, cancellationToken);
        }
        catch (ImportRefusedException refused)
        {
            result = result with { Status = "refused", Error = refused.Message };
        }

        result = result with { CompletedAt = time.GetUtcNow() };
        await results.SaveAsync(result, cancellationToken);
        logger.LogInformation(
            "Import {ImportId} ({Format}) {Status}: {Rows} rows, {Created} created, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected",
            result.Id, result.Format, result.Status, result.Rows, result.Created, result.Updated, result.Unchanged, result.Rejected);
        return result;
    }

    private async Task<ImportResult> ImportRowsAsync(
        IDealImportFormat format, Stream input, ImportResult result, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var errors = new List<RowError>();
        long rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0;
        await foreach (var row in format.ReadAsync(input, cancellationToken))
        {
            rows++;
            if (row.Deal is null)
            {
                rejected++;
                if (errors.Count < ImportResult.MaxListedErrors)
                    errors.Add(row.Error!);
                continue;
            }

            switch (await ApplyAsync(row.Deal, result.Id, format.Name, cancellationToken))
            {
                case DealMergeOutcome.Created: created++; break;
                case DealMergeOutcome.Updated: updated++; break;
                default: unchanged++; break;
            }

            if (rows % 1000 == 0)
                progress?.Report(rows);
        }

        progress?.Report(rows);
        return result with { Rows = rows, Created = created, Updated = updated, Unchanged = unchanged, Rejected = rejected, Errors = errors };
    }

    private async Task<DealMergeOutcome> ApplyAsync(DealSnapshot incoming, Guid importId, string format, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = await deals.GetAsync(incoming.Source, incoming.ExternalId, cancellationToken);
        var merge = DealMerge.Apply(stored, incoming, now);
        if (merge.Outcome == DealMergeOutcome.Unchanged)
            return merge.Outcome;

        if (!await deals.SaveAsync(merge.Deal, cancellationToken))
            return DealMergeOutcome.Unchanged;

        await publish.Publish(new DealSynced { CorrelationId = importId, Deal = merge.Deal, Origin = $"{format}-import", SyncedAt = now }, cancellationToken);
        if (merge.StageChanged)
        {
            await publish.Publish(new DealStageChanged
            {
                CorrelationId = importId,
                Deal = merge.Deal,
                FromStage = merge.PreviousStage,
                ToStage = merge.Deal.Stage,
                ChangedAt = now,
            }, cancellationToken);
        }
        return merge.Outcome;
    }
}
