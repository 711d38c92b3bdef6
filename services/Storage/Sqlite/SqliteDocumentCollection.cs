using System.Runtime.CompilerServices;

namespace DealRisk.Storage;

internal sealed class SqliteDocumentCollection<T> : IDocumentCollection<T> where T : class
{
    /// <summary>Ids per statement: under SQLite's parameter limit, and a full batch's statement is prepared once and reused.</summary>
    private const int GetManyBatchSize = 500;

    private readonly SqliteTable _table;
    private readonly IndexedFields _fields;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly WriteFaults _faults;

    public SqliteDocumentCollection(SqliteTable table, IndexedFields fields, SqliteWriter writer, SqliteReaderPool readers, WriteFaults faults)
    {
        _faults = faults;
        _table = table;
        _fields = fields;
        _writer = writer;
        _readers = readers;
    }

    public Task<T?> GetAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var reader = _readers.Rent();
        try
        {
            var command = reader.Command(_table.SelectByIdSql);
            command.Parameters.AddWithValue("$id", id);
            var bytes = command.ExecuteScalar() as byte[];
            return Task.FromResult(bytes is null ? null : DocumentEnvelope.Unwrap<T>(bytes));
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    public async IAsyncEnumerable<T> GetManyAsync(IReadOnlyCollection<string> ids, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var batch in ids.Chunk(GetManyBatchSize))
        {
            var documents = new List<T>(batch.Length);
            var reader = _readers.Rent();
            try
            {
                var command = reader.Command(_table.SelectByIdsSql(batch.Length));
                for (var i = 0; i < batch.Length; i++)
                    command.Parameters.AddWithValue("$id" + i, batch[i]);
                await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (rows.Read())
                    documents.Add(DocumentEnvelope.Unwrap<T>(rows.GetFieldValue<byte[]>(0)));
            }
            finally
            {
                _readers.Return(reader);
            }

            foreach (var document in documents)
                yield return document;
        }
    }

    public Task UpsertAsync(string id, T document, CancellationToken ct = default)
    {
        var row = SqliteRow.Create(id, 0, document, _table.Indexed);
        return _writer.RunAsync(_ => _table.Upsert.Execute(row), ct);
    }

    public async Task<bool> UpsertIfNewerAsync(string id, long version, T document, CancellationToken ct = default)
    {
        var row = SqliteRow.Create(id, version, document, _table.Indexed);
        return await _writer.RunAsync(_ => _table.UpsertIfNewer.Execute(row), ct).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<VersionedDocument<T>> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
            return new HashSet<string>();
        var rows = Rows(documents);
        return await _writer.RunInTransactionAsync(_faults, (_, _) => WriteNewer(rows, ct), ct).ConfigureAwait(false);
    }

    internal SqliteWriter Writer => _writer;

    /// <summary>Inside a transaction the caller holds on the writer connection.</summary>
    internal IReadOnlySet<string> WriteNewerInTransaction(IReadOnlyCollection<VersionedDocument<T>> documents, CancellationToken ct) =>
        WriteNewer(Rows(documents), ct);

    /// <summary>Inside a transaction the caller holds on the writer connection.</summary>
    internal void UpsertInTransaction(string id, T document) => _table.Upsert.Execute(SqliteRow.Create(id, 0, document, _table.Indexed));

    private List<(string Id, SqliteRow Row)> Rows(IReadOnlyCollection<VersionedDocument<T>> documents) =>
        documents.Select(document => (document.Id, SqliteRow.Create(document.Id, document.Version, document.Document, _table.Indexed))).ToList();

    private IReadOnlySet<string> WriteNewer(List<(string Id, SqliteRow Row)> rows, CancellationToken ct)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, row) in rows)
        {
            ct.ThrowIfCancellationRequested();
            if (_table.UpsertIfNewer.Execute(row) > 0)
                written.Add(id);
        }
        return written;
    }

    public async Task<bool> InsertIfAbsentAsync(string id, T document, CancellationToken ct = default)
    {
        var row = SqliteRow.Create(id, 0, document, _table.Indexed);
        return await _writer.RunAsync(_ => _table.InsertIfAbsent.Execute(row), ct).ConfigureAwait(false) > 0;
    }

    public Task UpsertManyAsync(IReadOnlyCollection<KeyValuePair<string, T>> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return documents.Count == 0
            ? Task.CompletedTask
            : _writer.RunAsync(connection => new SqliteBulkUpsert(connection, _table, _faults).RunAsync(documents, ct), ct);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await _writer.RunAsync(_ => _table.Delete(id), ct).ConfigureAwait(false) > 0;
    }

    public async Task<long> DeleteByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            return 0;
        return await _writer.RunInTransactionAsync(_faults, (_, transaction) => ids.Sum(id => (long)_table.Delete(id, transaction)), ct).ConfigureAwait(false);
    }

    public async Task<long> DeleteManyAsync(string field, object? value, CancellationToken ct = default)
    {
        _fields.EnsureDeclared(field);
        var parameter = ColumnValue(field, value);
        var sql = _table.DeleteWhereSql(field);
        return await _writer.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$value", parameter);
            return (long)command.ExecuteNonQuery();
        }, ct).ConfigureAwait(false);
    }

    public IAsyncEnumerable<T> FindAsync(string field, object? value, CancellationToken ct = default)
    {
        _fields.EnsureDeclared(field);
        var parameter = ColumnValue(field, value);
        return Query(_table.SelectWhereSql(field), parameter, ct);
    }

    public IAsyncEnumerable<T> ScanAsync(CancellationToken ct = default) => Query(_table.SelectAllSql, null, ct);

    public Task<long> CountAsync(string? field = null, object? value = null, CancellationToken ct = default)
    {
        string sql;
        object? parameter = null;
        if (field is null)
        {
            sql = _table.CountAllSql;
        }
        else
        {
            _fields.EnsureDeclared(field);
            sql = _table.CountWhereSql(field);
            parameter = ColumnValue(field, value);
        }

        var reader = _readers.Rent();
        try
        {
            var command = reader.Command(sql);
            if (parameter is not null)
                command.Parameters.AddWithValue("$value", parameter);
            return Task.FromResult(Convert.ToInt64(command.ExecuteScalar()));
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    private async IAsyncEnumerable<T> Query(string sql, object? parameter, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = _readers.Rent();
        try
        {
            var command = reader.Command(sql);
            if (parameter is not null)
                command.Parameters.AddWithValue("$value", parameter);
            await using var rows = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await rows.ReadAsync(ct).ConfigureAwait(false))
                yield return DocumentEnvelope.Unwrap<T>(rows.GetFieldValue<byte[]>(0));
        }
        finally
        {
            _readers.Return(reader);
        }
    }

    private static object ColumnValue(string field, object? value) => SqliteValue.From(FilterValue.ToBson(value), field);
}
