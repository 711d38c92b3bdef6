using System.Runtime.CompilerServices;
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
    private readonly SqliteCommand _writeHead;
    private readonly SqliteCommand _writeEntry;
    private readonly SqliteCommand _deleteEntries;
    private readonly SqliteCommand _deleteHeads;
    private readonly SqliteCommand _keepHeadBytes;
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
        _writeHead = Prepare(connection,
            $"INSERT INTO {heads} (k, p, v, bin, id) VALUES ($k, $p, $v, $bin, $id) " +
            $"ON CONFLICT (k) DO UPDATE SET p = excluded.p, v = excluded.v, bin = excluded.bin, id = excluded.id WHERE excluded.v > {heads}.v",
            ("$k", SqliteType.Text), ("$p", SqliteType.Text), ("$v", SqliteType.Integer), ("$bin", SqliteType.Blob), ("$id", SqliteType.Text));
        // Before an insert replaces an entry a head names, the head takes that entry's bytes as its own.
        _keepHeadBytes = Prepare(connection,
            $"UPDATE {heads} SET bin = (SELECT e.bin FROM {entries} AS e WHERE e.k = $k AND e.id = $id), id = NULL WHERE k = $k AND id = $id",
            ("$k", SqliteType.Text), ("$id", SqliteType.Text));
        _writeEntry = Prepare(connection,
            $"INSERT INTO {entries} (k, id, p, bin) VALUES ($k, $id, $p, $bin) ON CONFLICT (k, id) DO UPDATE SET p = excluded.p, bin = excluded.bin",
            ("$k", SqliteType.Text), ("$id", SqliteType.Text), ("$p", SqliteType.Text), ("$bin", SqliteType.Blob));
        _deleteEntries = Prepare(connection, $"DELETE FROM {entries} WHERE p = $p", ("$p", SqliteType.Text));
        _deleteHeads = Prepare(connection, $"DELETE FROM {heads} WHERE p = $p", ("$p", SqliteType.Text));
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

    public Task<IReadOnlyList<BinaryLogHead>> ReadHeadsAsync(IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var sorted = keys.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(sorted, Utf8Order.Instance);
        var found = new List<BinaryLogHead>(sorted.Length);
        if (sorted.Length == 0)
            return Task.FromResult<IReadOnlyList<BinaryLogHead>>(found);
        using var ids = new Utf8Ids(sorted);
        var reader = _readers.Rent();
        try
        {
            SqliteSortedRead.Run(reader.Handle, reader.Statement(_selectHeadRange), ids, (index, row) =>
            {
                if (raw.sqlite3_column_int(row, 4) != 0)
                    throw new InvalidDataException(
                        $"The head of '{sorted[index]}' in {_heads} names entry '{raw.sqlite3_column_text(row, 5).utf8_to_string()}', which is not stored.");
                found.Add(new BinaryLogHead(
                    sorted[index], raw.sqlite3_column_text(row, 3).utf8_to_string(), raw.sqlite3_column_int64(row, 1), raw.sqlite3_column_blob(row, 2).ToArray()));
            }, ct);
        }
        finally
        {
            _readers.Return(reader);
        }
        return Task.FromResult<IReadOnlyList<BinaryLogHead>>(found);
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
        return _writer.RunInTransactionAsync(_faults, (_, transaction) =>
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            _writeHead.Transaction = transaction;
            foreach (var head in newest)
            {
                SetHead(head, headEntries.GetValueOrDefault(head.Key));
                if (_writeHead.ExecuteNonQuery() > 0)
                    written.Add(head.Key);
            }
            WriteEntries(transaction, entries.Where(entry => written.Contains(entry.Key)));
            return (IReadOnlySet<string>)written;
        }, ct);
    }

    public Task InsertAsync(IReadOnlyCollection<BinaryLogEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries) BinaryLogChecks.Check(entry);
        if (entries.Count == 0)
            return Task.CompletedTask;
        return _writer.RunInTransactionAsync(_faults, (_, transaction) =>
        {
            _keepHeadBytes.Transaction = transaction;
            foreach (var entry in entries)
            {
                _keepHeadBytes.Parameters[0].Value = entry.Key;
                _keepHeadBytes.Parameters[1].Value = entry.Id;
                _keepHeadBytes.ExecuteNonQuery();
            }
            WriteEntries(transaction, entries);
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
            _deleteEntries.Transaction = transaction;
            _deleteHeads.Transaction = transaction;
            _deleteEntries.Parameters[0].Value = partition;
            _deleteHeads.Parameters[0].Value = partition;
            long deleted = _deleteEntries.ExecuteNonQuery();
            _deleteHeads.ExecuteNonQuery();
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
    private void SetHead(BinaryLogHead head, string? entryId)
    {
        var parameters = _writeHead.Parameters;
        parameters[0].Value = head.Key;
        parameters[1].Value = head.Partition;
        parameters[2].Value = head.Revision;
        parameters[3].Value = entryId is null ? head.Payload : Array.Empty<byte>();
        parameters[4].Value = (object?)entryId ?? DBNull.Value;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void WriteEntries(SqliteTransaction transaction, IEnumerable<BinaryLogEntry> entries)
    {
        _writeEntry.Transaction = transaction;
        var parameters = _writeEntry.Parameters;
        foreach (var entry in entries)
        {
            parameters[0].Value = entry.Key;
            parameters[1].Value = entry.Id;
            parameters[2].Value = entry.Partition;
            parameters[3].Value = entry.Payload;
            _writeEntry.ExecuteNonQuery();
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
            command.Parameters.Add(name, type);
        command.Prepare();
        return command;
    }
}
