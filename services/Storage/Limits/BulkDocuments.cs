namespace DealRisk.Storage;

/// <summary>What a bulk write with repeated ids means, the same in both adapters (SQLite applies them in order).</summary>
internal static class BulkDocuments
{
    /// <summary>Per id the highest version, the first of equals: what applying them in order with "only if newer" keeps.</summary>
    public static List<VersionedDocument<T>> NewestPerId<T>(IEnumerable<VersionedDocument<T>> documents) where T : class
    {
        var newest = new Dictionary<string, VersionedDocument<T>>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            if (!newest.TryGetValue(document.Id, out var kept) || kept.Version < document.Version)
                newest[document.Id] = document;
        }
        return newest.Values.ToList();
    }

    /// <summary>Per id the last document: what unconditional upserts in order leave.</summary>
    public static List<KeyValuePair<string, T>> LastPerId<T>(IEnumerable<KeyValuePair<string, T>> documents)
    {
        var last = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (id, document) in documents)
            last[id] = document;
        return last.ToList();
    }
}
