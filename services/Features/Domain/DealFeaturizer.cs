using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>Turns a deal, as it stood at an instant, and what earlier-closed deals teach into its feature vector.</summary>
public static class DealFeaturizer
{
    public static DealFeatureVector Featurize(DealSnapshot deal, DateTimeOffset instant, FeatureContext context)
    {
        var state = DealTimeline.AsOf(deal, instant);
        var values = new double?[FeatureNames.All.Count];
        void Set(string name, double? value) => values[FeatureNames.IndexOf(name)] = value;

        var age = Days(state.CreatedAt, instant);
        var daysInStage = Days(state.StageEnteredAt, instant);
        var normal = context.MedianDaysInStage(state.Stage);
        var overall = context.OverallWinRate;

        Set(FeatureNames.DealAgeDays, age);
        Set(FeatureNames.CycleVsAverage, context.AverageCycleDays is > 0 and var average ? age / average : null);
        Set(FeatureNames.Amount, (double?)state.Amount);
        Set(FeatureNames.AmountPercentile, context.AmountPercentile(state.Amount));
        Set(FeatureNames.StageOrder, state.Stage is null ? null : DealStages.Order(state.Stage));
        Set(FeatureNames.DaysInStage, daysInStage);
        Set(FeatureNames.StageNormalDays, normal);
        Set(FeatureNames.DaysInStageRatio, normal is null ? null : daysInStage / Math.Max(1, normal.Value));
        Set(FeatureNames.StageRegressions, state.StageRegressions);
        Set(FeatureNames.CloseDatePushes, state.CloseDatePushes);
        Set(FeatureNames.DaysOverdue, state.CloseDate is { } close ? Math.Max(0, DateOnly.FromDateTime(instant.UtcDateTime).DayNumber - close.DayNumber) : null);
        Set(FeatureNames.AmountChanges, state.AmountChanges);
        Set(FeatureNames.DaysSinceLastActivity, state.LastActivityAt is { } last ? Days(last, instant) : null);
        Set(FeatureNames.ActivitiesLast14Days, state.ActivitiesLast14Days);
        Set(FeatureNames.ActivitiesLast30Days, state.ActivitiesLast30Days);
        Set(FeatureNames.ContactCount, state.ContactCount);
        Set(FeatureNames.SingleThreaded, state.ContactCount is { } contacts ? (contacts <= 1 ? 1 : 0) : null);
        Set(FeatureNames.NextStepMissing, NextStepMissing(state));
        Set(FeatureNames.NextStepStaleDays, state.NextStepUpdatedAt is { } updated ? Days(updated, instant) : null);
        Set(FeatureNames.OwnerChanges, state.OwnerChanges);

        var repRate = context.WinRate(OutcomeStatistics.Rep, state.Owner);
        Set(FeatureNames.RepWinRate, repRate);
        Set(FeatureNames.RepWinRatePercentile, context.RepPercentile(state.Owner));
        Set(FeatureNames.RepWinRateLift, Lift(repRate, overall));
        Set(FeatureNames.IndustryWinRateLift, Lift(context.WinRate(OutcomeStatistics.Industry, deal.Industry), overall));
        Set(FeatureNames.RegionWinRateLift, Lift(context.WinRate(OutcomeStatistics.Region, deal.Region), overall));
        Set(FeatureNames.LeadSourceWinRateLift, Lift(context.WinRate(OutcomeStatistics.LeadSource, deal.LeadSource), overall));
        Set(FeatureNames.ProductWinRateLift, Lift(context.WinRate(OutcomeStatistics.Product, deal.Product), overall));
        Set(FeatureNames.PartnerLead, deal.LeadSource is null ? null : string.Equals(deal.LeadSource, "Partner", StringComparison.OrdinalIgnoreCase) ? 1 : 0);
        var profile = PointInTimeProfile.Of(deal, state);
        Set(FeatureNames.MissingFieldCount, profile.MissingFields.Count);
        Set(FeatureNames.DataQualityFlag, profile.DataQualityFlag ? 1 : 0);

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
