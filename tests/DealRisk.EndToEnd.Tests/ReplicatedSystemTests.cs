using DealRisk.Contracts;

// Each system starts four to eight service processes: started side by side on two cores they miss their start-up timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace DealRisk.EndToEnd.Tests;

/// <summary>Two replicas of every service on one virtual host, the replicas of a service sharing its store.</summary>
public sealed class ReplicatedSystem() : DistributedSystem(2, new Dictionary<string, string>
{
    // Small chunks, so a batch of a few hundred deals travels as many messages spread over both replicas.
    ["Ingestion__BatchChunkSize"] = "100",
});

[CollectionDefinition(Name)]
public sealed class ReplicatedSystemCollection : ICollectionFixture<ReplicatedSystem>
{
    public const string Name = "Two replicas of every service on RabbitMQ";
}

[Collection(ReplicatedSystemCollection.Name)]
public sealed class ReplicatedSystemTests(ReplicatedSystem system)
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Killing_a_replica_of_features_and_scoring_mid_batch_gives_the_report_one_replica_gives_with_every_deal_scored_once()
    {
        var export = SkyGeniExport.Synthetic(count: 2000);
        var asOf = export.MiddleDate;
        var mark = system.Observer.ScoredMark;

        var replicated = await system.ImportAsync(export, asOf, runBatch: true);
        system.Kill("Features", 2);
        system.Kill("Scoring", 2);

        var batchId = Assert.IsType<Guid>(replicated.BatchId);
        var report = await system.Observer.WaitForReportAsync(batchId, ReportTimeout);
        Assert.True(report is not null, $"No report for batch {batchId} within {ReportTimeout.TotalMinutes:0} min after killing a replica.\n{system.Diagnostics()}");
        var expected = system.ImportedDeals.Where(d => d.IsOpenOn(asOf)).Select(d => d.Id).ToHashSet();
        var chunks = system.Observer.ScoredSince(mark).Where(m => m.Batch?.BatchId == batchId).ToList();
        AssertEveryDealScoredOnce(chunks, expected);
        var replicatedCsv = await File.ReadAllTextAsync(Path.Combine(report.ReportDirectory, "risk-report.csv"));

        system.Kill("Ingestion", 2);
        system.Kill("Notification", 2);
        var single = await system.ImportAsync(export, asOf, runBatch: true);
        var singleReport = await system.Observer.WaitForReportAsync(Assert.IsType<Guid>(single.BatchId), ReportTimeout);
        Assert.True(singleReport is not null, $"No report from one replica per service.\n{system.Diagnostics()}");

        Assert.Equal(expected.Count, report.OpenDeals);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(singleReport.ReportDirectory, "risk-report.csv")), replicatedCsv);
    }

    /// <summary>
    /// Each deal belongs to exactly one chunk of the batch; a chunk a killed replica published but never acknowledged
    /// may arrive twice, and then it must carry the same scores both times.
    /// </summary>
    private static void AssertEveryDealScoredOnce(IReadOnlyList<DealScored> chunks, IReadOnlySet<string> expected)
    {
        var byIndex = chunks.GroupBy(c => c.Batch!.ChunkIndex).ToList();
        foreach (var copies in byIndex)
        {
            var first = copies.First().Scores.Select(s => (s.Deal.ExternalId, s.Score, s.Level)).ToList();
            Assert.All(copies, copy => Assert.Equal(first, copy.Scores.Select(s => (s.Deal.ExternalId, s.Score, s.Level)).ToList()));
        }
        var deals = byIndex.SelectMany(copies => copies.First().Scores.Select(s => s.Deal.ExternalId)).ToList();
        Assert.Equal(deals.Count, deals.Distinct().Count());
        Assert.True(deals.ToHashSet().SetEquals(expected), $"Scored {deals.Count} deals; {expected.Count} were open.");
    }
}
