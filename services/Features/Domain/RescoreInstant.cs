using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>
/// The instant a real-time rescore is computed as of: when the change was published, or later still if the deal as
/// stored holds anything dated later (a CRM clock running ahead of ours), so the timeline rewinds none of it and the
/// triggering change is always part of the score.
/// </summary>
public static class RescoreInstant
{
    public static DateTimeOffset Of(DealSnapshot deal, DateTimeOffset publishedAt)
    {
        var instant = Later(publishedAt, deal.UpdatedAt);
        instant = Later(instant, deal.CreatedAt);
        foreach (var change in deal.History)
            instant = Later(instant, change.At);
        foreach (var activity in deal.ActivityDates)
            instant = Later(instant, activity);
        instant = Later(instant, deal.LastActivityAt);
        instant = Later(instant, deal.NextStepUpdatedAt);
        return Later(instant, deal.ClosedAt);
    }

    private static DateTimeOffset Later(DateTimeOffset instant, DateTimeOffset? other) => other > instant ? other.Value : instant;
}
