using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DealRisk.Storage;

/// <summary>
/// An <see cref="IBinaryLog"/> as typed columns (no BSON): entries keyed by (segment, key, id) with a table of the
/// segments each partition has entries in, and heads keyed by key with an index on the partition. Entries are indexed in
/// segment order (<see cref="BinaryLogSegment"/>), so the daily batch's append of a day's entries writes at the end of
/// the index, where keyed by (key, id) it rewrote a page of every deal's earlier entries each morning, more each day. The
/// rows themselves stay in a rowid table, appended in write order: as the index's own rows, an entry too large for one
/// page would make every comparison on the way to its neighbours allocate and read the whole entry.
/// A head that is one of the entries written with it (same key, partition and bytes, as the score history's always
/// are) stores that entry's id instead of the bytes again, so every append writes each payload once: the daily batch
/// rewrites every deal's head. Its write statements are prepared once on the writer connection, since a real-time
/// append is a single small transaction whose preparation would be a large share.
/// </summary>
internal sealed class SqliteBinaryLog : IBinaryLog, IDisposable
{
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly WriteFaults _faults;
    private readonly string _entries;
    private readonly string _heads;
    private readonly NativeStatement _writeHead;
    private readonly NativeStatement _advanceHead;
    private readonly NativeStatement _writeEntry;
    private readonly NativeStatement _writeSegment;
    private readonly NativeStatement _deleteEntries;
    private readonly NativeStatement _deleteHeads;
    private readonly NativeStatement _deleteSegments;
    private readonly NativeStatement _keepHeadBytes;
    private readonly string _selectHeadRange;
    private readonly string _keyEntries;

    private SqliteBinaryLog(string entries, string segments, string heads, BinaryLogSegment? segmentOf, SqliteWriter writer, SqliteReaderPool readers, WriteFaults faults)
    {
        _entries = entries;
        _heads = heads;
        SegmentOf = segmentOf;
        _writer = writer;
        _readers = readers;
        _faults = faults;
        // The heads of a chunk's keys, read as one walk of the key index (SqliteSortedRead): no parameter per key. A head
        // naming its entry takes that entry's bytes; the last column says the entry it names is missing.
        _selectHeadRange =
            $"SELECT h.k, h.v, CASE WHEN h.id IS NULL THEN h.bin ELSE e.bin END, h.p, h.id IS NOT NULL AND e.k IS NULL, h.id " +
            $"FROM {heads} AS h LEFT JOIN {entries} AS e ON e.s = h.s AND e.k = h.k AND e.id = h.id WHERE h.k >= ?1 AND h.k <= ?2 ORDER BY h.k";
        // One key's entries, one seek per segment.
        _keyEntries = $"FROM (SELECT DISTINCT s FROM {segments}) AS g CROSS JOIN {entries} AS e WHERE e.s = g.s AND e.k = $k";
        var connection = writer.Connection;
        // A head that stays in its partition (every deal of a daily batch but the first of a month) is updated in place:
        // the upsert's SET names the partition, so SQLite deletes and reinserts the head's partition index entry every time.
        _advanceHead = new NativeStatement(connection, $"UPDATE {heads} SET v = ?3, bin = ?4, id = ?5, s = ?6 WHERE k = ?1 AND p = ?2 AND v < ?3");
        _writeHead = new NativeStatement(connection,
            $"INSERT INTO {heads} (k, p, v, bin, id, s) VALUES (?1, ?2, ?3, ?4, ?5, ?6) " +
            $"ON CONFLICT (k) DO UPDATE SET p = excluded.p, v = excluded.v, bin = excluded.bin, id = excluded.id, s = excluded.s WHERE excluded.v > {heads}.v");
        // Before an insert replaces an entry a head names, the head takes that entry's bytes as its own.
        _keepHeadBytes = new NativeStatement(connection,
            $"UPDATE {heads} SET bin = (SELECT e.bin FROM {entries} AS e WHERE e.s = ?3 AND e.k = ?1 AND e.id = ?2), id = NULL, s = NULL WHERE k = ?1 AND id = ?2");
        _writeEntry = new NativeStatement(connection,
            $"INSERT INTO {entries} (s, k, id, p, bin) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (s, k, id) DO UPDATE SET p = excluded.p, bin = excluded.bin");
        _writeSegment = new NativeStatement(connection, $"INSERT INTO {segments} (s, p) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
        _deleteEntries = new NativeStatement(connection, $"DELETE FROM {entries} WHERE s IN (SELECT s FROM {segments} WHERE p = ?1) AND p = ?1");
        _deleteHeads = new NativeStatement(connection, $"DELETE FROM {heads} WHERE p = ?1");
        _deleteSegments = new NativeStatement(connection, $"DELETE FROM {segments} WHERE p = ?1");
    }

    /// <summary>The function the log was opened with: <see cref="IDocumentStore.GetBinaryLog"/> refuses another.</summary>
    public BinaryLogSegment? SegmentOf { get; }

    public static SqliteBinaryLog Open(string name, BinaryLogSegment? segmentOf, SqliteWriter writer, SqliteReaderPool readers, WriteFaults faults)
    {
        var table = SqliteNames.Table(name);
        var (entries, segments, heads) = (SqliteNames.Quote(table + "_entries"), SqliteNames.Quote(table + "_segments"), SqliteNames.Quote(table + "_heads"));
        return writer.Run(connection =>
        {
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                var stored = SqliteSchema.ColumnsOf(connection, transaction, table + "_entries");
                var unsegmented = stored.Count > 0 && !stored.Contains("s");
                var moved = SqliteNames.Quote(table + "_entries_unsegmented");
                if (unsegmented)
                    Execute(connection, transaction, $"ALTER TABLE {entries} RENAME TO {moved}");
                foreach (var sql in new[]
                {
                    $"CREATE TABLE IF NOT EXISTS {entries} (s INTEGER NOT NULL, k TEXT NOT NULL, id TEXT NOT NULL, p TEXT NOT NULL, bin BLOB NOT NULL, PRIMARY KEY (s, k, id))",
                    $"CREATE TABLE IF NOT EXISTS {segments} (s INTEGER NOT NULL, p TEXT NOT NULL, PRIMARY KEY (s, p)) WITHOUT ROWID",
                    $"CREATE TABLE IF NOT EXISTS {heads} (k TEXT PRIMARY KEY, p TEXT NOT NULL, v INTEGER NOT NULL, bin BLOB NOT NULL, id TEXT, s INTEGER)",
                    $"CREATE INDEX IF NOT EXISTS {SqliteNames.Quote(table + "_heads_p")} ON {heads} (p)",
                })
                    Execute(connection, transaction, sql);
                // Heads written before they could name their entry keep their bytes (id NULL).
                var headColumns = SqliteSchema.ColumnsOf(connection, transaction, table + "_heads");
                if (!headColumns.Contains("id"))
                    Execute(connection, transaction, $"ALTER TABLE {heads} ADD COLUMN id TEXT");
                if (!headColumns.Contains("s"))
                    Execute(connection, transaction, $"ALTER TABLE {heads} ADD COLUMN s INTEGER");
                if (unsegmented)
                    MoveUnsegmented(connection, transaction, segmentOf, moved, entries, segments, heads);
                transaction.Commit();
            }
            return new SqliteBinaryLog(entries, segments, heads, segmentOf, writer, readers, faults);
        });
    }

    /// <summary>
    /// The entries of a release that keyed them by (key, id), copied in segment order by one statement, and the heads
    /// that name one told its segment: once per store, at the cost of one copy of the log.
    /// </summary>
    private static void MoveUnsegmented(
        SqliteConnection connection, SqliteTransaction transaction, BinaryLogSegment? segmentOf, string moved, string entries, string segments, string heads)
    {
        var function = "dealrisk_segment_" + Guid.NewGuid().ToString("N");
        connection.CreateFunction<string, long>(function, id => SegmentFor(segmentOf, id), isDeterministic: true);
        try
        {
            Execute(connection, transaction, $"INSERT INTO {entries} (s, k, id, p, bin) SELECT {function}(id), k, id, p, bin FROM {moved} ORDER BY 1, 2, 3");
            Execute(connection, transaction, $"UPDATE {heads} SET s = {function}(id) WHERE id IS NOT NULL");
            Execute(connection, transaction, $"INSERT INTO {segments} (s, p) SELECT DISTINCT s, p FROM {entries} WHERE true ON CONFLICT DO NOTHING");
            Execute(connection, transaction, $"DROP TABLE {moved}");
        }
        finally
        {
            connection.CreateFunction<string, long>(function, null);
        }
    }

    public async Task<IReadOnlyList<BinaryLogHead>> ReadHeadsAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new List<BinaryLogHead>(keys.Count);
        await ReadHeadsAsync(keys, (key, revision, partition, payload) =>
            found.Add(new BinaryLogHead(key, Encoding.UTF8.GetString(partition), revision, payload.ToArray())), ct);
        return found;
    }

    public Task ReadHeadsAsync(IReadOnlyCollection<string> keys, BinaryLogHeadReader read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(read);
        var sorted = keys.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(sorted, Utf8Order.Instance);
        if (sorted.Length == 0)
            return Task.CompletedTask;
        using var ids = new Utf8Ids(sorted);
        var reader = _readers.Rent();
        try
        {
            SqliteSortedRead.Run(reader.Handle, reader.Statement(_selectHeadRange), ids, (index, row) =>
            {
                if (raw.sqlite3_column_int(row, 4) != 0)
                    throw new InvalidDataException(
                        $"The head of '{sorted[index]}' in {_heads} names entry '{raw.sqlite3_column_text(row, 5).utf8_to_string()}', which is not stored.");
                read(sorted[index], raw.sqlite3_column_int64(row, 1), raw.sqlite3_column_blob(row, 3), raw.sqlite3_column_blob(row, 2));
            }, ct);
        }
        finally
        {
            _readers.Return(reader);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> AppendAsync(IReadOnlyCollection<BinaryLogEntry> entries, IReadOnlyCollection<BinaryLogHead> heads, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(heads);
        foreach (var entry in entries) BinaryLogChecks.Check(entry);
        foreach (var head in heads) BinaryLogChecks.Check(head);
        if (heads.Count == 0)
            return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
        var newest = BinaryLogChecks.NewestPerKey(heads);
        var headEntries = HeadEntries.Of(newest, entries);
        return _writer.RunInTransactionAsync(_faults, (_, _) =>
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var head in newest)
            {
                if (WriteHead(head, headEntries.GetValueOrDefault(head.Key)) > 0)
                    written.Add(head.Key);
            }
            WriteEntries(entries.Where(entry => written.Contains(entry.Key)));
            return (IReadOnlySet<string>)written;
        }, ct);
    }

    public Task InsertAsync(IReadOnlyCollection<BinaryLogEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries) BinaryLogChecks.Check(entry);
        if (entries.Count == 0)
            return Task.CompletedTask;
        return _writer.RunInTransactionAsync(_faults, (_, _) =>
        {
            foreach (var entry in entries)
            {
                _keepHeadBytes.BindText(1, entry.Key);
                _keepHeadBytes.BindText(2, entry.Id);
                _keepHeadBytes.BindInt64(3, Segment(entry.Id));
                _keepHeadBytes.Execute();
            }
            WriteEntries(entries);
            return entries.Count;
        }, ct);
    }

    public async IAsyncEnumerable<BinaryLogEntry> ReadAsync(string key, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var found = new List<BinaryLogEntry>();
        var reader = _readers.Rent();
        try
        {
            var command = reader.Command($"SELECT e.k, e.id, e.p, e.bin {_keyEntries}");
            command.Parameters.AddWithValue("$k", key);
            await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (rows.Read())
                found.Add(new BinaryLogEntry(rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetFieldValue<byte[]>(3)));
        }
        finally
        {
            _readers.Return(reader);
        }
        foreach (var entry in found)
            yield return entry;
    }

    public Task<long> DeletePartitionAsync(string partition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return _writer.RunAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            _deleteEntries.BindText(1, partition);
            _deleteHeads.BindText(1, partition);
            _deleteSegments.BindText(1, partition);
            long deleted = _deleteEntries.Execute();
            _deleteHeads.Execute();
            _deleteSegments.Execute();
            transaction.Commit();
            return deleted;
        }, ct);
    }

    public Task<long> CountAsync(string? key = null, CancellationToken ct = default)
    {
        var reader = _readers.Rent();
        try
        {
            var command = reader.Command(key is null ? $"SELECT count(*) FROM {_entries}" : $"SELECT count(*) {_keyEntries}");
            if (key is not null)
                command.Parameters.AddWithValue("$k", key);
            return Task.FromResult(Convert.ToInt64(command.ExecuteScalar()));
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    public void Dispose()
    {
        _writeHead.Dispose();
        _advanceHead.Dispose();
        _writeEntry.Dispose();
        _writeSegment.Dispose();
        _deleteEntries.Dispose();
        _deleteHeads.Dispose();
        _deleteSegments.Dispose();
        _keepHeadBytes.Dispose();
    }

    /// <param name="entryId">The id of the entry written with the head that holds its bytes, or null to store them in the head.</param>
    /// <returns>1 when the head was written, 0 when a newer one is stored.</returns>
    private int WriteHead(BinaryLogHead head, string? entryId) =>
        Bind(_advanceHead, head, entryId).Execute() > 0 ? 1 : Bind(_writeHead, head, entryId).Execute();

    /// <summary>Both head statements take key, partition, revision, bytes, entry id and segment in that order.</summary>
    private NativeStatement Bind(NativeStatement statement, BinaryLogHead head, string? entryId)
    {
        statement.BindText(1, head.Key);
        statement.BindText(2, head.Partition);
        statement.BindInt64(3, head.Revision);
        statement.BindBlob(4, entryId is null ? head.Payload : []);
        statement.BindTextOrNull(5, entryId);
        if (entryId is null)
            statement.BindNull(6);
        else
            statement.BindInt64(6, Segment(entryId));
        return statement;
    }

    private long Segment(string id) => SegmentFor(SegmentOf, id);

    /// <summary>Without a function every entry is in segment 0.</summary>
    private static long SegmentFor(BinaryLogSegment? segmentOf, string id) => segmentOf?.Invoke(id) ?? 0;

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Each entry, and once per transaction each (segment, partition) it brings.</summary>
    private void WriteEntries(IEnumerable<BinaryLogEntry> entries)
    {
        var listed = new HashSet<(long, string)>();
        foreach (var entry in entries)
        {
            var segment = Segment(entry.Id);
            if (listed.Add((segment, entry.Partition)))
            {
                _writeSegment.BindInt64(1, segment);
                _writeSegment.BindText(2, entry.Partition);
                _writeSegment.Execute();
            }
            _writeEntry.BindInt64(1, segment);
            _writeEntry.BindText(2, entry.Key);
            _writeEntry.BindText(3, entry.Id);
            _writeEntry.BindText(4, entry.Partition);
            _writeEntry.BindBlob(5, entry.Payload);
            _writeEntry.Execute();
        }
    }
}
