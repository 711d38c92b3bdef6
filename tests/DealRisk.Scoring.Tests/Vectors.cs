using DealRisk.Contracts;

namespace DealRisk.Scoring.Tests;

/// <summary>Feature vectors built by name, as the feature service sends them; every feature not given is null.</summary>
internal static class Vectors
{
    /// <summary>The names the feature service computes (its FeatureNames.All), in its order.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "deal_age_days", "cycle_vs_average", "amount", "amount_percentile", "stage_order", "days_in_stage", "stage_normal_days",
        "days_in_stage_ratio", "stage_regressions", "close_date_pushes", "days_overdue", "amount_changes", "days_since_last_activity",
        "activities_last_14d", "activities_last_30d", "contact_count", "single_threaded", "next_step_missing", "next_step_stale_days",
        "owner_changes", "rep_win_rate", "rep_win_rate_percentile", "rep_win_rate_lift", "industry_win_rate_lift", "region_win_rate_lift",
        "lead_source_win_rate_lift", "product_win_rate_lift", "partner_lead", "missing_field_count", "data_quality_flag",
    ];

    public static DealProfile Deal(string stage = DealStages.Qualified, string id = "D-1") => new()
    {
        Source = "test",
        ExternalId = id,
        Version = 1,
        Stage = stage,
        Amount = 20_000m,
    };

    public static DealFeatureVector Vector(DealProfile deal, params (string Name, double? Value)[] values)
    {
        var array = new double?[Names.Count];
        foreach (var (name, value) in values)
        {
            var index = Names.ToList().IndexOf(name);
            Assert.True(index >= 0, $"unknown feature {name}");
            array[index] = value;
        }
        return new DealFeatureVector { Deal = deal, Values = array };
    }

    public static DealFeatureVector Vector(params (string Name, double? Value)[] values) => Vector(Deal(), values);

    public static FeaturesComputed Computed(params DealFeatureVector[] vectors) => new()
    {
        CorrelationId = Guid.NewGuid(),
        AsOf = new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.Zero),
        FeatureNames = Names,
        Deals = vectors,
    };
}
