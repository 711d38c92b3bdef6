using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>Turns a feature that pushed a deal's risk up into plain words; null when its value is not a risk worth naming.</summary>
public static class ReasonPhrases
{
    public static string? Describe(string feature, double? value, DealProfile deal)
    {
        if (value is not { } v) return null;
        return feature switch
        {
            "days_since_last_activity" when v >= 7 => $"No activity for {Whole(v)} days",
            "activities_last_14d" when v <= 1 => $"Only {Whole(v)} {(v == 1 ? "activity" : "activities")} in the last 14 days",
            "activities_last_30d" when v <= 2 => $"Only {Whole(v)} {(v == 1 ? "activity" : "activities")} in the last 30 days",
            "close_date_pushes" when v >= 1 => $"Close date pushed {Whole(v)} {(v == 1 ? "time" : "times")}",
            "days_overdue" when v > 0 => $"Close date passed {Whole(v)} days ago",
            "days_in_stage_ratio" when v > 1 => $"{Ratio(v)}× the normal time in {deal.Stage}",
            "days_in_stage" when v >= 14 => $"{Whole(v)} days in {deal.Stage}",
            "deal_age_days" when v >= 30 => $"Open {Whole(v)} days",
            "cycle_vs_average" when v > 1 => $"Open {Ratio(v)}× as long as the average closed deal",
            "single_threaded" when v >= 1 => "Single-threaded (one contact)",
            "contact_count" when v <= 2 => $"Only {Whole(v)} {(v == 1 ? "contact" : "contacts")} on the deal",
            "stage_regressions" when v >= 1 => $"Moved back a stage{(v > 1 ? $" {Whole(v)} times" : "")}",
            "next_step_missing" when v >= 1 => "No next step recorded",
            "next_step_stale_days" when v >= 14 => $"Next step not updated for {Whole(v)} days",
            "owner_changes" when v >= 1 => $"Owner changed {Whole(v)} {(v == 1 ? "time" : "times")}",
            "amount_changes" when v >= 1 => $"Amount changed {Whole(v)} {(v == 1 ? "time" : "times")}",
            "rep_win_rate" => $"Rep wins {Percent(v)} of closed deals",
            "rep_win_rate_percentile" when v < 0.5 => $"Rep in the bottom {Percent(Math.Max(v, 0.01))} by win rate",
            "rep_win_rate_lift" when v < 0 => $"Rep win rate {Points(v)} points below the team's",
            "industry_win_rate_lift" when v < 0 => $"{deal.Industry ?? "Industry"} wins {Points(v)} points less often than average",
            "region_win_rate_lift" when v < 0 => $"{deal.Region ?? "Region"} wins {Points(v)} points less often than average",
            "lead_source_win_rate_lift" when v < 0 => $"{deal.LeadSource ?? "Lead source"} leads convert {Points(v)} points below average",
            "product_win_rate_lift" when v < 0 => $"{deal.Product ?? "Product"} wins {Points(v)} points less often than average",
            "partner_lead" when v >= 1 => "Partner lead",
            "amount" => $"ACV ${v / 1000:0}k",
            "amount_percentile" when v >= 0.5 => $"Larger than {Percent(v)} of closed deals",
            "missing_field_count" when v >= 1 => $"{Whole(v)} key fields missing",
            "data_quality_flag" when v >= 1 => "Data incomplete",
            "stage_order" => $"In {deal.Stage}",
            _ => null,
        };
    }

    private static string Whole(double value) => Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
    private static string Ratio(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);
    private static string Points(double lift) => Math.Round(-lift * 100).ToString("0", CultureInfo.InvariantCulture);
}
