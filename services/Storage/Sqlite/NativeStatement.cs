using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DealRisk.Storage;

/// <summary>
/// A write statement prepared once on the writer connection and run many times, its parameters bound by position
/// through SQLite's own API. <see cref="SqliteCommand"/> looks every parameter up by its name and allocates a binder
/// and a UTF-8 copy of the name on each run, which cost more than SQLite's own work on the rows the batch writes.
/// Runs inside whatever transaction the connection has open.
/// </summary>
internal sealed class NativeStatement : IDisposable
{
    /// <summary>Text up to this many characters is encoded on the stack; longer text borrows a pooled buffer.</summary>
    private const int StackTextLength = 128;

    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public NativeStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The writer connection is not open.");
        Check(raw.sqlite3_prepare_v3(_database, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
    }

    public void BindText(int parameter, string value)
    {
        if (value.Length <= StackTextLength)
        {
            Span<byte> utf8 = stackalloc byte[StackTextLength * 3];
            Check(raw.sqlite3_bind_text(_statement, parameter, utf8[..Encoding.UTF8.GetBytes(value, utf8)]));
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            Check(raw.sqlite3_bind_text(_statement, parameter, rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented))));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void BindTextOrNull(int parameter, string? value)
    {
        if (value is null)
            Check(raw.sqlite3_bind_null(_statement, parameter));
        else
            BindText(parameter, value);
    }

    public void BindInt64(int parameter, long value) => Check(raw.sqlite3_bind_int64(_statement, parameter, value));

    public void BindDouble(int parameter, double value) => Check(raw.sqlite3_bind_double(_statement, parameter, value));

    public void BindNull(int parameter) => Check(raw.sqlite3_bind_null(_statement, parameter));

    /// <summary>An empty payload is stored as an empty blob, never as NULL.</summary>
    public void BindBlob(int parameter, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, parameter, 0) : raw.sqlite3_bind_blob(_statement, parameter, value));

    /// <summary>Runs the statement with what is bound and clears it for the next run.</summary>
    /// <returns>The number of rows written.</returns>
    public int Execute()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result != raw.SQLITE_DONE)
                Check(result);
            return raw.sqlite3_changes(_database);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(result, _database);
    }
}
