using DealRisk.Contracts;
using DealRisk.Ingestion.Batch;
using DealRisk.Ingestion.Deals;
using DealRisk.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using DealRisk.Testing;

namespace DealRisk.Ingestion.Tests;

public sealed class DailyBatchPublisherTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2024, 6, 30);

    private readonly TempDirectory _directory = new();
    private readonly SqliteDocumentStore _store;
    private readonly DealRepository _deals;
    private readonly RecordingPublishEndpoint _publish = new();

    public DailyBatchPublisherTests()
    {
        _store = new SqliteDocumentStore(Path.Combine(_directory.Path, "ingestion.db"));
        _deals = new DealRepository(_store);
    }

    [Fact]
    public async Task History_holds_the_deals_closed_by_the_as_of_and_open_holds_the_deals_still_open_then()
    {
        await SeedAsync();

        await PublishBatchAsync(chunkSize: 2);

        Assert.Equal(["H1", "H2", "H3"], DealIds(DealChunkParts.History));
        Assert.Equal(["O1", "O2", "O3", "O4", "R1"], DealIds(DealChunkParts.Open));
    }

    [Fact]
    public async Task A_deal_closed_after_the_as_of_is_replayed_as_open()
    {
        await SeedAsync();

        await PublishBatchAsync(chunkSize: 2);

        var replayed = Chunks(DealChunkParts.Open).SelectMany(chunk => chunk.Deals).Single(deal => deal.ExternalId == "R1");
        var stored = await _deals.GetAsync(replayed.Source, replayed.ExternalId, CancellationToken.None);
        Assert.True(stored!.ClosedAt > Deals.At(AsOf));
        Assert.Equal(stored.Version, replayed.Version);
        Assert.DoesNotContain(Chunks(DealChunkParts.History).SelectMany(chunk => chunk.Deals), deal => deal.ExternalId == "R1");
    }

    [Fact]
    public async Task Deals_created_after_the_as_of_are_left_out()
    {
        await SeedAsync();

        await PublishBatchAsync(chunkSize: 2);

        var all = _publish.OfType<DealChunkSynced>().SelectMany(chunk => chunk.Deals).Select(deal => deal.ExternalId).ToList();
        Assert.DoesNotContain("F1", all);
        Assert.DoesNotContain("F2", all);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task Chunks_respect_the_chunk_size_and_are_numbered_from_zero()
    {
        await SeedAsync();

        await PublishBatchAsync(chunkSize: 2);

        Assert.Equal([2, 1], Chunks(DealChunkParts.History).Select(chunk => chunk.Deals.Count));
        Assert.Equal([2, 2, 1], Chunks(DealChunkParts.Open).Select(chunk => chunk.Deals.Count));
        Assert.Equal([0, 1], Chunks(DealChunkParts.History).Select(chunk => chunk.ChunkIndex));
        Assert.Equal([0, 1, 2], Chunks(DealChunkParts.Open).Select(chunk => chunk.ChunkIndex));
    }

    [Fact]
    public async Task Open_chunks_carry_the_history_chunk_count_and_history_chunks_do_not()
    {
        await SeedAsync();

        await PublishBatchAsync(chunkSize: 2);

        Assert.NotEmpty(Chunks(DealChunkParts.Open));
        Assert.All(Chunks(DealChunkParts.Open), chunk => Assert.Equal(2, chunk.HistoryChunkCount));
        Assert.NotEmpty(Chunks(DealChunkParts.History));
        Assert.All(Chunks(DealChunkParts.History), chunk => Assert.Null(chunk.HistoryChunkCount));
    }

    [Fact]
    public async Task The_manifest_comes_last_and_its_counts_match_what_was_published()
    {
        await SeedAsync();

        var command = await PublishBatchAsync(chunkSize: 2);

        var synced = Assert.IsType<DailyBatchSynced>(_publish.Published[^1]);
        Assert.Equal(command.BatchId, synced.BatchId);
        Assert.Equal(command.CorrelationId, synced.CorrelationId);
        Assert.Equal(AsOf, synced.AsOf);
        Assert.Equal(Chunks(DealChunkParts.History).Count, synced.HistoryChunkCount);
        Assert.Equal(Chunks(DealChunkParts.Open).Count, synced.OpenChunkCount);
        Assert.Equal(3, synced.HistoryDeals);
        Assert.Equal(5, synced.OpenDeals);
        Assert.Equal(Deals.At(AsOf), synced.DataAsOf);
        Assert.Single(_publish.OfType<DailyBatchSynced>());
    }

    [Fact]
    public async Task The_batch_starts_with_DailyBatchStarted_and_every_history_chunk_precedes_the_first_open_chunk()
    {
        await SeedAsync();

        await PublishBatchAsync(chunkSize: 2);

        Assert.IsType<DailyBatchStarted>(_publish.Published[0]);
        var parts = _publish.Published.OfType<DealChunkSynced>().Select(chunk => chunk.Part).ToList();
        Assert.Equal(
            [DealChunkParts.History, DealChunkParts.History, DealChunkParts.Open, DealChunkParts.Open, DealChunkParts.Open],
            parts);
    }

    [Fact]
    public async Task Every_chunk_carries_the_batch_identity_and_as_of()
    {
        await SeedAsync();

        var command = await PublishBatchAsync(chunkSize: 2);

        Assert.NotEmpty(_publish.OfType<DealChunkSynced>());
        Assert.All(_publish.OfType<DealChunkSynced>(), chunk =>
        {
            Assert.Equal(command.BatchId, chunk.BatchId);
            Assert.Equal(command.CorrelationId, chunk.CorrelationId);
            Assert.Equal(AsOf, chunk.AsOf);
        });
    }

    [Fact]
    public async Task An_empty_store_publishes_no_chunks_and_a_manifest_of_zeros()
    {
        await PublishBatchAsync(chunkSize: 100);

        Assert.Empty(_publish.OfType<DealChunkSynced>());
        var synced = Assert.Single(_publish.OfType<DailyBatchSynced>());
        Assert.Equal((0, 0, 0, 0), (synced.HistoryChunkCount, synced.OpenChunkCount, synced.HistoryDeals, synced.OpenDeals));
    }

    [Fact]
    public async Task A_chunk_size_that_divides_the_deals_exactly_leaves_no_empty_chunk()
    {
        for (var i = 0; i < 6; i++)
            await SaveAsync(Deals.Open($"E{i}", new DateOnly(2024, 1, 1).AddDays(i)));

        await PublishBatchAsync(chunkSize: 3);

        Assert.Equal([3, 3], Chunks(DealChunkParts.Open).Select(chunk => chunk.Deals.Count));
        Assert.Equal(2, _publish.OfType<DailyBatchSynced>().Single().OpenChunkCount);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private async Task SeedAsync()
    {
        await SaveAsync(Deals.Closed("H1", new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1)));
        await SaveAsync(Deals.Closed("H2", new DateOnly(2024, 2, 1), AsOf, won: false));
        await SaveAsync(Deals.Closed("H3", new DateOnly(2024, 3, 1), new DateOnly(2024, 5, 1)));
        await SaveAsync(Deals.Closed("R1", new DateOnly(2024, 4, 1), new DateOnly(2024, 7, 15)));
        await SaveAsync(Deals.Open("O1", new DateOnly(2024, 5, 1)));
        await SaveAsync(Deals.Open("O2", AsOf));
        await SaveAsync(Deals.Open("O3", new DateOnly(2024, 6, 1)));
        await SaveAsync(Deals.Open("O4", new DateOnly(2024, 6, 15)));
        await SaveAsync(Deals.Open("F1", new DateOnly(2024, 7, 5)));
        await SaveAsync(Deals.Closed("F2", new DateOnly(2024, 7, 2), new DateOnly(2024, 7, 20)));
    }

    private Task SaveAsync(DealSnapshot deal) => _deals.SaveAsync(deal with { Version = 1, UpdatedAt = deal.CreatedAt }, CancellationToken.None);

    [Fact]
    public async Task Open_chunks_wait_while_the_chunks_in_flight_are_unscored_and_go_as_scored_chunks_are_recorded()
    {
        for (var i = 0; i < 5; i++)
            await SaveAsync(Deals.Open($"P{i}", new DateOnly(2024, 1, 1).AddDays(i)));
        var options = new IngestionOptions { BatchChunkSize = 1, BatchChunksInFlight = 2, BatchPacingStall = TimeSpan.FromMinutes(5) };
        var receipts = new ScoredChunkReceipts(_store, TimeProvider.System);
        var command = NewCommand();

        var publishing = Publisher(options).PublishAsync(command, CancellationToken.None);

        await WaitForOpenChunksAsync(2);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, Chunks(DealChunkParts.Open).Count);
        Assert.False(publishing.IsCompleted);

        await receipts.RecordAsync(new BatchChunk { BatchId = command.BatchId, AsOf = AsOf, ChunkIndex = 0 }, CancellationToken.None);
        await receipts.RecordAsync(new BatchChunk { BatchId = command.BatchId, AsOf = AsOf, ChunkIndex = 0 }, CancellationToken.None);
        await WaitForOpenChunksAsync(3);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(3, Chunks(DealChunkParts.Open).Count);

        for (var index = 1; index < 5; index++)
            await receipts.RecordAsync(new BatchChunk { BatchId = command.BatchId, AsOf = AsOf, ChunkIndex = index }, CancellationToken.None);
        await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0, 1, 2, 3, 4], Chunks(DealChunkParts.Open).Select(chunk => chunk.ChunkIndex));
        Assert.Equal(5, _publish.OfType<DailyBatchSynced>().Single().OpenChunkCount);
    }

    [Fact]
    public async Task When_no_scored_chunk_comes_back_within_the_stall_limit_the_rest_of_the_batch_is_published_unpaced()
    {
        for (var i = 0; i < 5; i++)
            await SaveAsync(Deals.Open($"S{i}", new DateOnly(2024, 1, 1).AddDays(i)));
        var options = new IngestionOptions { BatchChunkSize = 1, BatchChunksInFlight = 2, BatchPacingStall = TimeSpan.FromSeconds(1) };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Publisher(options).PublishAsync(NewCommand(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(5, Chunks(DealChunkParts.Open).Count);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    private async Task WaitForOpenChunksAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Chunks(DealChunkParts.Open).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {Chunks(DealChunkParts.Open).Count} open chunks were published, expected {count}.");
            await Task.Delay(20);
        }
    }

    private static RunDailyBatch NewCommand() => new()
    {
        BatchId = Guid.NewGuid(),
        CorrelationId = Guid.NewGuid(),
        AsOf = AsOf,
        Trigger = "test",
        RequestedAt = DateTimeOffset.UtcNow,
    };

    private DailyBatchPublisher Publisher(IngestionOptions options) => new(
        _deals,
        _publish,
        new OpenChunkPacing(new ScoredChunkReceipts(_store, TimeProvider.System), Options.Create(options), TimeProvider.System, NullLogger<OpenChunkPacing>.Instance),
        Options.Create(options),
        TimeProvider.System,
        NullLogger<DailyBatchPublisher>.Instance);

    private async Task<RunDailyBatch> PublishBatchAsync(int chunkSize)
    {
        var command = new RunDailyBatch
        {
            BatchId = Guid.NewGuid(),
            CorrelationId = Guid.NewGuid(),
            AsOf = AsOf,
            Trigger = "test",
            RequestedAt = DateTimeOffset.UtcNow,
        };
        await Publisher(new IngestionOptions { BatchChunkSize = chunkSize }).PublishAsync(command, CancellationToken.None);
        return command;
    }

    private List<DealChunkSynced> Chunks(string part) => _publish.OfType<DealChunkSynced>().Where(chunk => chunk.Part == part).ToList();

    private List<string> DealIds(string part) =>
        Chunks(part).SelectMany(chunk => chunk.Deals).Select(deal => deal.ExternalId).Order(StringComparer.Ordinal).ToList();
}
