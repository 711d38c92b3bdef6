namespace DealRisk.Storage;

/// <summary>
/// Whether the writes of the current flow may wait: a flow marked background (the daily batch's chunks) lets every
/// write that is waiting without the mark go first where a store serializes its writes (the embedded store's single
/// writer), so a real-time rescore never waits behind a queue of chunk transactions.
/// </summary>
public static class WritePriority
{
    private static readonly AsyncLocal<bool> InBackground = new();

    public static bool IsBackground => InBackground.Value;

    /// <summary>Marks the rest of the calling async flow (and what it starts) as background writes.</summary>
    public static void MarkBackground() => InBackground.Value = true;
}
