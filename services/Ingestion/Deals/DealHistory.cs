using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;

namespace DealRisk.Ingestion.Deals;

/// <summary>Appends a history entry for every tracked field that differs between two versions of a deal.</summary>
public static class DealHistory
{
    public static IReadOnlyList<DealChange> Append(DealSnapshot? previous, DealSnapshot next, DateTimeOffset at)
    {
        var history = new List<DealChange>(previous?.History ?? []);
        foreach (var field in TrackedFields.All)
            Track(history, at, field.Name, previous is null ? null : field.Text(previous), field.Text(next));
        return history;
    }

    private static void Track(List<DealChange> history, DateTimeOffset at, string field, string? from, string? to)
    {
        if (from != to && (from is not null || to is not null))
            history.Add(new DealChange { At = at, Field = field, From = from, To = to });
    }

    /// <summary>
    /// Both histories as one, each change once, in time order, with every From re-linked to the change before it and
    /// changes that changed nothing dropped. At one instant a field had one value: an imported change replaces a
    /// stored one of the same field and time (such as the stage an export could only guess for the creation day).
    /// </summary>
    public static IReadOnlyList<DealChange> Merge(IEnumerable<DealChange> stored, IEnumerable<DealChange> imported)
    {
        var importedList = imported.ToList();
        var importedInstants = importedList.Select(change => (change.At, change.Field)).ToHashSet();
        var merged = new List<DealChange>();
        foreach (var field in stored.Where(change => !importedInstants.Contains((change.At, change.Field))).Concat(importedList)
                     .DistinctBy(change => (change.At, change.Field, change.To))
                     .GroupBy(change => change.Field))
        {
            string? previous = null;
            var first = true;
            foreach (var change in field.OrderBy(change => change.At))
            {
                if (first || change.To != previous)
                    merged.Add(change with { From = first ? change.From : previous });
                previous = change.To;
                first = false;
            }
        }
        return merged.OrderBy(change => change.At).ThenBy(change => change.Field, StringComparer.Ordinal).ToList();
    }
}
