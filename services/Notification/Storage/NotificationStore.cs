using DealRisk.Contracts;
using DealRisk.Notification.Outbox;
using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Notification.Storage;

public sealed record Marker
{
    public required DateTimeOffset At { get; init; }
}

/// <summary>A deal's score with the instant it was computed as of, so batch and real-time scores can be ordered (<see cref="ScoreRecency"/>).</summary>
public sealed record DealRiskAsOf
{
    public required DealRiskScore Score { get; init; }
    public required DateTimeOffset AsOf { get; init; }

    public bool IsNewerThan(DealRiskScore other, DateTimeOffset otherAsOf) => IsNewerThan(other.Deal.Version, otherAsOf);

    public bool IsNewerThan(long otherVersion, DateTimeOffset otherAsOf) => ScoreRecency.IsNewer(Score.Deal.Version, AsOf, otherVersion, otherAsOf);
}

/// <summary>One reported day's totals.</summary>
public sealed record DailyRiskPoint
{
    public required DateOnly AsOf { get; init; }
    public required int OpenDeals { get; init; }
    public required int HighRiskDeals { get; init; }
    public required int CriticalDeals { get; init; }
    public required decimal AcvAtRisk { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    public DateTimeOffset? DataAsOf { get; init; }
    /// <summary>Which scorer scored that day's batch and why.</summary>
    public string? ScoredBy { get; init; }

    public static string Key(DateOnly day) => day.ToString("yyyy-MM-dd");
}

/// <summary>What scoring serves: a promoted model with its metrics, or the rules after a fallback (with the reason and drift).</summary>
public sealed record ModelStatus
{
    public const string CurrentId = "current";

    public required bool ServingRules { get; init; }
    public string? ModelVersion { get; init; }
    public string? Trainer { get; init; }
    public ModelMetrics? Metrics { get; init; }
    public IReadOnlyList<FeatureImportance> FeatureImportances { get; init; } = [];
    public string? FallbackReason { get; init; }
    public IReadOnlyList<FeatureDrift> Drift { get; init; } = [];
    public required DateTimeOffset Since { get; init; }

    public string Describe() => ServingRules
        ? $"Rules fallback since {Since:yyyy-MM-dd}{(FallbackReason is null ? "" : $": {FallbackReason}")}{DriftLine()}"
        : $"Model {ModelVersion} ({Trainer}), ROC-AUC {Metrics?.RocAuc.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}";

    private string DriftLine() => Drift.MaxBy(d => d.Psi) is { } worst
        ? $" (largest drift: {worst.Feature} PSI {worst.Psi.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)})"
        : "";
}

/// <summary>The notification service's own data: scored batch chunks, batch manifests, reports sent, and every deal's latest risk.</summary>
public sealed class NotificationStore([FromKeyedServices(NotificationServiceExtensions.ServiceName)] IDocumentStore store)
{
    /// <summary>The batch chunks' scores as they arrived (binary rows; the document table <c>scored-chunk-blocks</c> of earlier versions is no longer read).</summary>
    public ScoredChunks ScoredChunks { get; } = new(store.GetBinaryCollection("scored-chunks"), store.GetCollection<ScoredChunkReceipt>("scored-chunk-receipts", "batchId"));
    public IDocumentCollection<DailyBatchSynced> Batches { get; } = store.GetCollection<DailyBatchSynced>("batches");
    public IDocumentCollection<DailyReportPublished> Reports { get; } = store.GetCollection<DailyReportPublished>("reports");
    public IDocumentCollection<Marker> Claims { get; } = store.GetCollection<Marker>("claims");
    /// <summary>Each deal's newest real-time score, and the critical deals a morning alert named: what alerts compare with.</summary>
    public IDocumentCollection<DealRiskAsOf> LatestRisk { get; } = store.GetCollection<DealRiskAsOf>("deal-risk-as-of");
    public IDocumentCollection<OutboxMessage> Outbox { get; } = store.GetCollection<OutboxMessage>("outbox", "status");
    /// <summary>Per Slack webhook or channel (by hash), when it may take its next message: the pace every dispatcher keeps.</summary>
    public IDocumentCollection<ChannelSlot> ChannelSlots { get; } = store.GetCollection<ChannelSlot>("channel-pacing");
    /// <summary>One point per reported day, keyed yyyy-MM-dd: movement since yesterday, trailing averages, the trend.</summary>
    public IDocumentCollection<DailyRiskPoint> DailyHistory { get; } = store.GetCollection<DailyRiskPoint>("daily-history");
    /// <summary>The model scoring serves, as the latest ModelPromoted / ScoringFellBackToRules said; one document, "current".</summary>
    /// <summary>Spikes escalated to the CRO, keyed yyyy-MM-dd: the dashboard's banner.</summary>
    public IDocumentCollection<Alerts.Spike> Escalations { get; } = store.GetCollection<Alerts.Spike>("escalations");
    public IDocumentCollection<ModelStatus> ModelStatus { get; } = store.GetCollection<ModelStatus>("model-status");
    /// <summary>The newest track record scoring published; one document, "latest".</summary>
    public IDocumentCollection<TrackRecordUpdated> TrackRecord { get; } = store.GetCollection<TrackRecordUpdated>("track-record");

    public static string ChunkId(BatchChunk chunk) => ChunkId(chunk.BatchId, chunk.ChunkIndex);

    public static string ChunkId(Guid batchId, int chunkIndex) => $"{batchId:N}:{chunkIndex}";

}
