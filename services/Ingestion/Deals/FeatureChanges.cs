using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// What changed between two stored versions of a deal that can move one of its features, as
/// <see cref="DealChangeKinds"/>; an empty list means the change (a new name, say) needs no rescore.
/// </summary>
public static class FeatureChanges
{
    public static IReadOnlyList<string> Between(DealSnapshot? previous, DealSnapshot next)
    {
        if (previous is null)
            return [DealChangeKinds.Created];

        var kinds = new List<string>();
        void When(bool changed, string kind)
        {
            if (changed) kinds.Add(kind);
        }

        foreach (var field in TrackedFields.All)
        {
            if (!field.SameValue(previous, next))
                kinds.Add(field.ChangeKind);
            else if (!SameHistory(previous, next, field.Name))
                kinds.Add(field.HistoryChangeKind);
        }
        When(previous.LastActivityAt != next.LastActivityAt || previous.ActivityCount != next.ActivityCount || !previous.ActivityDates.SequenceEqual(next.ActivityDates),
            DealChangeKinds.Activity);
        When(previous.IsClosed != next.IsClosed || previous.IsWon != next.IsWon || previous.ClosedAt != next.ClosedAt, DealChangeKinds.Outcome);
        When(previous.CreatedAt != next.CreatedAt || previous.LeadSource != next.LeadSource || previous.Industry != next.Industry
             || previous.Region != next.Region || previous.Product != next.Product, DealChangeKinds.Attributes);
        When(previous.DataQualityFlag != next.DataQualityFlag || !previous.MissingFields.SequenceEqual(next.MissingFields), DealChangeKinds.DataQuality);
        return kinds;
    }

    private static bool SameHistory(DealSnapshot previous, DealSnapshot next, string field) =>
        previous.History.Where(change => change.Field == field).SequenceEqual(next.History.Where(change => change.Field == field));
}
