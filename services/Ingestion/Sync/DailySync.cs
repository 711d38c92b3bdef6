using DealRisk.Contracts;
using DealRisk.Ingestion.Apis;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Imports;
using MassTransit;
using Microsoft.Extensions.Options;
using DealRisk.ServiceDefaults;

namespace DealRisk.Ingestion.Sync;

/// <summary>
/// The morning sync: imports the newest dropped export (if there is one the sync has not imported), then either starts
/// the daily batch for today (Pacific) or, when no CRM data at all arrived within the freshness window, raises
/// "data unavailable" so no stale report goes out.
/// </summary>
public sealed partial class DailySync(
    SyncRuns runs,
    CrmActivity activity,
    DealImporter importer,
    ImportFormats formats,
    IPublishEndpoint publish,
    ISendEndpointProvider commands,
    BusinessTimeZone business,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<DailySync> logger)
{
    public const string Trigger = "schedule";

    public async Task<SyncRun?> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Sync;
        var now = time.GetUtcNow();
        var run = new SyncRun { AsOf = business.DayAt(now), StartedAt = now };
        if (!await runs.TryStartAsync(run, cancellationToken))
        {
            LogAlreadyRan(run.AsOf);
            return null;
        }

        run = await ImportNewestExportAsync(run, settings, cancellationToken);
        var lastDataAt = await activity.LastDataAtAsync(cancellationToken);
        run = run with { LastDataAt = lastDataAt };
        run = lastDataAt is { } last && time.GetUtcNow() - last <= settings.FreshnessWindow
            ? await StartBatchAsync(run, cancellationToken)
            : await RaiseDataUnavailableAsync(run, settings, cancellationToken);

        run = run with { CompletedAt = time.GetUtcNow() };
        await runs.SaveAsync(run, cancellationToken);
        return run;
    }

    private async Task<SyncRun> ImportNewestExportAsync(SyncRun run, SyncOptions settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.DropFolder) || !Directory.Exists(settings.DropFolder))
            return run;
        var newest = new DirectoryInfo(settings.DropFolder).EnumerateFiles()
            .Where(file => !file.Name.StartsWith('.') && file.Extension is ".csv" or ".jsonl" or ".ndjson")
            .MaxBy(file => file.LastWriteTimeUtc);
        if (newest is null)
            return run;
        // Stored times keep milliseconds only: compare at that precision or the same file looks newer every day.
        var writtenAt = DateTimeOffset.FromUnixTimeMilliseconds(new DateTimeOffset(newest.LastWriteTimeUtc, TimeSpan.Zero).ToUnixTimeMilliseconds());
        if (await runs.LastExportWrittenAtAsync(cancellationToken) is { } lastImported && writtenAt <= lastImported)
            return run;

        run = run with { ExportFile = newest.Name, ExportWrittenAt = writtenAt };
        var format = FormatOf(newest, settings);
        if (format is null)
            return run with { ExportProblem = $"Cannot tell the format of {newest.Name}: set Ingestion:Sync:Format or start the file name with one of {string.Join(", ", formats.Names)}." };

        await using var stream = newest.OpenRead();
        var result = await importer.ImportAsync(format, stream, progress: null, cancellationToken);
        LogImported(newest.Name, format, result.Status, result.Rows, result.Rejected);
        return run with { ImportId = result.Id, ImportStatus = result.Status, ExportProblem = result.Error };
    }

    private string? FormatOf(FileInfo file, SyncOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.Format))
            return settings.Format;
        if (file.Extension is ".jsonl" or ".ndjson")
            return DealJsonLinesFormat.FormatName;
        return formats.Names
            .Where(name => file.Name.StartsWith(name + "-", StringComparison.OrdinalIgnoreCase) || file.Name.StartsWith(name + "_", StringComparison.OrdinalIgnoreCase))
            .MaxBy(name => name.Length);
    }

    private async Task<SyncRun> StartBatchAsync(SyncRun run, CancellationToken cancellationToken)
    {
        var command = ImportEndpoints.NewBatch(run.AsOf, Trigger, NewId.NextGuid(), time);
        await commands.SendCommandAsync(command, cancellationToken);
        LogBatchStarted(run.AsOf, command.BatchId, run.LastDataAt);
        return run with { Outcome = SyncRun.BatchStarted, BatchId = command.BatchId };
    }

    private async Task<SyncRun> RaiseDataUnavailableAsync(SyncRun run, SyncOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var correlationId = NewId.NextGuid();
        var since = run.LastDataAt is { } last ? $"since {last:yyyy-MM-dd HH:mm} UTC" : "ever";
        await publish.Publish(new CrmDataUnavailable
        {
            CorrelationId = correlationId,
            AsOf = run.AsOf,
            LastDataAt = run.LastDataAt,
            Window = settings.FreshnessWindow,
            DetectedAt = now,
        }, cancellationToken);
        await publish.Publish(new OperatorAlertRaised
        {
            CorrelationId = correlationId,
            Kind = "crm-data-unavailable",
            Severity = "critical",
            Message = $"No CRM data (webhook or export) arrived {since}, more than {settings.FreshnessWindow.TotalHours:0.#} h ago: the {run.AsOf:yyyy-MM-dd} report is held back instead of going out stale."
                      + (run.ExportProblem is null ? "" : $" Export: {run.ExportProblem}"),
            Source = IngestionServiceExtensions.ServiceName,
            RaisedAt = now,
        }, cancellationToken);
        LogDataUnavailable(run.AsOf, run.LastDataAt);
        return run with { Outcome = SyncRun.DataUnavailable };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Morning sync for {AsOf} already ran; skipping")]
    private partial void LogAlreadyRan(DateOnly asOf);

    [LoggerMessage(Level = LogLevel.Information, Message = "Morning sync imported {File} as {Format}: {Status}, {Rows} rows, {Rejected} rejected")]
    private partial void LogImported(string file, string format, string status, long rows, long rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Morning sync started batch {BatchId} for {AsOf} (CRM data last arrived {LastDataAt})")]
    private partial void LogBatchStarted(DateOnly asOf, Guid batchId, DateTimeOffset? lastDataAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Morning sync for {AsOf}: no CRM data since {LastDataAt}; raised data unavailable instead of starting the batch")]
    private partial void LogDataUnavailable(DateOnly asOf, DateTimeOffset? lastDataAt);
}
