using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.SyntheticCrm.Tests;

/// <summary>The state of a deal at a past time: undo, newest first, every change made after that time.</summary>
internal static class HistoryReplay
{
    public static readonly string[] TrackedFields =
        [DealFields.Stage, DealFields.Amount, DealFields.CloseDate, DealFields.Owner, DealFields.NextStep, DealFields.ContactCount];

    public static string? Current(DealSnapshot deal, string field) => field switch
    {
        DealFields.Stage => deal.Stage,
        DealFields.Amount => deal.Amount?.ToString(CultureInfo.InvariantCulture),
        DealFields.CloseDate => deal.CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DealFields.Owner => deal.Owner,
        DealFields.NextStep => deal.NextStep,
        DealFields.ContactCount => deal.ContactCount?.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public static string? ValueAt(DealSnapshot deal, string field, DateTimeOffset at)
    {
        var value = Current(deal, field);
        for (var i = deal.History.Count - 1; i >= 0 && deal.History[i].At > at; i--)
        {
            if (deal.History[i].Field == field)
                value = deal.History[i].From;
        }
        return value;
    }

    public static int CloseDatePushesBy(DealSnapshot deal, DateTimeOffset at) => deal.History.Count(change =>
        change.Field == DealFields.CloseDate && change.At <= at
        && change.From is not null && change.To is not null && string.CompareOrdinal(change.To, change.From) > 0);

    public static int StageRegressions(DealSnapshot deal) => deal.History.Count(change =>
        change.Field == DealFields.Stage && change.From is not null && DealStages.Order(change.To) < DealStages.Order(change.From));

    public static DateTimeOffset? LastActivityBy(DealSnapshot deal, DateTimeOffset at) =>
        deal.ActivityDates.Where(date => date <= at).Select(date => (DateTimeOffset?)date).LastOrDefault();
}
