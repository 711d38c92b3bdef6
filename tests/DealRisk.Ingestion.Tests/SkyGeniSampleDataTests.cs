using DealRisk.Ingestion.Imports;
using Xunit.Abstractions;

namespace DealRisk.Ingestion.Tests;

/// <summary>The real SkyGeni export, which lives beside the clone (never inside it); CI always has it.</summary>
public sealed class SkyGeniSampleDataTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_SkyGeni_export_imports_5000_closed_deals_without_a_rejected_row()
    {
        if (SharedData("skygeni_sales_data.csv") is not { } path)
        {
            const string notice = "skygeni data not found beside this clone: ../shared/data tests not run";
            output.WriteLine(notice);
            Console.WriteLine(notice);
            return;
        }

        await using var file = File.OpenRead(path);
        var rows = await ImportReading.ReadAllAsync(new SkyGeniCsvFormat(), file);

        Assert.Equal(5000, rows.Count);
        Assert.Empty(rows.Where(row => row.Deal is null).Select(row => row.Error));
        var deals = rows.Select(row => row.Deal!).ToList();
        Assert.All(deals, deal => Assert.True(deal.IsClosed));
        Assert.Equal(2263, deals.Count(deal => deal.IsWon));
        Assert.Equal(2737, deals.Count(deal => !deal.IsWon));
        Assert.Equal(5000, deals.Select(deal => deal.ExternalId).Distinct().Count());
    }

    private static string? SharedData(string fileName)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DealRisk.sln")))
            directory = directory.Parent;
        if (directory is null)
            return null;
        var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", fileName));
        return File.Exists(path) ? path : null;
    }
}
