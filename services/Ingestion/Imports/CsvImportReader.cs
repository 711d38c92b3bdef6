using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using DealRisk.Ingestion.Deals;

namespace DealRisk.Ingestion.Imports;

/// <summary>
/// Streams a CSV export row by row with CsvHelper: the separator (, ; tab |) is detected, a BOM honoured, Latin-1 text
/// decoded, quoted line breaks kept; the header is checked for required columns first, then each record goes to a row
/// mapper that reports, rather than throws, what is wrong with the row.
/// </summary>
public static class CsvImportReader
{
    public static IAsyncEnumerable<ImportRow> ReadAsync(
        Stream input,
        IReadOnlyList<string> requiredColumns,
        Func<CsvRow, ImportRow> mapRow,
        CancellationToken cancellationToken) =>
        ReadAsync(input, requiredColumns.Select(column => (IReadOnlyList<string>)[column]).ToList(), mapRow, cancellationToken);

    /// <summary>Each required entry lists alternative headers, of which at least one must be present.</summary>
    public static async IAsyncEnumerable<ImportRow> ReadAsync(
        Stream input,
        IReadOnlyList<IReadOnlyList<string>> requiredColumns,
        Func<CsvRow, ImportRow> mapRow,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new CsvReaderOptions
        {
            TrackLineNumbers = true,
            MaxRecordSize = Deals.FieldLimits.MaxRecordLength,
            TrimWhitespace = true,
            NormalizeHeaderName = header => header.Trim().ToLowerInvariant(),
        };
        await using var utf8 = TextEncodingFallback.AsUtf8(input);
        await using var csv = CsvReader.Create(utf8, options, leaveOpen: true);

        var headerChecked = false;
        while (await ReadRecordAsync(csv, cancellationToken))
        {
            if (!headerChecked)
            {
                RequireColumns(csv, requiredColumns);
                headerChecked = true;
            }

            var row = new CsvRow(csv);
            ImportRow result;
            try
            {
                result = mapRow(row);
            }
            catch (RowRejectedException rejected)
            {
                result = ImportRow.Invalid(row.Line, rejected.Column, rejected.Message);
            }
            catch (FieldValueException invalid)
            {
                result = ImportRow.Invalid(row.Line, invalid.Field, invalid.Message);
            }
            yield return result;
        }

        if (!headerChecked)
        {
            if (csv.Headers is not { Count: > 0 })
                throw new ImportRefusedException("The file is empty: expected a header row.");
            RequireColumns(csv, requiredColumns);
        }
    }

    /// <summary>A record over the size limit (most often an unclosed quote) ends the import: nothing after it can be read reliably.</summary>
    private static async Task<bool> ReadRecordAsync(CsvReader csv, CancellationToken cancellationToken)
    {
        try
        {
            return await csv.ReadAsync(cancellationToken);
        }
        catch (CsvFormatException unreadable)
        {
            throw new ImportRefusedException(
                $"The record after line {csv.LineNumber} cannot be read ({Deals.FieldLimits.Shown(unreadable.Message)}); a record holds at most {Deals.FieldLimits.MaxRecordLength:N0} bytes (an unclosed quote?). The import stopped there.");
        }
    }

    /// <summary>Asks the reader's own by-name lookup, which applies the header normalization; <c>Headers</c> keeps the raw names.</summary>
    private static void RequireColumns(CsvReader csv, IReadOnlyList<IReadOnlyList<string>> requiredColumns)
    {
        var missing = requiredColumns.Where(alternatives => !alternatives.Any(column => csv.TryGetFieldIndex(column, out _))).ToList();
        if (missing.Count > 0)
            throw new ImportRefusedException(
                $"Missing required column{(missing.Count > 1 ? "s" : "")}: {string.Join(", ", missing.Select(m => string.Join(" or ", m.Select(column => $"'{column}'"))))}.");
    }
}

/// <summary>Thrown by a row mapper to refuse one row; the import keeps going.</summary>
public sealed class RowRejectedException(string? column, string message) : Exception(message)
{
    public string? Column { get; } = column;
}

/// <summary>
/// Typed access to the current CSV record through the <see cref="FieldParser"/>: a bad or over-long value throws
/// <see cref="FieldValueException"/> naming the column, which rejects the row.
/// </summary>
public sealed class CsvRow(CsvReader csv)
{
    private static readonly FieldParser Parser = FieldParser.Invariant;

    public long Line { get; } = csv.LineNumber;

    public bool HasColumn(string column) => csv.TryGetFieldIndex(column, out _);

    /// <summary>The trimmed value as written, null when blank; not limited, for a format's own parsing.</summary>
    public string? Raw(string column)
    {
        var value = csv.TryGetFieldIndex(column, out var index) && index < csv.FieldCount ? csv.GetStringOrNull(index) : null;
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public string? Id(string column) => Parser.Id(column, Raw(column));

    public string RequiredId(string column) => Id(column) ?? throw Empty(column);

    public string? Name(string column) => Parser.Name(column, Raw(column));

    public string? Text(string column) => Parser.Text(column, Raw(column));

    public DateOnly? Date(string column) => Parser.Date(column, Raw(column));

    public DateOnly RequiredDate(string column) => Date(column) ?? throw Empty(column);

    public DateTimeOffset RequiredInstant(string column) => Parser.Instant(column, Raw(column)) ?? throw Empty(column);

    public decimal? Amount(string column) => Parser.Amount(column, Raw(column));

    private static RowRejectedException Empty(string column) => new(column, $"'{column}' is empty.");
}
