using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DealRisk.Storage;

/// <summary>
/// Reads the rows of sorted ids by walking the id index from the first id to the last, as a merge: rows between them
/// that nobody asked for are stepped over without reading their payload, and after a few of those in a row the walk
/// seeks to the next id asked for. Ids that arrive in key order (a batch chunk) cost one seek and a step each.
/// Payloads are handed out as spans of SQLite's own page memory, so nothing is allocated per row.
/// </summary>
internal static class SqliteSortedRead
{
    /// <summary>Rows nobody asked for that are stepped over before the walk seeks instead: a step is far cheaper than a seek, a seek than a long gap.</summary>
    private const int StepsBeforeSeek = 8;

    /// <summary>
    /// SQL of the statement <see cref="Run"/> steps: (key, v, bin, then <paramref name="more"/>) with ?1 ≤ key ≤ ?2 in key order.
    /// </summary>
    public static string RangeSql(string quotedTable, string key = "id", string? more = null) =>
        $"SELECT {key}, v, bin{(more is null ? "" : ", " + more)} FROM {quotedTable} WHERE {key} >= ?1 AND {key} <= ?2 ORDER BY {key}";

    public static void Run(sqlite3 connection, sqlite3_stmt range, Utf8Ids ids, BinaryRowReader read, CancellationToken ct) =>
        Run(connection, range, ids, (index, row) => read(index, raw.sqlite3_column_int64(row, 1), raw.sqlite3_column_blob(row, 2)), ct);

    /// <summary>The same walk, handing <paramref name="read"/> the row itself, for a statement with more columns than (key, v, bin).</summary>
    public static void Run(sqlite3 connection, sqlite3_stmt range, Utf8Ids ids, Action<int, sqlite3_stmt> read, CancellationToken ct)
    {
        var next = 0;
        try
        {
            while (next < ids.Count)
            {
                ct.ThrowIfCancellationRequested();
                Check(connection, raw.sqlite3_reset(range));
                Check(connection, raw.sqlite3_bind_text(range, 1, ids[next]));
                Check(connection, raw.sqlite3_bind_text(range, 2, ids[ids.Count - 1]));
                var unasked = 0;
                var seek = false;
                int step;
                while ((step = raw.sqlite3_step(range)) == raw.SQLITE_ROW)
                {
                    var id = raw.sqlite3_column_blob(range, 0);
                    var order = 0;
                    // Ids before the row's are not stored: the walk started at or before them.
                    while (next < ids.Count && (order = ids[next].SequenceCompareTo(id)) < 0)
                        next++;
                    if (next == ids.Count)
                        break;
                    if (order == 0)
                    {
                        read(next, range);
                        unasked = 0;
                        if (++next == ids.Count)
                            break;
                    }
                    else if (++unasked >= StepsBeforeSeek)
                    {
                        seek = true;
                        break;
                    }
                }
                if (step != raw.SQLITE_ROW && step != raw.SQLITE_DONE)
                    SqliteException.ThrowExceptionForRC(step, connection);
                if (!seek)
                    break;
            }
        }
        finally
        {
            // A statement left mid-walk would hold its read snapshot and keep the write-ahead log from being reset.
            raw.sqlite3_reset(range);
        }
    }

    private static void Check(sqlite3 connection, int result)
    {
        if (result != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(result, connection);
    }
}
