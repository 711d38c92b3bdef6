using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DealRisk.Storage;

/// <summary>Read-only connections that WAL lets run beside the writer, each keeping its prepared statements.</summary>
internal sealed class SqliteReaderPool : IDisposable
{
    private const int MaxIdle = 8;
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteReader> _idle = [];
    private volatile bool _disposed;

    public SqliteReaderPool(string connectionString) => _connectionString = connectionString;

    public SqliteReader Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _idle.TryTake(out var reader) ? reader : new SqliteReader(_connectionString);
    }

    public void Return(SqliteReader reader)
    {
        if (_disposed || _idle.Count >= MaxIdle)
        {
            reader.Dispose();
            return;
        }
        _idle.Add(reader);
        if (_disposed)
            Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader))
            reader.Dispose();
    }
}
