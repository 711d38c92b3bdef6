using DealRisk.Contracts;
using DealRisk.Contracts.Json;
using DealRisk.Ingestion.Imports;
using DealRisk.Notification.Reports;
using DealRisk.SyntheticCrm;

namespace DealRisk.AllInOne.Tests;

/// <summary>
/// The batch publisher paces open chunks on the scored chunks coming back (Ingestion:BatchChunksInFlight): with one
/// chunk in flight at a time the whole path (features, scoring, notification, ingestion's receipts) must hand each
/// chunk back, and the report must be the one the unpaced batch writes.
/// </summary>
[Collection(ImportingCollection.Name)]
public sealed class PacedBatchTests
{
    private static readonly SyntheticCrmOptions Sample = new() { Seed = 4321, DealCount = 2000, AsOf = new DateOnly(2025, 6, 30) };

    [Fact]
    public async Task A_batch_paced_one_chunk_at_a_time_completes_and_writes_the_same_report_as_one_published_at_once()
    {
        var paced = await RiskReportAsync(chunksInFlight: 1);
        var unpaced = await RiskReportAsync(chunksInFlight: 0);

        Assert.True(paced.Report.OpenDeals > 500, $"Only {paced.Report.OpenDeals} open deals: too few chunks of 100 to pace.");
        Assert.Equal(unpaced.Report.OpenDeals, paced.Report.OpenDeals);
        Assert.Equal(unpaced.Csv, paced.Csv);
    }

    private static async Task<(DailyReportPublished Report, string Csv)> RiskReportAsync(int chunksInFlight)
    {
        await using var run = await EmbeddedRun.StartAsync($"paced-{chunksInFlight}", new Dictionary<string, string?>
        {
            ["Ingestion:BatchChunkSize"] = "100",
            ["Ingestion:BatchChunksInFlight"] = chunksInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A stalled pacer would publish the rest unpaced and hide a chunk that never came back.
            ["Ingestion:BatchPacingStall"] = "1.00:00:00",
        });
        var sample = Path.Combine(run.Root, "sample.jsonl");
        await using (var stream = File.Create(sample))
            await DealJsonLines.WriteAsync(SyntheticCrmGenerator.Generate(Sample), stream);
        Assert.Equal("completed", (await run.ImportAsync(sample, DealJsonLinesFormat.FormatName)).Status);

        var report = await run.RunBatchAsync(Sample.AsOf);
        return (report, await File.ReadAllTextAsync(Path.Combine(run.ReportDirectory(Sample.AsOf), DailyReportWriter.RiskReportFile)));
    }
}
