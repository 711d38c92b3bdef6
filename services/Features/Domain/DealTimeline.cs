using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;

namespace DealRisk.Features.Domain;

/// <summary>
/// Rebuilds a deal's state at a past instant by undoing, newest first, every recorded change made after it.
/// This is what keeps features point-in-time: a deal replayed as of a date carries nothing from after that date.
/// </summary>
public static class DealTimeline
{
    public static DealState AsOf(DealSnapshot deal, DateTimeOffset instant)
    {
        var values = new TrackedValues(deal);
        int regressions = 0, pushes = 0, amountChanges = 0, ownerChanges = 0;
        DateTimeOffset? stageEnteredAt = null, nextStepChangedAt = null;

        // Walking a stable ascending order backwards undoes changes recorded at the same instant in the reverse of the order they were made.
        var history = InTimeOrder(deal.History);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var change = history[i];
            if (change.At > instant)
            {
                values.Set(change.Field, change.From);
                continue;
            }

            switch (change.Field)
            {
                case DealFields.Stage:
                    stageEnteredAt ??= change.At;
                    if (change.From is not null && DealStages.Order(change.To) < DealStages.Order(change.From)) regressions++;
                    break;
                case DealFields.CloseDate:
                    if (TrackedFields.ParseDate(change.From) is { } from && TrackedFields.ParseDate(change.To) is { } to && to > from) pushes++;
                    break;
                case DealFields.Amount when change.From is not null: amountChanges++; break;
                case DealFields.Owner when change.From is not null: ownerChanges++; break;
                case DealFields.NextStep: nextStepChangedAt ??= change.At; break;
            }
        }

        // A field the source fills in only at close says nothing about the deal while it was open.
        if (!(deal.ClosedAt <= instant))
            foreach (var field in deal.FinalOnlyFields)
                values.Set(field, null);

        var stage = values.Get(TrackedFields.Stage);
        if (DealStages.IsClosed(stage) && (deal.ClosedAt is null || deal.ClosedAt > instant))
            stage = null;
        var nextStep = values.Get(TrackedFields.NextStep);

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
            Amount = values.Get(TrackedFields.Amount),
            CloseDate = values.Get(TrackedFields.CloseDate),
            Owner = values.Get(TrackedFields.Owner),
            NextStep = nextStep,
            // A next step held at the instant with no recorded change before it has stood since the deal was created.
            NextStepUpdatedAt = (deal.NextStepUpdatedAt <= instant ? deal.NextStepUpdatedAt : nextStepChangedAt)
                                ?? (string.IsNullOrWhiteSpace(nextStep) ? null : deal.CreatedAt),
            ContactCount = values.Get(TrackedFields.ContactCount),
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
}
