using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

/// <summary>Appends a history entry for every tracked field that differs between two versions of a deal.</summary>
public static class DealHistory
{
    public static IReadOnlyList<DealChange> Append(DealSnapshot? previous, DealSnapshot next, DateTimeOffset at)
    {
        var history = new List<DealChange>(previous?.History ?? []);
        Track(history, at, DealFields.Stage, previous?.Stage, next.Stage);
        Track(history, at, DealFields.Amount, Text(previous?.Amount), Text(next.Amount));
        Track(history, at, DealFields.CloseDate, previous?.CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), next.CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Track(history, at, DealFields.Owner, previous?.Owner, next.Owner);
        Track(history, at, DealFields.NextStep, previous?.NextStep, next.NextStep);
        Track(history, at, DealFields.ContactCount, previous?.ContactCount?.ToString(CultureInfo.InvariantCulture), next.ContactCount?.ToString(CultureInfo.InvariantCulture));
        return history;
    }

    private static void Track(List<DealChange> history, DateTimeOffset at, string field, string? from, string? to)
    {
        if (from != to && (from is not null || to is not null))
            history.Add(new DealChange { At = at, Field = field, From = from, To = to });
    }

    private static string? Text(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture);
}
