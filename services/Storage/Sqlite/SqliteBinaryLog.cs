using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DealRisk.Storage;

/// <summary>
/// An <see cref="IBinaryLog"/> as two tables of typed columns (no BSON): entries keyed by (key, id) with an index on
/// the partition, and heads keyed by key with an index on the partition. A head that is one of the entries written with
/// it (same key, partition and bytes, as the score history's always are) stores that entry's id instead of the bytes
/// again, so every append writes each payload once: the daily batch rewrites every deal's head. Its write statements
/// are prepared once on the writer connection, since a real-time append is a single small transaction whose
/// preparation would be a large share.
/// </summary>
internal sealed class SqliteBinaryLog : IBinaryLog, IDisposable
{
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly WriteFaults _faults;
    private readonly string _entries;
    private readonly string _heads;
    private readonly NativeStatement _writeHead;
    private readonly NativeStatement _writeEntry;
    private readonly NativeStatement _deleteEntries;
    private readonly NativeStatement _deleteHeads;
    private readonly NativeStatement _keepHeadBytes;
    private readonly string _selectHeadRange;

    private SqliteBinaryLog(string entries, string heads, SqliteWriter writer, SqliteReaderPool readers, WriteFaults faults)
    {
        _entries = entries;
        _heads = heads;
        _writer = writer;
        _readers = readers;
        _faults = faults;
        // The heads of a chunk's keys, read as one walk of the key index (SqliteSortedRead): no parameter per key. A head
        // naming its entry takes that entry's bytes; the last column says the entry it names is missing.
        _selectHeadRange =
            $"SELECT h.k, h.v, CASE WHEN h.id IS NULL THEN h.bin ELSE e.bin END, h.p, h.id IS NOT NULL AND e.k IS NULL, h.id " +
            $"FROM {heads} AS h LEFT JOIN {entries} AS e ON e.k = h.k AND e.id = h.id WHERE h.k >= ?1 AND h.k <= ?2 ORDER BY h.k";
        var connection = writer.Connection;
        _writeHead = new NativeStatement(connection,
            $"INSERT INTO {heads} (k, p, v, bin, id) VALUES (?1, ?2, ?3, ?4, ?5) " +
            $"ON CONFLICT (k) DO UPDATE SET p = excluded.p, v = excluded.v, bin = excluded.bin, id = excluded.id WHERE excluded.v > {heads}.v");
        // Before an insert replaces an entry a head names, the head takes that entry's bytes as its own.
        _keepHeadBytes = new NativeStatement(connection,
            $"UPDATE {heads} SET bin = (SELECT e.bin FROM {entries} AS e WHERE e.k = ?1 AND e.id = ?2), id = NULL WHERE k = ?1 AND id = ?2");
        _writeEntry = new NativeStatement(connection,
            $"INSERT INTO {entries} (k, id, p, bin) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (k, id) DO UPDATE SET p = excluded.p, bin = excluded.bin");
        _deleteEntries = new NativeStatement(connection, $"DELETE FROM {entries} WHERE p = ?1");
        _deleteHeads = new NativeStatement(connection, $"DELETE FROM {heads} WHERE p = ?1");
    }

    public static SqliteBinaryLog Open(string name, SqliteWriter writer, SqliteReaderPool readers, WriteFaults faults)
    {
        var table = SqliteNames.Table(name);
        var (entries, heads) = (SqliteNames.Quote(table + "_entries"), SqliteNames.Quote(table + "_heads"));
        return writer.Run(connection =>
        {
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                foreach (var sql in new[]
                {
                    $"CREATE TABLE IF NOT EXISTS {entries} (k TEXT NOT NULL, id TEXT NOT NULL, p TEXT NOT NULL, bin BLOB NOT NULL, PRIMARY KEY (k, id))",
                    $"CREATE INDEX IF NOT EXISTS {SqliteNames.Quote(table + "_entries_p")} ON {entries} (p)",
                    $"CREATE TABLE IF NOT EXISTS {heads} (k TEXT PRIMARY KEY, p TEXT NOT NULL, v INTEGER NOT NULL, bin BLOB NOT NULL, id TEXT)",
                    $"CREATE INDEX IF NOT EXISTS {SqliteNames.Quote(table + "_heads_p")} ON {heads} (p)",
                })
                    Execute(connection, transaction, sql);
                // Heads written before they could name their entry keep their bytes (id NULL).
                if (!SqliteSchema.ColumnsOf(connection, transaction, table + "_heads").Contains("id"))
                    Execute(connection, transaction, $"ALTER TABLE {heads} ADD COLUMN id TEXT");
                transaction.Commit();
            }
            return new SqliteBinaryLog(entries, heads, writer, readers, faults);
        });
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
            var command = reader.Command($"SELECT k, id, p, bin FROM {_entries} WHERE k = $k");
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
            long deleted = _deleteEntries.Execute();
            _deleteHeads.Execute();
            transaction.Commit();
            return deleted;
        }, ct);
    }

    public Task<long> CountAsync(string? key = null, CancellationToken ct = default)
    {
        var reader = _readers.Rent();
        try
        {
            var command = reader.Command(key is null ? $"SELECT count(*) FROM {_entries}" : $"SELECT count(*) FROM {_entries} WHERE k = $k");
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
        _writeEntry.Dispose();
        _deleteEntries.Dispose();
        _deleteHeads.Dispose();
        _keepHeadBytes.Dispose();
    }

    /// <param name="entryId">The id of the entry written with the head that holds its bytes, or null to store them in the head.</param>
    /// <returns>1 when the head was written, 0 when a newer one is stored.</returns>
    private int WriteHead(BinaryLogHead head, string? entryId)
    {
        _writeHead.BindText(1, head.Key);
        _writeHead.BindText(2, head.Partition);
        _writeHead.BindInt64(3, head.Revision);
        _writeHead.BindBlob(4, entryId is null ? head.Payload : []);
        _writeHead.BindTextOrNull(5, entryId);
        return _writeHead.Execute();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void WriteEntries(IEnumerable<BinaryLogEntry> entries)
    {
        foreach (var entry in entries)
        {
            _writeEntry.BindText(1, entry.Key);
            _writeEntry.BindText(2, entry.Id);
            _writeEntry.BindText(3, entry.Partition);
            _writeEntry.BindBlob(4, entry.Payload);
            _writeEntry.Execute();
        }
    }
}
