using CsvHelper;

namespace DealRisk.Notification.Tests;

/// <summary>Reads a CSV back the way a spreadsheet import would: header, then records of raw field text.</summary>
internal static class CsvFile
{
    public static (IReadOnlyList<string> Header, List<Dictionary<string, string>> Records) Read(string path)
    {
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions());
        var header = csv.Headers.ToList();
        var records = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            var record = new Dictionary<string, string>();
            for (var i = 0; i < header.Count; i++)
                record[header[i]] = csv.GetString(i);
            records.Add(record);
        }
        return (header, records);
    }
}
