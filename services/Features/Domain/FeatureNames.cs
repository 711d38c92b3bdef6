namespace DealRisk.Features.Domain;

/// <summary>The features the store computes, in the order their values travel in <c>FeaturesComputed</c>.</summary>
public static class FeatureNames
{
    public const string DealAgeDays = "deal_age_days";
    public const string CycleVsAverage = "cycle_vs_average";
    public const string Amount = "amount";
    public const string AmountPercentile = "amount_percentile";
    public const string StageOrder = "stage_order";
    public const string DaysInStage = "days_in_stage";
    public const string StageNormalDays = "stage_normal_days";
    public const string DaysInStageRatio = "days_in_stage_ratio";
    public const string StageRegressions = "stage_regressions";
    public const string CloseDatePushes = "close_date_pushes";
    public const string DaysOverdue = "days_overdue";
    public const string AmountChanges = "amount_changes";
    public const string DaysSinceLastActivity = "days_since_last_activity";
    public const string ActivitiesLast14Days = "activities_last_14d";
    public const string ActivitiesLast30Days = "activities_last_30d";
    public const string ContactCount = "contact_count";
    public const string SingleThreaded = "single_threaded";
    public const string NextStepMissing = "next_step_missing";
    public const string NextStepStaleDays = "next_step_stale_days";
    public const string OwnerChanges = "owner_changes";
    public const string RepWinRate = "rep_win_rate";
    public const string RepWinRatePercentile = "rep_win_rate_percentile";
    public const string RepWinRateLift = "rep_win_rate_lift";
    public const string IndustryWinRateLift = "industry_win_rate_lift";
    public const string RegionWinRateLift = "region_win_rate_lift";
    public const string LeadSourceWinRateLift = "lead_source_win_rate_lift";
    public const string ProductWinRateLift = "product_win_rate_lift";
    public const string PartnerLead = "partner_lead";
    public const string MissingFieldCount = "missing_field_count";
    public const string DataQualityFlag = "data_quality_flag";

    public static IReadOnlyList<string> All { get; } =
    [
        DealAgeDays, CycleVsAverage, Amount, AmountPercentile, StageOrder, DaysInStage, StageNormalDays, DaysInStageRatio,
        StageRegressions, CloseDatePushes, DaysOverdue, AmountChanges, DaysSinceLastActivity, ActivitiesLast14Days,
        ActivitiesLast30Days, ContactCount, SingleThreaded, NextStepMissing, NextStepStaleDays, OwnerChanges,
        RepWinRate, RepWinRatePercentile, RepWinRateLift, IndustryWinRateLift, RegionWinRateLift, LeadSourceWinRateLift,
        ProductWinRateLift, PartnerLead, MissingFieldCount, DataQualityFlag,
    ];

    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
            if (All[i] == name) return i;
        return -1;
    }
}
