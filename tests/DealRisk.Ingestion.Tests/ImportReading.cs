using System.Text;
using DealRisk.Ingestion.Imports;

namespace DealRisk.Ingestion.Tests;

internal static class ImportReading
{
    public static Stream Utf8(string text, bool byteOrderMark = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new MemoryStream(byteOrderMark ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes);
    }

    public static async Task<List<ImportRow>> ReadAllAsync(IDealImportFormat format, Stream input)
    {
        var rows = new List<ImportRow>();
        await foreach (var row in format.ReadAsync(input, CancellationToken.None))
            rows.Add(row);
        return rows;
    }

    public static Task<List<ImportRow>> ReadAllAsync(IDealImportFormat format, string text, bool byteOrderMark = false) =>
        ReadAllAsync(format, Utf8(text, byteOrderMark));
}
