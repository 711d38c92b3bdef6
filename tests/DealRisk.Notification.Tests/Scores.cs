using DealRisk.Contracts;

namespace DealRisk.Notification.Tests;

internal static class Scores
{
    public static DealRiskScore Of(
        string id,
        int score,
        string level,
        decimal? amount = 10_000m,
        string? industry = "SaaS",
        string? owner = "rep_1",
        string? name = null,
        long version = 1,
        string source = "test") => new()
    {
        Deal = new DealProfile
        {
            Source = source,
            ExternalId = id,
            Version = version,
            Name = name ?? id,
            Account = "Acme",
            Owner = owner,
            Amount = amount,
            Stage = DealStages.Proposal,
            DaysInStage = 45,
            Industry = industry,
            Region = "Europe",
        },
        Score = score,
        Level = level,
        Reasons = ["Rep win rate in the bottom 20%", "45 days in Proposal"],
        Action = "Executive sponsor call",
        Scorer = "rules",
    };

    public static DealRiskScore Critical(string id, decimal? amount = 10_000m, int score = 90) => Of(id, score, RiskLevels.Critical, amount);

    public static DealRiskScore High(string id, decimal? amount = 10_000m, int score = 60) => Of(id, score, RiskLevels.High, amount);

    public static DealRiskScore Medium(string id, decimal? amount = 10_000m, int score = 40) => Of(id, score, RiskLevels.Medium, amount);

    public static DealRiskScore Low(string id, decimal? amount = 10_000m, int score = 10) => Of(id, score, RiskLevels.Low, amount);
}
