using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Imports;

/// <summary>
/// Runs one import: every row is merged into the stored deal and persisted together with its pending publication (a
/// re-import finds a stored deal unchanged, so a crash before the publish must leave the change to the sweeper); the
/// changes of a group of rows are then published together (DealChanged to rescore them when the whole import changed
/// only a few deals, otherwise DealSynced); bad rows are recorded and skipped.
/// </summary>
public sealed class DealImporter(
    [FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store,
    ImportFormats formats,
    DealRepository deals,
    PendingPublications pendingPublications,
    ImportResultStore results,
    DealEventPublisher publisher,
    CrmActivity activity,
    DealLocks locks,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<DealImporter> logger)
{
    /// <summary>Rows whose events are published at once: enough confirms in flight to hide RabbitMQ's round trip, few enough to bound memory.</summary>
    public const int PublishGroupSize = 500;

    public Task<ImportResult> ImportAsync(string formatName, Stream input, IProgress<long>? progress, CancellationToken cancellationToken) =>
        ImportAsync(formatName, () => formats.Get(formatName), input, progress, cancellationToken);

    public async Task<ImportResult> ImportAsync(
        string formatName,
        Func<IDealImportFormat> resolveFormat,
        Stream input,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var result = new ImportResult { Id = NewId.NextGuid(), Format = formatName, StartedAt = time.GetUtcNow() };
        try
        {
            var format = resolveFormat();
            result = await ImportRowsAsync(format, input, result, progress, cancellationToken);
        }
        catch (ImportRefusedException refused)
        {
            result = result with { Status = "refused", Error = refused.Message };
        }

        result = result with { CompletedAt = time.GetUtcNow() };
        await results.SaveAsync(result, cancellationToken);
        if (result.Status == "completed" && result.Rows > result.Rejected)
            await activity.RecordImportAsync(cancellationToken);
        logger.LogInformation(
            "Import {ImportId} ({Format}) {Status}: {Rows} rows, {Created} created, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected, {Flagged} flagged for data quality",
            result.Id, result.Format, result.Status, result.Rows, result.Created, result.Updated, result.Unchanged, result.Rejected, result.Flagged);
        return result;
    }

    private async Task<ImportResult> ImportRowsAsync(
        IDealImportFormat format, Stream input, ImportResult result, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var errors = new List<RowError>();
        var pending = new List<DealMergeResult>(PublishGroupSize);
        var recorded = new List<PendingPublication>(PublishGroupSize);
        var origin = $"{format.Name}-import";
        long rows = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, flagged = 0;
        var publishedGroups = 0;
        await foreach (var row in format.ReadAsync(input, cancellationToken))
        {
            rows++;
            var (outcome, error, flaggedDeal) = (row.Error ?? OverLimit(row)) is { } rowError ? (DealMergeOutcome.Unchanged, rowError, false) : await ApplyAsync(row, format.Merge, pending, recorded, result.Id, origin, cancellationToken);
            if (flaggedDeal) flagged++;
            switch (outcome)
            {
                case DealMergeOutcome.Unchanged when error is not null:
                    rejected++;
                    if (errors.Count < ImportResult.MaxListedErrors)
                        errors.Add(error);
                    break;
                case DealMergeOutcome.Created: created++; break;
                case DealMergeOutcome.Updated: updated++; break;
                default: unchanged++; break;
            }

            if (pending.Count >= PublishGroupSize)
            {
                await publisher.PublishAsync(pending, result.Id, origin, cancellationToken, rescore: false, recorded);
                pending.Clear();
                recorded.Clear();
                publishedGroups++;
            }
            if (rows % 1000 == 0)
                progress?.Report(rows);
        }

        var rescore = publishedGroups == 0 && pending.Count <= options.Value.RealTimeImportLimit;
        await publisher.PublishAsync(pending, result.Id, origin, cancellationToken, rescore, recorded);
        progress?.Report(rows);
        return result with { Rows = rows, Created = created, Updated = updated, Unchanged = unchanged, Rejected = rejected, Flagged = flagged, Errors = errors };
    }

    private static RowError? OverLimit(ImportRow row)
    {
        var violation = row.Deal is { } deal
            ? FieldLimits.Check(deal)
            : row.History is { } history
                ? FieldLimits.Id("externalId", history.ExternalId) ?? history.Changes.Select(change => FieldLimits.Text("history.to", change.To)).FirstOrDefault(v => v is not null)
                : null;
        return violation is null ? null : new RowError(row.Line, violation.Field, violation.Reason);
    }

    /// <summary>
    /// The merge outcome and whether the deal as stored is flagged for data quality, or the row's error when it cannot apply.
    /// Webhooks may change the same deal meanwhile: its lock keeps them apart.
    /// </summary>
    private async Task<(DealMergeOutcome Outcome, RowError? Error, bool Flagged)> ApplyAsync(
        ImportRow row, ImportMerge mode, List<DealMergeResult> pending, List<PendingPublication> recorded, Guid importId, string origin, CancellationToken cancellationToken)
    {
        var (source, externalId) = row.History is { } changes ? (changes.Source, changes.ExternalId) : (row.Deal!.Source, row.Deal.ExternalId);
        using var held = await locks.AcquireAsync(DealKey.Of(source, externalId), cancellationToken);
        var now = time.GetUtcNow();
        var stored = await deals.GetAsync(source, externalId, cancellationToken);
        DealMergeResult merge;
        if (row.History is { } history)
        {
            if (stored is null)
                return (DealMergeOutcome.Unchanged, new RowError(row.Line, null, $"Deal {history.ExternalId} is not known yet: import its {history.Source} deals before their history."), false);
            merge = DealMerge.Apply(stored, stored with { History = DealHistory.Merge(stored.History, history.Changes) }, now);
        }
        else
        {
            var incoming = row.Deal!;
            if (mode == ImportMerge.KeepHistory && stored is not null)
                incoming = incoming with { History = DealHistory.Append(stored, incoming, now) };
            merge = DealMerge.Apply(stored, incoming, now);
        }

        if (merge.Outcome == DealMergeOutcome.Unchanged)
            return (DealMergeOutcome.Unchanged, null, merge.Deal.DataQualityFlag);
        var record = PendingPublication.Of([merge], importId, origin, now, rescore: false);
        var saved = await store.WriteTogetherAsync(async transaction =>
        {
            if ((await deals.SaveManyIfNewerAsync(transaction, [merge.Deal])).Count == 0)
                return false;
            await pendingPublications.RecordAsync(transaction, record);
            return true;
        }, cancellationToken);
        if (!saved)
            return (DealMergeOutcome.Unchanged, null, merge.Deal.DataQualityFlag);
        pending.Add(merge);
        recorded.Add(record);
        return (merge.Outcome, null, merge.Deal.DataQualityFlag);
    }
}
