using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DealRisk.Storage;

/// <summary>
/// An <see cref="IBinaryCollection"/> as a table with typed columns and no BSON: a bulk read walks the id index in
/// ascending order. A rowid table, not one clustered by id: rows of a kilobyte or more would spill out of a
/// clustered table's pages (it keeps about 1,000 bytes of a 4 KiB page's row in place), and deal copies average 1.1 KB.
/// </summary>
internal sealed class SqliteBinaryCollection : IBinaryCollection
{
    /// <summary>Ids per statement: under SQLite's parameter limit, and a full batch's statement is prepared once and reused.</summary>
    private const int GetManyBatchSize = 500;

    private readonly string _table;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly WriteFaults _faults;
    private readonly string _selectById;
    private readonly string _selectAll;
    private readonly string _selectRange;
    private readonly string _upsertIfNewer;
    private readonly string _upsert;

    private SqliteBinaryCollection(string table, SqliteWriter writer, SqliteReaderPool readers, WriteFaults faults)
    {
        _table = SqliteNames.Quote(table);
        _writer = writer;
        _readers = readers;
        _faults = faults;
        _selectById = $"SELECT id, v, bin FROM {_table} WHERE id = $id";
        _selectAll = $"SELECT id, v, bin FROM {_table} ORDER BY id";
        _selectRange = SqliteSortedRead.RangeSql(_table);
        var insert = $"INSERT INTO {_table} (id, v, bin) VALUES ($id, $v, $bin) ON CONFLICT (id) DO UPDATE SET v = excluded.v, bin = excluded.bin";
        _upsert = insert;
        _upsertIfNewer = $"{insert} WHERE excluded.v > {_table}.v";
    }

    public static SqliteBinaryCollection Open(string name, SqliteWriter writer, SqliteReaderPool readers, WriteFaults faults)
    {
        var table = SqliteNames.Table(name);
        writer.Run(connection =>
        {
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE TABLE IF NOT EXISTS {SqliteNames.Quote(table)} (id TEXT PRIMARY KEY, v INTEGER NOT NULL, bin BLOB NOT NULL)";
            return create.ExecuteNonQuery();
        });
        return new SqliteBinaryCollection(table, writer, readers, faults);
    }

    public Task<BinaryRow?> GetAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var reader = _readers.Rent();
        try
        {
            var command = reader.Command(_selectById);
            command.Parameters.AddWithValue("$id", id);
            using var rows = command.ExecuteReader();
            return Task.FromResult(rows.Read() ? Row(rows) : null);
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    public async IAsyncEnumerable<BinaryRow> GetManyAsync(IReadOnlyCollection<string> ids, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sorted = ids.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(sorted, Utf8Order.Instance);
        foreach (var batch in sorted.Chunk(GetManyBatchSize))
        {
            ct.ThrowIfCancellationRequested();
            var found = new List<BinaryRow>(batch.Length);
            var reader = _readers.Rent();
            try
            {
                var command = reader.Command(SelectByIdsSql(batch.Length));
                for (var i = 0; i < batch.Length; i++)
                    command.Parameters.AddWithValue("$id" + i, batch[i]);
                await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (rows.Read())
                    found.Add(Row(rows));
            }
            finally
            {
                _readers.Return(reader);
            }

            foreach (var row in found)
                yield return row;
        }
    }

    public Task ReadManyAsync(IReadOnlyList<string> ids, BinaryRowReader read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var sorted = new Utf8Ids(ids);
        if (sorted.Count == 0)
            return Task.CompletedTask;
        var reader = _readers.Rent();
        try
        {
            SqliteSortedRead.Run(reader.Handle, reader.Statement(_selectRange), sorted, read, ct);
            return Task.CompletedTask;
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    public IAsyncEnumerable<BinaryRow> ScanAsync(CancellationToken ct = default) =>
        ScanAsync((id, version, payload) => new BinaryRow(Encoding.UTF8.GetString(id), version, payload.ToArray()), ct);

    public IAsyncEnumerable<T> ScanAsync<T>(BinaryRowDecoder<T> decode, CancellationToken ct = default) where T : class
    {
        ArgumentNullException.ThrowIfNull(decode);
        return Scan(decode, ct).ToAsyncEnumerable();
    }

    /// <summary>Steps the statement itself, so the id and payload are spans of SQLite's own memory, never copied.</summary>
    private IEnumerable<T> Scan<T>(BinaryRowDecoder<T> decode, CancellationToken ct) where T : class
    {
        var reader = _readers.Rent();
        var statement = reader.Statement(_selectAll);
        try
        {
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                ct.ThrowIfCancellationRequested();
                if (decode(raw.sqlite3_column_blob(statement, 0), raw.sqlite3_column_int64(statement, 1), raw.sqlite3_column_blob(statement, 2)) is { } decoded)
                    yield return decoded;
            }
            if (step != raw.SQLITE_DONE)
                SqliteException.ThrowExceptionForRC(step, reader.Handle);
        }
        finally
        {
            // A statement left mid-walk would hold its read snapshot and keep the write-ahead log from being reset.
            raw.sqlite3_reset(statement);
            _readers.Return(reader);
        }
    }

    public async Task<bool> UpsertIfNewerAsync(BinaryRow row, CancellationToken ct = default)
    {
        BinaryRowChecks.Checked(row);
        return await _writer.RunAsync(connection => Execute(connection, null, _upsertIfNewer, [row]).Count > 0, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<BinaryRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows) BinaryRowChecks.Checked(row);
        if (rows.Count == 0)
            return new HashSet<string>();
        return await _writer.RunInTransactionAsync(_faults,
            (connection, transaction) => (IReadOnlySet<string>)Execute(connection, transaction, _upsertIfNewer, rows), ct).ConfigureAwait(false);
    }

    internal SqliteWriter Writer => _writer;

    /// <summary>Inside a transaction the caller holds on the writer connection.</summary>
    internal IReadOnlySet<string> WriteNewerInTransaction(SqliteTransaction transaction, IReadOnlyCollection<BinaryRow> rows)
    {
        foreach (var row in rows) BinaryRowChecks.Checked(row);
        return rows.Count == 0 ? new HashSet<string>() : Execute(transaction.Connection!, transaction, _upsertIfNewer, rows);
    }

    public Task UpsertManyAsync(IReadOnlyCollection<BinaryRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows) BinaryRowChecks.Checked(row);
        if (rows.Count == 0)
            return Task.CompletedTask;
        return _writer.RunInTransactionAsync(_faults, (connection, transaction) => Execute(connection, transaction, _upsert, rows).Count, ct);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await _writer.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM {_table} WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() > 0;
        }, ct).ConfigureAwait(false);
    }

    public Task<long> CountAsync(CancellationToken ct = default)
    {
        var reader = _readers.Rent();
        try
        {
            return Task.FromResult(Convert.ToInt64(reader.Command($"SELECT count(*) FROM {_table}").ExecuteScalar()));
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    /// <summary>Runs the statement once per row, in order (so of repeated ids the newest or the last stays); returns the ids it wrote.</summary>
    private static HashSet<string> Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, IEnumerable<BinaryRow> rows)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var version = command.Parameters.Add("$v", SqliteType.Integer);
        var payload = command.Parameters.Add("$bin", SqliteType.Blob);
        command.Prepare();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            id.Value = row.Id;
            version.Value = row.Version;
            payload.Value = row.Payload;
            if (command.ExecuteNonQuery() > 0)
                written.Add(row.Id);
        }
        return written;
    }

    private string SelectByIdsSql(int count) =>
        $"SELECT id, v, bin FROM {_table} WHERE id IN ({string.Join(",", Enumerable.Range(0, count).Select(i => "$id" + i))}) ORDER BY id";

    private static BinaryRow Row(SqliteDataReader rows) => new(rows.GetString(0), rows.GetInt64(1), rows.GetFieldValue<byte[]>(2));
}

/// <summary>Strings in the order both stores sort ids: by their UTF-8 bytes.</summary>
public sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var ordinal = string.CompareOrdinal(x, y);
        // UTF-16 order equals UTF-8 byte order unless a surrogate meets a character from U+E000 up.
        if (ordinal == 0 || !(HasHighChars(x) && HasHighChars(y)))
            return ordinal;
        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }

    private static bool HasHighChars(string value) => value.AsSpan().IndexOfAnyInRange('\uD800', '\uFFFF') >= 0;
}
