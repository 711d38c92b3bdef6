using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>Turns a deal, as it stood at an instant, and what earlier-closed deals teach into its feature vector.</summary>
public static class DealFeaturizer
{
    private static readonly int Width = RiskSignals.Names.Count;

    public static DealFeatureVector Featurize(DealSnapshot deal, DateTimeOffset instant, FeatureContext context)
    {
        Span<double> row = stackalloc double[Width];
        var profile = Featurize(deal, instant, context, row);
        var values = new double?[Width];
        for (var i = 0; i < Width; i++)
            values[i] = double.IsNaN(row[i]) ? null : row[i];
        return new DealFeatureVector { Deal = profile, Values = values };
    }

    /// <summary>
    /// Writes the deal's features into <paramref name="row"/> (in <see cref="RiskSignals.Names"/> order, NaN where a feature
    /// cannot be computed, as a batch chunk's matrix holds them) and returns its profile as of the instant.
    /// </summary>
    public static DealProfile Featurize(DealSnapshot deal, DateTimeOffset instant, FeatureContext context, Span<double> row)
    {
        if (row.Length != Width)
            throw new ArgumentException($"A feature row has {Width} values, not {row.Length}.", nameof(row));
        row.Fill(double.NaN);
        var state = DealTimeline.AsOf(deal, instant);

        var age = Days(state.CreatedAt, instant);
        var daysInStage = Days(state.StageEnteredAt, instant);
        var normal = context.MedianDaysInStage(state.Stage);
        var overall = context.OverallWinRate;

        row[At.DealAgeDays] = age;
        row[At.CycleVsAverage] = context.AverageCycleDays is > 0 and var average ? age / average : double.NaN;
        row[At.Amount] = state.Amount is { } amount ? (double)amount : double.NaN;
        row[At.AmountPercentile] = context.AmountPercentile(state.Amount) ?? double.NaN;
        row[At.StageOrder] = state.Stage is null ? double.NaN : DealStages.Order(state.Stage);
        row[At.DaysInStage] = daysInStage;
        row[At.StageNormalDays] = normal ?? double.NaN;
        row[At.DaysInStageRatio] = normal is null ? double.NaN : daysInStage / Math.Max(1, normal.Value);
        row[At.StageRegressions] = state.StageRegressions;
        row[At.CloseDatePushes] = state.CloseDatePushes;
        row[At.DaysOverdue] = state.CloseDate is { } close ? Math.Max(0, DateOnly.FromDateTime(instant.UtcDateTime).DayNumber - close.DayNumber) : double.NaN;
        row[At.AmountChanges] = state.AmountChanges;
        row[At.DaysSinceLastActivity] = state.LastActivityAt is { } last ? Days(last, instant) : double.NaN;
        row[At.ActivitiesLast14Days] = state.ActivitiesLast14Days ?? double.NaN;
        row[At.ActivitiesLast30Days] = state.ActivitiesLast30Days ?? double.NaN;
        row[At.ContactCount] = state.ContactCount ?? double.NaN;
        row[At.SingleThreaded] = state.ContactCount is { } contacts ? (contacts <= 1 ? 1 : 0) : double.NaN;
        row[At.NextStepMissing] = NextStepMissing(state) ?? double.NaN;
        row[At.NextStepStaleDays] = state.NextStepUpdatedAt is { } updated ? Days(updated, instant) : double.NaN;
        row[At.OwnerChanges] = state.OwnerChanges;

        var repRate = context.WinRate(OutcomeStatistics.Rep, state.Owner);
        row[At.RepWinRate] = repRate ?? double.NaN;
        row[At.RepWinRatePercentile] = context.RepPercentile(state.Owner) ?? double.NaN;
        row[At.RepWinRateLift] = Lift(repRate, overall);
        row[At.IndustryWinRateLift] = Lift(context.WinRate(OutcomeStatistics.Industry, deal.Industry), overall);
        row[At.RegionWinRateLift] = Lift(context.WinRate(OutcomeStatistics.Region, deal.Region), overall);
        row[At.LeadSourceWinRateLift] = Lift(context.WinRate(OutcomeStatistics.LeadSource, deal.LeadSource), overall);
        row[At.ProductWinRateLift] = Lift(context.WinRate(OutcomeStatistics.Product, deal.Product), overall);
        row[At.PartnerLead] = deal.LeadSource is null ? double.NaN : string.Equals(deal.LeadSource, "Partner", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        var profile = PointInTimeProfile.Of(deal, state);
        row[At.MissingFieldCount] = profile.MissingFields.Count;
        row[At.DataQualityFlag] = profile.DataQualityFlag ? 1 : 0;
        return profile;
    }

    /// <summary>Unknown (null) when nothing shows the source records next steps at all, as with exports that carry none.</summary>
    private static double? NextStepMissing(DealState state) =>
        !string.IsNullOrWhiteSpace(state.NextStep) ? 0
        : state.NextStepUpdatedAt is not null ? 1
        : null;

    private static double Days(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, Math.Floor((to - from).TotalDays));

    private static double Lift(double? rate, double? overall) => rate is { } r && overall is { } o ? r - o : double.NaN;

    /// <summary>Each feature's position in a row, looked up once rather than per deal.</summary>
    private static class At
    {
        public static readonly int DealAgeDays = Position(RiskSignals.DealAgeDays);
        public static readonly int CycleVsAverage = Position(RiskSignals.CycleVsAverage);
        public static readonly int Amount = Position(RiskSignals.Amount);
        public static readonly int AmountPercentile = Position(RiskSignals.AmountPercentile);
        public static readonly int StageOrder = Position(RiskSignals.StageOrder);
        public static readonly int DaysInStage = Position(RiskSignals.DaysInStage);
        public static readonly int StageNormalDays = Position(RiskSignals.StageNormalDays);
        public static readonly int DaysInStageRatio = Position(RiskSignals.DaysInStageRatio);
        public static readonly int StageRegressions = Position(RiskSignals.StageRegressions);
        public static readonly int CloseDatePushes = Position(RiskSignals.CloseDatePushes);
        public static readonly int DaysOverdue = Position(RiskSignals.DaysOverdue);
        public static readonly int AmountChanges = Position(RiskSignals.AmountChanges);
        public static readonly int DaysSinceLastActivity = Position(RiskSignals.DaysSinceLastActivity);
        public static readonly int ActivitiesLast14Days = Position(RiskSignals.ActivitiesLast14Days);
        public static readonly int ActivitiesLast30Days = Position(RiskSignals.ActivitiesLast30Days);
        public static readonly int ContactCount = Position(RiskSignals.ContactCount);
        public static readonly int SingleThreaded = Position(RiskSignals.SingleThreaded);
        public static readonly int NextStepMissing = Position(RiskSignals.NextStepMissing);
        public static readonly int NextStepStaleDays = Position(RiskSignals.NextStepStaleDays);
        public static readonly int OwnerChanges = Position(RiskSignals.OwnerChanges);
        public static readonly int RepWinRate = Position(RiskSignals.RepWinRate);
        public static readonly int RepWinRatePercentile = Position(RiskSignals.RepWinRatePercentile);
        public static readonly int RepWinRateLift = Position(RiskSignals.RepWinRateLift);
        public static readonly int IndustryWinRateLift = Position(RiskSignals.IndustryWinRateLift);
        public static readonly int RegionWinRateLift = Position(RiskSignals.RegionWinRateLift);
        public static readonly int LeadSourceWinRateLift = Position(RiskSignals.LeadSourceWinRateLift);
        public static readonly int ProductWinRateLift = Position(RiskSignals.ProductWinRateLift);
        public static readonly int PartnerLead = Position(RiskSignals.PartnerLead);
        public static readonly int MissingFieldCount = Position(RiskSignals.MissingFieldCount);
        public static readonly int DataQualityFlag = Position(RiskSignals.DataQualityFlag);

        private static int Position(string name) =>
            RiskSignals.IndexOf(name) is var position and >= 0 ? position : throw new InvalidOperationException($"The signal catalogue has no '{name}'.");
    }
}
