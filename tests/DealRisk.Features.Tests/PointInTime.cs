using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Features.Tests;

/// <summary>
/// An independent oracle: the deal as its CRM would have exported it at a past instant, built by walking the
/// history backwards in recorded order. Whatever the code under test derives from the full deal at that instant
/// must equal what it derives from this cut.
/// </summary>
internal static class PointInTime
{
    public static DealSnapshot Cut(DealSnapshot deal, DateTimeOffset instant)
    {
        var closed = deal.ClosedAt is { } closedAt && closedAt <= instant;
        var activities = deal.ActivityDates.Where(at => at <= instant).ToArray();
        DateTimeOffset? lastActivity = activities.Length > 0 ? activities.Max() : deal.LastActivityAt <= instant ? deal.LastActivityAt : null;
        var lastNextStepChange = deal.History.LastOrDefault(change => change.Field == DealFields.NextStep && change.At <= instant)?.At;

        return deal with
        {
            Stage = ValueAt(deal, DealFields.Stage, instant) ?? deal.Stage,
            Amount = decimal.TryParse(ValueAt(deal, DealFields.Amount, instant), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null,
            CloseDate = DateOnly.TryParseExact(ValueAt(deal, DealFields.CloseDate, instant), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closeDate) ? closeDate : null,
            Owner = ValueAt(deal, DealFields.Owner, instant),
            NextStep = ValueAt(deal, DealFields.NextStep, instant),
            NextStepUpdatedAt = (deal.NextStepUpdatedAt <= instant ? deal.NextStepUpdatedAt : lastNextStepChange)
                                ?? (string.IsNullOrWhiteSpace(ValueAt(deal, DealFields.NextStep, instant)) ? null : deal.CreatedAt),
            ContactCount = int.TryParse(ValueAt(deal, DealFields.ContactCount, instant), CultureInfo.InvariantCulture, out var contacts) ? contacts : null,
            ClosedAt = closed ? deal.ClosedAt : null,
            IsClosed = closed,
            IsWon = closed && deal.IsWon,
            ActivityDates = activities,
            ActivityCount = deal.ActivityCount is null ? null : activities.Length,
            LastActivityAt = lastActivity,
            History = deal.History.Where(change => change.At <= instant).ToArray(),
        };
    }

    public static string? ValueAt(DealSnapshot deal, string field, DateTimeOffset instant)
    {
        var value = field switch
        {
            DealFields.Stage => deal.Stage,
            DealFields.Amount => deal.Amount?.ToString(CultureInfo.InvariantCulture),
            DealFields.CloseDate => deal.CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DealFields.Owner => deal.Owner,
            DealFields.NextStep => deal.NextStep,
            DealFields.ContactCount => deal.ContactCount?.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
        for (var i = deal.History.Count - 1; i >= 0; i--)
        {
            if (deal.History[i].At > instant && deal.History[i].Field == field)
                value = deal.History[i].From;
        }
        return value;
    }
}
