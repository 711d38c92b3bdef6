namespace DealRisk.SyntheticCrm;

/// <summary>Rep names; every eighth rep from rep_05 on (rep_05, rep_13, rep_21) wins less often.</summary>
internal static class SyntheticReps
{
    public static string Name(int rep) => $"rep_{rep:00}";

    public static bool IsWeak(int rep) => rep % 8 == 5;
}
