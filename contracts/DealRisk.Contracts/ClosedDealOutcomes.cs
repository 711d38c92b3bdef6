using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>
/// How the closed deals of one daily-batch history chunk ended, binary (<see cref="OutcomeColumns"/> in
/// <see cref="Payload"/>): the feature service reads those deals for the batch's statistics anyway, and scoring needs
/// their outcomes to judge its past scores of the deals closed since training at every batch, not only at the next
/// training. Idempotency key: (<see cref="BatchId"/>, <see cref="ChunkIndex"/>).
/// </summary>
public sealed record ClosedDealOutcomes
{
    public required Guid BatchId { get; init; }
    public required Guid CorrelationId { get; init; }
    public required DateOnly AsOf { get; init; }
    public required int ChunkIndex { get; init; }
    public required byte[] Payload { get; init; }

    public static ClosedDealOutcomes Of(DealChunkSynced chunk, IReadOnlyList<DealSnapshot> deals)
    {
        var closed = deals.Where(deal => deal.ClosedAt is not null).ToList();
        return new ClosedDealOutcomes
        {
            BatchId = chunk.BatchId,
            CorrelationId = chunk.CorrelationId,
            AsOf = chunk.AsOf,
            ChunkIndex = chunk.ChunkIndex,
            Payload = ChunkPayload.Write(new OutcomeColumns
            {
                Keys = [.. closed.Select(deal => DealKey.Of(deal.Source, deal.ExternalId))],
                ClosedAtTicks = [.. closed.Select(deal => deal.ClosedAt!.Value.UtcTicks)],
                Lost = [.. closed.Select(deal => !deal.IsWon)],
                Industries = StringColumn.Of(closed.Select(deal => deal.Industry)),
                Regions = StringColumn.Of(closed.Select(deal => deal.Region)),
            }),
        };
    }

    /// <summary>The outcomes; throws <see cref="InvalidChunkPayloadException"/> for a payload that cannot be read.</summary>
    public OutcomeColumns ReadOutcomes()
    {
        var columns = ChunkPayload.Read<OutcomeColumns>(Payload);
        columns.Check();
        return columns;
    }
}

/// <summary>Closed deals as columns: key, close instant (UTC ticks), lost or won, industry and region.</summary>
[MemoryPackable]
public sealed partial class OutcomeColumns
{
    public string[] Keys { get; init; } = [];
    public long[] ClosedAtTicks { get; init; } = [];
    public bool[] Lost { get; init; } = [];
    public StringColumn Industries { get; init; } = new();
    public StringColumn Regions { get; init; } = new();

    [MemoryPackIgnore]
    public int Count => Keys.Length;

    public DateTimeOffset ClosedAt(int row) => new(ClosedAtTicks[row], TimeSpan.Zero);

    public void Check()
    {
        if (ClosedAtTicks.Length != Keys.Length || Lost.Length != Keys.Length)
            throw new InvalidChunkPayloadException($"outcome columns disagree: {Keys.Length} keys, {ClosedAtTicks.Length} close instants, {Lost.Length} outcomes");
        Industries.Check(nameof(Industries), Keys.Length);
        Regions.Check(nameof(Regions), Keys.Length);
    }
}
