using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>
/// Rebuilds a deal's state at a past instant by undoing, newest first, every recorded change made after it.
/// This is what keeps features point-in-time: a deal replayed as of a date carries nothing from after that date.
/// </summary>
public static class DealTimeline
{
    public static DealState AsOf(DealSnapshot deal, DateTimeOffset instant)
    {
        string? stage = deal.Stage;
        var amount = deal.Amount;
        var closeDate = deal.CloseDate;
        var owner = deal.Owner;
        var nextStep = deal.NextStep;
        var contacts = deal.ContactCount;
        int regressions = 0, pushes = 0, amountChanges = 0, ownerChanges = 0;
        DateTimeOffset? stageEnteredAt = null, nextStepChangedAt = null;

        // Walking a stable ascending order backwards undoes changes recorded at the same instant in the reverse of the order they were made.
        var history = InTimeOrder(deal.History);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var change = history[i];
            if (change.At > instant)
            {
                switch (change.Field)
                {
                    case DealFields.Stage: stage = change.From; break;
                    case DealFields.Amount: amount = ParseDecimal(change.From); break;
                    case DealFields.CloseDate: closeDate = ParseDate(change.From); break;
                    case DealFields.Owner: owner = change.From; break;
                    case DealFields.NextStep: nextStep = change.From; break;
                    case DealFields.ContactCount: contacts = ParseInt(change.From); break;
                }
                continue;
            }

            switch (change.Field)
            {
                case DealFields.Stage:
                    stageEnteredAt ??= change.At;
                    if (change.From is not null && DealStages.Order(change.To) < DealStages.Order(change.From)) regressions++;
                    break;
                case DealFields.CloseDate:
                    if (ParseDate(change.From) is { } from && ParseDate(change.To) is { } to && to > from) pushes++;
                    break;
                case DealFields.Amount when change.From is not null: amountChanges++; break;
                case DealFields.Owner when change.From is not null: ownerChanges++; break;
                case DealFields.NextStep: nextStepChangedAt ??= change.At; break;
            }
        }

        if (DealStages.IsClosed(stage) && (deal.ClosedAt is null || deal.ClosedAt > instant))
            stage = null;

        // A field the source fills in only at close says nothing about the deal while it was open.
        if (deal.FinalOnlyFields.Count > 0 && !(deal.ClosedAt <= instant))
        {
            if (deal.FinalOnlyFields.Contains(DealFields.Amount)) amount = null;
            if (deal.FinalOnlyFields.Contains(DealFields.CloseDate)) closeDate = null;
            if (deal.FinalOnlyFields.Contains(DealFields.Owner)) owner = null;
            if (deal.FinalOnlyFields.Contains(DealFields.NextStep)) nextStep = null;
            if (deal.FinalOnlyFields.Contains(DealFields.ContactCount)) contacts = null;
        }

        DateTimeOffset? latestLogged = null;
        int last14Days = 0, last30Days = 0;
        DateTimeOffset since14Days = instant.AddDays(-14), since30Days = instant.AddDays(-30);
        foreach (var at in deal.ActivityDates)
        {
            if (at > instant) continue;
            if (latestLogged is null || at > latestLogged) latestLogged = at;
            if (at > since14Days) last14Days++;
            if (at > since30Days) last30Days++;
        }
        var lastActivity = latestLogged ?? (deal.LastActivityAt <= instant ? deal.LastActivityAt : null);
        var hasActivityDates = deal.ActivityDates.Count > 0 || deal.ActivityCount is not null;

        return new DealState
        {
            Instant = instant,
            CreatedAt = deal.CreatedAt,
            Stage = stage,
            StageEnteredAt = stageEnteredAt ?? deal.CreatedAt,
            Amount = amount,
            CloseDate = closeDate,
            Owner = owner,
            NextStep = nextStep,
            // A next step held at the instant with no recorded change before it has stood since the deal was created.
            NextStepUpdatedAt = (deal.NextStepUpdatedAt <= instant ? deal.NextStepUpdatedAt : nextStepChangedAt)
                                ?? (string.IsNullOrWhiteSpace(nextStep) ? null : deal.CreatedAt),
            ContactCount = contacts,
            StageRegressions = regressions,
            CloseDatePushes = pushes,
            AmountChanges = amountChanges,
            OwnerChanges = ownerChanges,
            LastActivityAt = lastActivity,
            ActivitiesLast14Days = hasActivityDates ? last14Days : null,
            ActivitiesLast30Days = hasActivityDates ? last30Days : null,
        };
    }

    /// <summary>How long a closed deal spent in each stage it passed through (the stage it closed from included).</summary>
    public static IEnumerable<(string Stage, double Days)> StageDurations(DealSnapshot deal)
    {
        var stages = deal.History.Where(change => change.Field == DealFields.Stage).OrderBy(change => change.At).ToList();
        for (var i = 0; i < stages.Count - 1; i++)
        {
            if (stages[i].To is { } stage && !DealStages.IsClosed(stage))
                yield return (stage, (stages[i + 1].At - stages[i].At).TotalDays);
        }
    }

    /// <summary>Histories are stored in time order; only one that is not pays for a (stable) sort.</summary>
    private static IReadOnlyList<DealChange> InTimeOrder(IReadOnlyList<DealChange> history)
    {
        for (var i = 1; i < history.Count; i++)
            if (history[i].At < history[i - 1].At)
                return history.OrderBy(change => change.At).ToList();
        return history;
    }

    private static decimal? ParseDecimal(string? value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
}
