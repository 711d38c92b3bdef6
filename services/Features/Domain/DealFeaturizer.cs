using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>Turns a deal, as it stood at an instant, and what earlier-closed deals teach into its feature vector.</summary>
public static class DealFeaturizer
{
    public static DealFeatureVector Featurize(DealSnapshot deal, DateTimeOffset instant, FeatureContext context)
    {
        var state = DealTimeline.AsOf(deal, instant);
        var values = new double?[RiskSignals.Names.Count];
        void Set(string name, double? value) => values[RiskSignals.IndexOf(name)] = value;

        var age = Days(state.CreatedAt, instant);
        var daysInStage = Days(state.StageEnteredAt, instant);
        var normal = context.MedianDaysInStage(state.Stage);
        var overall = context.OverallWinRate;

        Set(RiskSignals.DealAgeDays, age);
        Set(RiskSignals.CycleVsAverage, context.AverageCycleDays is > 0 and var average ? age / average : null);
        Set(RiskSignals.Amount, (double?)state.Amount);
        Set(RiskSignals.AmountPercentile, context.AmountPercentile(state.Amount));
        Set(RiskSignals.StageOrder, state.Stage is null ? null : DealStages.Order(state.Stage));
        Set(RiskSignals.DaysInStage, daysInStage);
        Set(RiskSignals.StageNormalDays, normal);
        Set(RiskSignals.DaysInStageRatio, normal is null ? null : daysInStage / Math.Max(1, normal.Value));
        Set(RiskSignals.StageRegressions, state.StageRegressions);
        Set(RiskSignals.CloseDatePushes, state.CloseDatePushes);
        Set(RiskSignals.DaysOverdue, state.CloseDate is { } close ? Math.Max(0, DateOnly.FromDateTime(instant.UtcDateTime).DayNumber - close.DayNumber) : null);
        Set(RiskSignals.AmountChanges, state.AmountChanges);
        Set(RiskSignals.DaysSinceLastActivity, state.LastActivityAt is { } last ? Days(last, instant) : null);
        Set(RiskSignals.ActivitiesLast14Days, state.ActivitiesLast14Days);
        Set(RiskSignals.ActivitiesLast30Days, state.ActivitiesLast30Days);
        Set(RiskSignals.ContactCount, state.ContactCount);
        Set(RiskSignals.SingleThreaded, state.ContactCount is { } contacts ? (contacts <= 1 ? 1 : 0) : null);
        Set(RiskSignals.NextStepMissing, NextStepMissing(state));
        Set(RiskSignals.NextStepStaleDays, state.NextStepUpdatedAt is { } updated ? Days(updated, instant) : null);
        Set(RiskSignals.OwnerChanges, state.OwnerChanges);

        var repRate = context.WinRate(OutcomeStatistics.Rep, state.Owner);
        Set(RiskSignals.RepWinRate, repRate);
        Set(RiskSignals.RepWinRatePercentile, context.RepPercentile(state.Owner));
        Set(RiskSignals.RepWinRateLift, Lift(repRate, overall));
        Set(RiskSignals.IndustryWinRateLift, Lift(context.WinRate(OutcomeStatistics.Industry, deal.Industry), overall));
        Set(RiskSignals.RegionWinRateLift, Lift(context.WinRate(OutcomeStatistics.Region, deal.Region), overall));
        Set(RiskSignals.LeadSourceWinRateLift, Lift(context.WinRate(OutcomeStatistics.LeadSource, deal.LeadSource), overall));
        Set(RiskSignals.ProductWinRateLift, Lift(context.WinRate(OutcomeStatistics.Product, deal.Product), overall));
        Set(RiskSignals.PartnerLead, deal.LeadSource is null ? null : string.Equals(deal.LeadSource, "Partner", StringComparison.OrdinalIgnoreCase) ? 1 : 0);
        var profile = PointInTimeProfile.Of(deal, state);
        Set(RiskSignals.MissingFieldCount, profile.MissingFields.Count);
        Set(RiskSignals.DataQualityFlag, profile.DataQualityFlag ? 1 : 0);

        return new DealFeatureVector
        {
            Deal = profile,
            Values = values,
        };
    }

    /// <summary>Unknown (null) when nothing shows the source records next steps at all, as with exports that carry none.</summary>
    private static double? NextStepMissing(DealState state) =>
        !string.IsNullOrWhiteSpace(state.NextStep) ? 0
        : state.NextStepUpdatedAt is not null ? 1
        : null;

    private static double Days(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, Math.Floor((to - from).TotalDays));

    private static double? Lift(double? rate, double? overall) => rate is { } r && overall is { } o ? r - o : null;
}
