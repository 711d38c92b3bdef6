using System.Globalization;
using CsvHelper;

namespace DealRisk.Notification.Reports;

/// <summary>
/// Earlier versions kept the Tableau extract as one cumulative <c>deal-risk-daily.csv</c>, rewritten every morning. Its
/// days move, once, into the day files (<see cref="TableauExtract"/>); the file itself is kept as
/// <c>deal-risk-daily.csv.migrated</c>, which no wildcard of the union matches, so nothing in it is lost.
/// </summary>
public static class CumulativeExtractSplit
{
    public const string CumulativeFileName = "deal-risk-daily.csv";
    public const string MigratedFileName = CumulativeFileName + ".migrated";

    /// <param name="Days">Day files written from the cumulative extract.</param>
    /// <param name="Records">Records moved into them.</param>
    /// <param name="Unreadable">Records whose <c>as_of_date</c> is no yyyy-MM-dd day, left in the migrated file only.</param>
    public sealed record Result(int Days, long Records, long Unreadable);

    /// <summary>Splits the cumulative extract in <paramref name="directory"/> when there is one; null when there is none.</summary>
    public static Result? Run(string directory, CancellationToken cancellationToken)
    {
        var cumulative = Path.Combine(directory, CumulativeFileName);
        if (!File.Exists(cumulative))
            return null;
        var run = Guid.NewGuid().ToString("N");
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        long records = 0, unreadable = 0;
        try
        {
            using (var input = CsvReader.FromFile(cumulative, new CsvReaderOptions { HasHeader = true }))
            {
                var record = new string[TableauExtract.Columns.Length];
                string? day = null;
                CsvWriter? output = null;
                try
                {
                    while (input.Read())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        for (var i = 0; i < record.Length; i++)
                            record[i] = i < input.FieldCount ? input.GetString(i) : "";
                        if (!IsDay(record[0]))
                        {
                            unreadable++;
                            continue;
                        }
                        if (record[0] != day)
                        {
                            // Days were appended in order, so a day's records are mostly together: one file open at a time.
                            output?.Dispose();
                            day = record[0];
                            output = Open(directory, run, day, written);
                        }
                        foreach (var field in record)
                            output!.WriteField(CsvCell.SingleLine(field));
                        output!.EndRecord();
                        records++;
                    }
                }
                finally
                {
                    output?.Dispose();
                }
            }
            foreach (var (day, temporary) in written)
                File.Move(temporary, Path.Combine(directory, TableauExtract.FileName(day)), overwrite: true);
            File.Move(cumulative, Path.Combine(directory, MigratedFileName), overwrite: true);
            return new Result(written.Count, records, unreadable);
        }
        finally
        {
            foreach (var temporary in written.Values)
                if (File.Exists(temporary))
                    File.Delete(temporary);
        }
    }

    private static CsvWriter Open(string directory, string run, string day, Dictionary<string, string> written)
    {
        if (written.TryGetValue(day, out var existing))
        {
            var append = new FileStream(existing, FileMode.Append, FileAccess.Write, FileShare.None);
            return CsvWriter.Create(append, TableauExtract.Options, leaveOpen: false);
        }
        var temporary = Path.Combine(directory, $".{TableauExtract.FileName(day)}.{run}.tmp");
        written[day] = temporary;
        return TableauExtract.OpenDayFile(temporary);
    }

    private static bool IsDay(string value) =>
        value.Length == 10 && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
