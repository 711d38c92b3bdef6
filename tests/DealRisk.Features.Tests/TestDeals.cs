using DealRisk.Contracts;

namespace DealRisk.Features.Tests;

/// <summary>Hand-built deals on a fixed calendar: day 0 is the creation instant.</summary>
internal static class TestDeals
{
    public static readonly DateTimeOffset Created = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset Day(double days) => Created.AddDays(days);

    public static DealChange Change(double day, string field, string? from, string? to) =>
        new() { At = Day(day), Field = field, From = from, To = to };

    /// <summary>An open deal created in Lead on day 0 that has changed nothing since.</summary>
    public static DealSnapshot Open(string id = "D-1") => new()
    {
        Source = "test",
        ExternalId = id,
        Version = 1,
        Stage = DealStages.Lead,
        CreatedAt = Created,
        History = [Change(0, DealFields.Stage, null, DealStages.Lead)],
    };

    /// <summary>A deal closed at <paramref name="closedDay"/> after passing through Lead, Demo and Negotiation.</summary>
    public static DealSnapshot Closed(string id, bool won, double closedDay, string? owner = null, string? industry = null, decimal? amount = null)
    {
        var final = won ? DealStages.ClosedWon : DealStages.ClosedLost;
        return new DealSnapshot
        {
            Source = "test",
            ExternalId = id,
            Version = 4,
            Stage = final,
            CreatedAt = Created,
            ClosedAt = Day(closedDay),
            IsClosed = true,
            IsWon = won,
            Owner = owner,
            Industry = industry,
            Amount = amount,
            History =
            [
                Change(0, DealFields.Stage, null, DealStages.Lead),
                Change(closedDay * 0.25, DealFields.Stage, DealStages.Lead, DealStages.Demo),
                Change(closedDay * 0.5, DealFields.Stage, DealStages.Demo, DealStages.Negotiation),
                Change(closedDay, DealFields.Stage, DealStages.Negotiation, final),
            ],
        };
    }

    /// <summary>A real-time trigger for this deal as ingestion stored it.</summary>
    public static DealChanged Trigger(DealSnapshot deal, DateTimeOffset publishedAt, params string[] changed) => new()
    {
        CorrelationId = Guid.NewGuid(),
        Deal = deal,
        ChangedFields = changed,
        Origin = "hubspot-webhook",
        ChangedAt = publishedAt,
    };

    /// <summary>The deal moved from Lead to Demo on <paramref name="day"/>, stored as <paramref name="version"/>.</summary>
    public static DealChanged StageChange(string id, long version, double day)
    {
        var deal = Open(id) with
        {
            Version = version,
            Stage = DealStages.Demo,
            Owner = "rep_a",
            Amount = 20_000m,
        };
        deal = deal with { History = [.. deal.History, Change(day, DealFields.Stage, DealStages.Lead, DealStages.Demo)] };
        return Trigger(deal, Day(day), DealChangeKinds.Stage);
    }
}
