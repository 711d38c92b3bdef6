using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Sync;

/// <summary>What one morning sync did, kept in <c>sync-runs</c> (one per Pacific day).</summary>
public sealed record SyncRun
{
    public const string BatchStarted = "batch-started";
    public const string DataUnavailable = "data-unavailable";

    public required DateOnly AsOf { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>batch-started or data-unavailable; null while running.</summary>
    public string? Outcome { get; init; }
    public string? ExportFile { get; init; }
    public DateTimeOffset? ExportWrittenAt { get; init; }
    public Guid? ImportId { get; init; }
    public string? ImportStatus { get; init; }
    public string? ExportProblem { get; init; }
    public DateTimeOffset? LastDataAt { get; init; }
    public Guid? BatchId { get; init; }
}

public sealed class SyncRuns([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<SyncRun> _runs = store.GetCollection<SyncRun>("sync-runs");

    /// <summary>Claims the day: false when another run (a second replica, a misfire) already took it.</summary>
    public Task<bool> TryStartAsync(SyncRun run, CancellationToken cancellationToken) =>
        _runs.InsertIfAbsentAsync(Key(run.AsOf), run, cancellationToken);

    public Task SaveAsync(SyncRun run, CancellationToken cancellationToken) => _runs.UpsertAsync(Key(run.AsOf), run, cancellationToken);

    public Task<SyncRun?> GetAsync(DateOnly asOf, CancellationToken cancellationToken) => _runs.GetAsync(Key(asOf), cancellationToken);

    /// <summary>The newest export any earlier run imported, so a file is never imported twice by the sync.</summary>
    public async Task<DateTimeOffset?> LastExportWrittenAtAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        await foreach (var run in _runs.ScanAsync(cancellationToken))
            if (run.ImportStatus == "completed" && run.ExportWrittenAt > (last ?? DateTimeOffset.MinValue))
                last = run.ExportWrittenAt;
        return last;
    }

    private static string Key(DateOnly asOf) => asOf.ToString("yyyy-MM-dd");
}
