using System.Globalization;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Notification.Reports;
using Xunit.Abstractions;

namespace DealRisk.AllInOne.Tests;

/// <summary>The historical SkyGeni export replayed as of a day in its middle: the deals open that day, and only those, are reported.</summary>
[Collection(ImportingCollection.Name)]
public sealed class SkyGeniReplayTests(ITestOutputHelper output)
{
    private static readonly DateOnly AsOf = new(2024, 1, 15);

    [Fact]
    public async Task Replaying_the_skygeni_export_as_of_2024_01_15_reports_exactly_the_deals_open_that_day()
    {
        if (SharedData.Find("skygeni_sales_data.csv") is not { } file)
        {
            output.WriteLine(SharedData.NotFoundMessage);
            Console.WriteLine(SharedData.NotFoundMessage);
            return;
        }

        var rows = await ReadExportAsync(file);
        var open = rows.Where(row => row.Created <= AsOf && AsOf < row.Closed).Select(row => row.Id).Order().ToList();
        Assert.Equal(5000, rows.Count);
        Assert.NotEmpty(open);

        await using var run = await EmbeddedRun.StartAsync("skygeni");
        var import = await run.ImportAsync(file, SkyGeniCsvFormat.FormatName);
        var report = await run.RunBatchAsync(AsOf);
        var csv = await RiskReport.ReadAsync(Path.Combine(run.ReportDirectory(AsOf), DailyReportWriter.RiskReportFile));

        Assert.Equal(("completed", 5000L, 5000L, 0L), (import.Status, import.Rows, import.Created, import.Rejected));
        Assert.Equal(open, csv.DealIds.Order());
        Assert.Equal(open.Count, report.OpenDeals);
        Assert.Equal(csv.AtLevels(RiskLevels.Critical, RiskLevels.High).Count(), report.HighRiskDeals);
        Assert.NotEmpty(csv.Rows);
        Assert.All(csv.Rows, row => Assert.Contains(row["stage"], DealStages.OpenStages));
        Assert.All(csv.Rows, row => Assert.Equal("skygeni", row["source"]));
    }

    private static async Task<List<(string Id, DateOnly Created, DateOnly Closed)>> ReadExportAsync(string file)
    {
        var (_, rows) = await CsvFile.ReadAsync(file);
        return rows.Select(row => (
                row["deal_id"],
                DateOnly.ParseExact(row["created_date"], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateOnly.ParseExact(row["closed_date"], "yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .ToList();
    }
}
