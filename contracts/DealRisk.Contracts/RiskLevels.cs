namespace DealRisk.Contracts;

public static class RiskLevels
{
    public const string Critical = "CRITICAL";
    public const string High = "HIGH";
    public const string Medium = "MEDIUM";
    public const string Low = "LOW";

    /// <summary>Severity rank: LOW 0 … CRITICAL 3; unknown levels rank -1.</summary>
    public static int Rank(string? level) => level switch
    {
        Low => 0,
        Medium => 1,
        High => 2,
        Critical => 3,
        _ => -1,
    };
}
