namespace DealRisk.Storage;

/// <summary>What every <see cref="IBinaryLog"/> adapter checks before it writes, and how it picks one head per key.</summary>
internal static class BinaryLogChecks
{
    public static void Check(BinaryLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Key);
        ArgumentNullException.ThrowIfNull(entry.Id);
        ArgumentNullException.ThrowIfNull(entry.Partition);
        ArgumentNullException.ThrowIfNull(entry.Payload);
        DocumentSizeLimit.Ensure(entry.Key, entry.Id, entry.Payload);
    }

    public static void Check(BinaryLogHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(head.Key);
        ArgumentNullException.ThrowIfNull(head.Partition);
        ArgumentNullException.ThrowIfNull(head.Payload);
        DocumentSizeLimit.Ensure(head.Key, head.Payload);
    }

    /// <summary>Of several heads of one key, the one with the highest revision (the first of equals).</summary>
    public static List<BinaryLogHead> NewestPerKey(IEnumerable<BinaryLogHead> heads)
    {
        var newest = new Dictionary<string, BinaryLogHead>(StringComparer.Ordinal);
        foreach (var head in heads)
            if (!newest.TryGetValue(head.Key, out var kept) || kept.Revision < head.Revision)
                newest[head.Key] = head;
        return [.. newest.Values];
    }
}
