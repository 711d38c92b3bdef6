using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>What made a deal be scored: the daily batch, or a CRM change on the real-time path.</summary>
[MemoryPackable]
public sealed partial record ScoreTrigger
{
    public const string BatchKind = "batch";
    public const string CrmChangeKind = "crm-change";

    /// <summary><see cref="BatchKind"/> or <see cref="CrmChangeKind"/>.</summary>
    public required string Kind { get; init; }
    public Guid? BatchId { get; init; }
    /// <summary>Where a CRM change came from: hubspot-webhook, salesforce-outbound, csv-import, …</summary>
    public string? Source { get; init; }
    /// <summary>Ingestion's id of the webhook delivery or import that carried the change.</summary>
    public string? EventId { get; init; }
    /// <summary>When the batch ran or ingestion published the change.</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>The CRM changes this version brought (field, old → new value, when): empty for the batch.</summary>
    public IReadOnlyList<DealChange> Changes { get; init; } = [];

    public static ScoreTrigger ForBatch(BatchChunk batch, DateTimeOffset at) => new() { Kind = BatchKind, BatchId = batch.BatchId, At = at };

    /// <summary>The trigger of a score that came without one: its batch (run at <paramref name="batchAt"/>), else a CRM change published at <paramref name="changedAt"/>.</summary>
    public static ScoreTrigger Inferred(BatchChunk? batch, DateTimeOffset batchAt, DateTimeOffset changedAt) =>
        batch is not null ? ForBatch(batch, batchAt) : new ScoreTrigger { Kind = CrmChangeKind, At = changedAt };
}
