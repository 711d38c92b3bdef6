using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class BatchReportTests : IAsyncLifetime
{
    private static readonly DateOnly AsOf = new(2024, 6, 30);

    private readonly Guid _batchId = Guid.NewGuid();
    private NotificationHarness _notification = null!;

    public async Task InitializeAsync() => _notification = await NotificationHarness.StartAsync();

    public async Task DisposeAsync() => await _notification.DisposeAsync();

    [Theory]
    [InlineData("manifest 0 1")]
    [InlineData("0 1 manifest")]
    [InlineData("0 manifest 1")]
    [InlineData("1 0 manifest")]
    [InlineData("0 0 manifest 1")]
    [InlineData("manifest 1 1 0")]
    [InlineData("manifest 0 1 1")]
    [InlineData("0 1 manifest manifest")]
    public async Task A_batch_of_two_chunks_is_reported_exactly_once_whatever_the_order_of_delivery(string order)
    {
        var chunks = new[]
        {
            Chunk(0, Scores.Critical("C1", amount: 50_000m), Scores.High("H1", amount: 20_000m)),
            Chunk(1, Scores.Low("L1", amount: 5_000m)),
        };

        foreach (var step in order.Split(' '))
        {
            if (step == "manifest")
                await _notification.DeliverAsync(Manifest(openChunkCount: 2));
            else
                await _notification.DeliverAsync(chunks[int.Parse(step)]);
        }

        var report = Assert.Single(_notification.Published<DailyReportPublished>());
        Assert.Equal(_batchId, report.BatchId);
        Assert.Equal(AsOf, report.AsOf);
        Assert.Equal((3, 2, 1, 70_000m), (report.OpenDeals, report.HighRiskDeals, report.CriticalDeals, report.AcvAtRisk));

        var directory = Path.Combine(_notification.OutputDirectory, "2024-06-30");
        Assert.Equal(Path.GetFullPath(directory), report.ReportDirectory);
        var (_, rows) = CsvFile.Read(Path.Combine(directory, DailyReportWriter.RiskReportFile));
        Assert.Equal(["C1", "H1", "L1"], rows.Select(row => row["deal_id"]).Order());
        var summary = await File.ReadAllTextAsync(Path.Combine(directory, DailyReportWriter.ExecutiveSummaryFile));
        Assert.Contains("**2 high-risk deals, $70k ACV at risk** across 3 open deals (1 critical).", summary);
        _notification.AssertNoFaults();
    }

    [Fact]
    public async Task A_batch_is_not_reported_before_its_last_chunk_arrives()
    {
        await _notification.DeliverAsync(Manifest(openChunkCount: 2));
        await _notification.DeliverAsync(Chunk(0, Scores.High("H1")));
        await _notification.DeliverAsync(Chunk(0, Scores.High("H1")));

        Assert.Empty(_notification.Published<DailyReportPublished>());
        Assert.False(Directory.Exists(Path.Combine(_notification.OutputDirectory, "2024-06-30")));
        _notification.AssertNoFaults();
    }

    [Fact]
    public async Task A_scored_chunk_is_stored_once_as_it_first_came_and_counted_once()
    {
        var first = Chunk(0, Scores.High("H1")) with { ModelVersion = "fasttree-1", ScoredBy = "fasttree-1 (holdout ROC-AUC 0.84)" };

        Assert.True(await _notification.Store.ScoredChunks.AddAsync(first, CancellationToken.None));
        Assert.False(await _notification.Store.ScoredChunks.AddAsync(Chunk(0, Scores.Low("L1"), Scores.Low("L2")), CancellationToken.None));

        var stored = await _notification.Store.ScoredChunks.GetAsync(_batchId, 0, CancellationToken.None);
        Assert.Equal(first.Payload, stored!.Payload);
        Assert.Equal((first.CorrelationId, first.AsOf, first.Batch, first.Scorer, first.ModelVersion, first.ScoredBy, first.DealCount),
            (stored.CorrelationId, stored.AsOf, stored.Batch, stored.Scorer, stored.ModelVersion, stored.ScoredBy, stored.DealCount));
        Assert.Equal(1, await _notification.Store.ScoredChunks.CountAsync(_batchId, CancellationToken.None));
        Assert.Equal(0, await _notification.Store.ScoredChunks.CountAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task A_scored_chunk_holding_other_than_the_deals_it_announces_faults_with_the_reason_and_is_not_stored()
    {
        await _notification.DeliverAsync(Chunk(0, Scores.High("H1")) with { DealCount = 2 });

        Assert.True(await _notification.Harness.Published.Any<MassTransit.Fault<DealChunkScored>>());
        var fault = Assert.Single(_notification.Published<MassTransit.Fault<DealChunkScored>>());
        Assert.Contains("announces 2 deals and holds 1", Assert.Single(fault.Exceptions).Message);
        Assert.Equal(0, await _notification.Store.ScoredChunks.CountAsync(_batchId, CancellationToken.None));
        Assert.Null(await _notification.Store.ScoredChunks.GetAsync(_batchId, 0, CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_without_open_deals_completes_on_its_manifest_alone()
    {
        await _notification.DeliverAsync(Manifest(openChunkCount: 0));

        var report = Assert.Single(_notification.Published<DailyReportPublished>());
        Assert.Equal((0, 0, 0m), (report.OpenDeals, report.HighRiskDeals, report.AcvAtRisk));
        var (header, rows) = CsvFile.Read(Path.Combine(report.ReportDirectory, DailyReportWriter.RiskReportFile));
        Assert.Equal(RiskReportCsv.Columns, header);
        Assert.Empty(rows);
        Assert.Contains("**0 high-risk deals, $0 ACV at risk**", await File.ReadAllTextAsync(Path.Combine(report.ReportDirectory, DailyReportWriter.ExecutiveSummaryFile)));
        _notification.AssertNoFaults();
    }

    [Fact]
    public async Task A_report_that_could_not_be_written_is_written_when_the_manifest_is_redelivered()
    {
        var blocked = Path.Combine(_notification.OutputDirectory, "2024-06-30");
        Directory.CreateDirectory(_notification.OutputDirectory);
        await File.WriteAllTextAsync(blocked, "a file where the report directory should go");

        await _notification.DeliverAsync(Manifest(openChunkCount: 0));

        Assert.True(await _notification.Harness.Published.Any<MassTransit.Fault<DailyBatchSynced>>());
        Assert.Empty(_notification.Published<DailyReportPublished>());

        File.Delete(blocked);
        await _notification.DeliverAsync(Manifest(openChunkCount: 0));

        var report = Assert.Single(_notification.Published<DailyReportPublished>());
        Assert.True(File.Exists(Path.Combine(report.ReportDirectory, DailyReportWriter.RiskReportFile)));
    }

    [Fact]
    public async Task A_single_rescored_deal_updates_its_latest_risk_and_writes_no_report()
    {
        await _notification.DeliverAsync(Single(Scores.Of("D1", 90, RiskLevels.Critical, version: 2)));
        await _notification.DeliverAsync(Single(Scores.Of("D1", 20, RiskLevels.Low, version: 1)));

        var latest = await _notification.Store.LatestRisk.GetAsync("test:D1");
        Assert.NotNull(latest);
        Assert.Equal((RiskLevels.Critical, 90, 2L), (latest.Score.Level, latest.Score.Score, latest.Score.Deal.Version));

        await _notification.DeliverAsync(Single(Scores.Of("D1", 40, RiskLevels.Medium, version: 3)));

        latest = await _notification.Store.LatestRisk.GetAsync("test:D1");
        Assert.Equal((RiskLevels.Medium, 3L), (latest!.Score.Level, latest.Score.Deal.Version));
        Assert.Empty(_notification.Published<DailyReportPublished>());
        // The directory itself exists: the service checks at start-up that it can write there.
        var output = _notification.OutputDirectory;
        Assert.Empty(Directory.Exists(output) ? Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories) : []);
        _notification.AssertNoFaults();
    }

    private DailyBatchSynced Manifest(int openChunkCount) => new()
    {
        BatchId = _batchId,
        CorrelationId = _batchId,
        AsOf = AsOf,
        Trigger = "test",
        HistoryChunkCount = 1,
        OpenChunkCount = openChunkCount,
        HistoryDeals = 10,
        OpenDeals = 3,
        DataAsOf = new DateTimeOffset(2024, 6, 30, 5, 0, 0, TimeSpan.Zero),
        SyncedAt = DateTimeOffset.UtcNow,
    };

    private DealChunkScored Chunk(int index, params DealRiskScore[] scores) => DealChunkScored.Of(new DealScored
    {
        CorrelationId = _batchId,
        AsOf = new DateTimeOffset(AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        Batch = new BatchChunk { BatchId = _batchId, AsOf = AsOf, ChunkIndex = index },
        Scorer = "rules",
        Scores = scores,
    });

    private static DealScored Single(DealRiskScore score) => new()
    {
        CorrelationId = Guid.NewGuid(),
        AsOf = DateTimeOffset.UtcNow,
        Scorer = "rules",
        Scores = [score],
    };
}
