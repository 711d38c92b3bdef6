namespace DealRisk.Contracts;

/// <summary>The two parts of a batch: deals closed before the as-of date (they feed win rates) and deals open on it (they get scored).</summary>
public static class DealChunkParts
{
    public const string History = "history";
    public const string Open = "open";
}
