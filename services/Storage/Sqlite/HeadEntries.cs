namespace DealRisk.Storage;

/// <summary>
/// Which heads of an append are one of the entries written with them: same key, partition and bytes as the entry that
/// the append leaves stored under its (key, id), the last of several. Such a head can name that entry instead of
/// holding its bytes, and is deleted with it, since both sit in one partition.
/// </summary>
internal static class HeadEntries
{
    /// <returns>The entry id each such head names, by key.</returns>
    public static Dictionary<string, string> Of(IReadOnlyCollection<BinaryLogHead> heads, IReadOnlyCollection<BinaryLogEntry> entries)
    {
        var stored = new Dictionary<(string Key, string Id), BinaryLogEntry>(entries.Count);
        var idsOfKey = new Dictionary<string, List<string>>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!stored.ContainsKey((entry.Key, entry.Id)))
            {
                if (!idsOfKey.TryGetValue(entry.Key, out var ids))
                    idsOfKey[entry.Key] = ids = new List<string>(1);
                ids.Add(entry.Id);
            }
            stored[(entry.Key, entry.Id)] = entry;
        }
        var named = new Dictionary<string, string>(heads.Count, StringComparer.Ordinal);
        foreach (var head in heads)
        {
            if (!idsOfKey.TryGetValue(head.Key, out var ids))
                continue;
            foreach (var id in ids)
            {
                var entry = stored[(head.Key, id)];
                if (entry.Partition == head.Partition && (ReferenceEquals(entry.Payload, head.Payload) || entry.Payload.AsSpan().SequenceEqual(head.Payload)))
                {
                    named[head.Key] = id;
                    break;
                }
            }
        }
        return named;
    }
}
