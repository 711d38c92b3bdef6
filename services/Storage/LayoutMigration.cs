namespace DealRisk.Storage;

/// <summary>Moves the documents an older release stored into the rows of an <see cref="IBinaryCollection"/>.</summary>
public static class LayoutMigration
{
    private const int BlockSize = 5000;

    /// <summary>
    /// A block at a time: the block's rows are written first (a row stored there already wins when it is newer), then
    /// its documents deleted, so a crash part-way loses nothing and the next start carries on. Returns how many moved.
    /// </summary>
    public static async Task<long> MoveAsync<T>(IDocumentCollection<T> from, IBinaryCollection to, Func<T, BinaryRow> convert, CancellationToken ct)
        where T : class
    {
        long moved = 0;
        string? stalledAt = null;
        while (true)
        {
            var block = new List<BinaryRow>(BlockSize);
            await foreach (var document in from.ScanAsync(ct).ConfigureAwait(false))
            {
                block.Add(convert(document));
                if (block.Count == BlockSize)
                    break;
            }
            if (block.Count == 0)
                return moved;

            await to.UpsertManyIfNewerAsync(block, ct).ConfigureAwait(false);
            var deleted = await from.DeleteByIdsAsync([.. block.Select(row => row.Id)], ct).ConfigureAwait(false);
            // Another replica moving the same documents deletes them first; only the same block twice means none can be deleted.
            if (deleted == 0 && stalledAt == block[0].Id)
                throw new InvalidOperationException(
                    $"Moving documents to the new layout made no progress: none of {block.Count} documents is stored under the id its content gives (first: '{block[0].Id}').");
            stalledAt = deleted == 0 ? block[0].Id : null;
            moved += deleted;
        }
    }
}
