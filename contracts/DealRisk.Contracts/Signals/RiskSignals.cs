using static DealRisk.Contracts.SignalWords;

namespace DealRisk.Contracts;

/// <summary>
/// The catalogue of risk signals, in the order feature values travel in <c>FeaturesComputed</c>. Features computes
/// them, rule files are checked against them, reasons are phrased by them and the README's signal table lists them.
/// </summary>
public static class RiskSignals
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

    private const string SponsorMeeting = "Executive sponsor meeting this week";
    private const string SponsorCall = "Executive sponsor call TODAY";
    private const string ManagerReview = "Manager deal review";
    private const string Requalify = "Re-qualify timing and the buying process with the buyer";
    private const string Reengage = "Re-engage the champion today";
    private const string MultiThread = "Multi-thread: get an economic buyer on the next call";
    private const string SetNextStep = "Set a dated next step with the buyer";
    private const string VerifyAuthority = "Verify buyer authority + SE review";
    private const string CompleteRecord = "Complete the deal's missing CRM fields";
    private const string KeepMomentum = "Keep momentum: confirm the next step with the buyer";

    public static IReadOnlyList<RiskSignal> Catalogue { get; } =
    [
        new(DealAgeDays, "days", "Days since the deal was created", SponsorMeeting, 95,
            (v, _) => v >= 30 ? $"Open {Whole(v)} days" : null),
        new(CycleVsAverage, "ratio", "Deal age over the average sales cycle of closed deals", SponsorMeeting, 1.4,
            (v, _) => v > 1 ? $"Open {Ratio(v)}× as long as the average closed deal" : null),
        new(Amount, "USD", "Deal amount (ACV)", ManagerReview, 45_000,
            (v, _) => $"ACV ${v / 1000:0}k"),
        new(AmountPercentile, "share 0–1", "Share of closed deals smaller than this one", ManagerReview, 0.9,
            (v, _) => v >= 0.5 ? $"Larger than {Percent(v)} of closed deals" : null),
        new(StageOrder, "index 0–5", "Position of the current stage in the pipeline (Lead 0 … Negotiation 4)", KeepMomentum, 3,
            (_, deal) => $"In {deal.Stage}"),
        new(DaysInStage, "days", "Days since the deal entered its current stage", SponsorCall, 40,
            (v, deal) => v >= 14 ? $"{Whole(v)} days in {deal.Stage}" : null),
        new(StageNormalDays, "days", "Median days closed deals spent in this stage", KeepMomentum, 12,
            (_, _) => null),
        new(DaysInStageRatio, "ratio", "Days in stage over the stage's normal time", SponsorCall, 3.5,
            (v, deal) => v > 1 ? $"{Ratio(v)}× the normal time in {deal.Stage}" : null),
        new(StageRegressions, "count", "Times the deal moved back a stage", ManagerReview, 2,
            (v, _) => v >= 1 ? $"Moved back a stage{(v > 1 ? $" {Whole(v)} times" : "")}" : null),
        new(CloseDatePushes, "count", "Times the close date moved later", Requalify, 3,
            (v, _) => v >= 1 ? $"Close date pushed {Count(v, "time", "times")}" : null),
        new(DaysOverdue, "days", "Days since the expected close date passed", Requalify, 12,
            (v, _) => v > 0 ? $"Close date passed {Whole(v)} days ago" : null),
        new(AmountChanges, "count", "Times the amount changed", ManagerReview, 2,
            (v, _) => v >= 1 ? $"Amount changed {Count(v, "time", "times")}" : null),
        new(DaysSinceLastActivity, "days", "Days since the last logged activity", Reengage, 21,
            (v, _) => v >= 7 ? $"No activity for {Whole(v)} days" : null),
        new(ActivitiesLast14Days, "count", "Activities logged in the last 14 days", Reengage, 1,
            (v, _) => v <= 1 ? $"Only {Count(v, "activity", "activities")} in the last 14 days" : null),
        new(ActivitiesLast30Days, "count", "Activities logged in the last 30 days", Reengage, 2,
            (v, _) => v <= 2 ? $"Only {Count(v, "activity", "activities")} in the last 30 days" : null),
        new(ContactCount, "count", "Contacts associated with the deal", MultiThread, 2,
            (v, _) => v <= 2 ? $"Only {Count(v, "contact", "contacts")} on the deal" : null),
        new(SingleThreaded, "flag 0/1", "At most one contact on the deal", MultiThread, 1,
            (v, _) => v >= 1 ? "Single-threaded (one contact)" : null),
        new(NextStepMissing, "flag 0/1", "The CRM records next steps but this deal has none", SetNextStep, 1,
            (v, _) => v >= 1 ? "No next step recorded" : null),
        new(NextStepStaleDays, "days", "Days since the next step was last updated", SetNextStep, 30,
            (v, _) => v >= 14 ? $"Next step not updated for {Whole(v)} days" : null),
        new(OwnerChanges, "count", "Times the deal changed owner", ManagerReview, 1,
            (v, _) => v >= 1 ? $"Owner changed {Count(v, "time", "times")}" : null),
        new(RepWinRate, "share 0–1", "The owner's win rate over closed deals", ManagerReview, 0.18,
            (v, _) => $"Rep wins {Percent(v)} of closed deals"),
        new(RepWinRatePercentile, "share 0–1", "The owner's rank among reps by win rate", ManagerReview, 0.15,
            (v, _) => v < 0.5 ? $"Rep in the bottom {Percent(Math.Max(v, 0.01))} by win rate" : null),
        new(RepWinRateLift, "rate difference", "The owner's win rate minus the overall win rate", ManagerReview, -0.08,
            (v, _) => v < 0 ? $"Rep win rate {PointsBelow(v)} points below the team's" : null),
        new(IndustryWinRateLift, "rate difference", "The industry's win rate minus the overall win rate", "Share an industry reference customer", -0.06,
            (v, deal) => v < 0 ? $"{deal.Industry ?? "Industry"} wins {PointsBelow(v)} points less often than average" : null),
        new(RegionWinRateLift, "rate difference", "The region's win rate minus the overall win rate", ManagerReview, -0.06,
            (v, deal) => v < 0 ? $"{deal.Region ?? "Region"} wins {PointsBelow(v)} points less often than average" : null),
        new(LeadSourceWinRateLift, "rate difference", "The lead source's win rate minus the overall win rate", VerifyAuthority, -0.07,
            (v, deal) => v < 0 ? $"{deal.LeadSource ?? "Lead source"} leads convert {PointsBelow(v)} points below average" : null),
        new(ProductWinRateLift, "rate difference", "The product's win rate minus the overall win rate", "SE review of product fit", -0.05,
            (v, deal) => v < 0 ? $"{deal.Product ?? "Product"} wins {PointsBelow(v)} points less often than average" : null),
        new(PartnerLead, "flag 0/1", "The lead came from a partner", VerifyAuthority, 1,
            (v, _) => v >= 1 ? "Partner lead" : null),
        new(MissingFieldCount, "count", "Key fields missing from the deal", CompleteRecord, 4,
            (v, _) => v >= 1 ? $"{Whole(v)} key fields missing" : null),
        new(DataQualityFlag, "flag 0/1", "More than 3 key fields missing", CompleteRecord, 1,
            (v, _) => v >= 1 ? "Data incomplete" : null),
    ];

    /// <summary>Every signal's name, in catalogue order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Catalogue.Select(signal => signal.Name)];

    private static readonly Dictionary<string, int> Positions = Names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);

    /// <summary>Position of the signal in <see cref="Names"/>, or -1 when the catalogue has no such signal.</summary>
    public static int IndexOf(string name) => Positions.GetValueOrDefault(name, -1);

    public static RiskSignal? Find(string name) => IndexOf(name) is var i and >= 0 ? Catalogue[i] : null;

    public static bool IsKnown(string name) => Positions.ContainsKey(name);
}
