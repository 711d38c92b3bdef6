using DealRisk.Contracts;

namespace DealRisk.Ingestion.Tests;

/// <summary>Canonical deals for tests: an open deal with every key field set, and closed variants.</summary>
internal static class Deals
{
    public static DealSnapshot Open(string id, DateOnly created, string stage = DealStages.Demo) => new()
    {
        Source = "test",
        ExternalId = id,
        Version = 0,
        Name = $"Deal {id}",
        Account = "Acme",
        Owner = "rep_1",
        Amount = 25_000m,
        Stage = stage,
        CreatedAt = At(created),
        CloseDate = created.AddDays(60),
        Industry = "SaaS",
        Region = "Europe",
        LeadSource = "Inbound",
        Product = "Pro",
        NextStep = "Send proposal",
        ContactCount = 3,
        LastActivityAt = At(created).AddDays(2),
        History = [new DealChange { At = At(created), Field = DealFields.Stage, To = stage }],
    };

    public static DealSnapshot Closed(string id, DateOnly created, DateOnly closed, bool won = true)
    {
        var stage = won ? DealStages.ClosedWon : DealStages.ClosedLost;
        var open = Open(id, created, DealStages.Negotiation);
        return open with
        {
            Stage = stage,
            IsClosed = true,
            IsWon = won,
            ClosedAt = At(closed),
            History = [.. open.History, new DealChange { At = At(closed), Field = DealFields.Stage, From = DealStages.Negotiation, To = stage }],
        };
    }

    public static DateTimeOffset At(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
