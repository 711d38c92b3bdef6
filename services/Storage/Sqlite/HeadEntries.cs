namespace DealRisk.Storage;

/// <summary>
/// Which heads of an append are one of the entries written with them: same key, partition and bytes as the entry that
/// the append leaves stored under its (key, id), the last of several. Such a head can name that entry instead of
/// holding its bytes, and is deleted with it, since both sit in one partition.
/// </summary>
internal static class HeadEntries
{
    /// <param name="heads">At most one per key, as <see cref="BinaryLogChecks.NewestPerKey"/> leaves them.</param>
    /// <returns>The entry id each such head names, by key.</returns>
    public static Dictionary<string, string> Of(IReadOnlyCollection<BinaryLogHead> heads, IReadOnlyCollection<BinaryLogEntry> entries)
    {
        var headOf = heads.ToDictionary(head => head.Key, StringComparer.Ordinal);
        var stored = new Dictionary<(string Key, string Id), BinaryLogEntry>(entries.Count);
        foreach (var entry in entries)
            stored[(entry.Key, entry.Id)] = entry;
        var named = new Dictionary<string, string>(heads.Count, StringComparer.Ordinal);
        foreach (var entry in stored.Values)
        {
            if (!named.ContainsKey(entry.Key) && headOf.TryGetValue(entry.Key, out var head) && entry.Partition == head.Partition
                && (ReferenceEquals(entry.Payload, head.Payload) || entry.Payload.AsSpan().SequenceEqual(head.Payload)))
                named[entry.Key] = entry.Id;
        }
        return named;
    }
}
