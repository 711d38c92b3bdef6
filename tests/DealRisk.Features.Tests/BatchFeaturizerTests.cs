using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using DealRisk.SyntheticCrm;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Features.Tests;

public sealed class BatchFeaturizerTests : IAsyncLifetime
{
    private static readonly SyntheticCrmOptions Sample = new() { Seed = 21, DealCount = 360, AsOf = new DateOnly(2025, 6, 30) };
    private static readonly Lazy<DealSnapshot[]> Deals = new(() => SyntheticCrmGenerator.Generate(Sample).ToArray());
    private static readonly Lazy<Dictionary<string, DealFeatureVector>> Expected = new(ExpectedVectors);

    private FeaturesHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await FeaturesHost.StartAsync();
        await _host.SeedCopiesAsync(Deals.Value);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Open_chunks_that_arrive_before_the_history_is_complete_are_parked_until_the_last_history_chunk_arrives()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf);

        await _host.DeliverAsync(batch.Open[0]);
        await _host.DeliverAsync(batch.History[0]);
        await _host.DeliverAsync(batch.Open[1]);
        await _host.DeliverAsync(batch.History[2]);

        Assert.Empty(Published(batch));
        Assert.Equal(2, await _host.Store.PendingChunks.CountAsync("batchId", batch.Id));

        await _host.DeliverAsync(batch.History[1]);

        Assert.Equal([0, 1], Published(batch).Select(computed => computed.Batch!.ChunkIndex).Order());
        Assert.Equal(0, await _host.Store.PendingChunks.CountAsync("batchId", batch.Id));

        await _host.DeliverAsync(batch.Open[2]);
        await _host.DeliverAsync(batch.Manifest);

        AssertEveryOpenDealFeaturizedOnce(batch);
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task Open_chunks_that_do_not_say_how_much_history_there_is_wait_for_the_manifest()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf, countOnOpenChunks: false);

        await _host.DeliverAsync(batch.History[0]);
        await _host.DeliverAsync(batch.Open[0]);
        await _host.DeliverAsync(batch.History[1]);
        await _host.DeliverAsync(batch.History[2]);
        await _host.DeliverAsync(batch.Open[1]);

        Assert.Empty(Published(batch));
        Assert.Equal(2, await _host.Store.PendingChunks.CountAsync("batchId", batch.Id));

        await _host.DeliverAsync(batch.Manifest);
        await _host.DeliverAsync(batch.Open[2]);

        AssertEveryOpenDealFeaturizedOnce(batch);
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task After_the_manifest_open_chunks_still_wait_for_every_history_chunk_it_announced()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf);

        await _host.DeliverAsync(batch.Manifest);
        await _host.DeliverAsync(batch.History[1]);
        foreach (var chunk in batch.Open)
            await _host.DeliverAsync(chunk);

        Assert.Empty(Published(batch));

        await _host.DeliverAsync(batch.History[0]);
        Assert.Empty(Published(batch));
        await _host.DeliverAsync(batch.History[2]);

        AssertEveryOpenDealFeaturizedOnce(batch);
    }

    [Fact]
    public async Task A_past_batch_day_reproduces_the_features_the_batch_published_for_each_deal()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf);
        await _host.DeliverAsync(batch.Manifest);
        foreach (var chunk in batch.History.Concat(batch.Open))
            await _host.DeliverAsync(chunk);
        var history = _host.Services.GetRequiredService<FeatureHistory>();

        // Every deal: the batch featurizes straight into the chunk's matrix and columns, the single-deal path into a vector.
        foreach (var published in Published(batch).SelectMany(computed => computed.Deals))
        {
            var reproduced = await history.AsOfBatchAsync(published.Deal.Source, published.Deal.ExternalId, Sample.AsOf, CancellationToken.None);
            Assert.NotNull(reproduced);
            Assert.Equal(published.Values, reproduced.Values);
            Assert.Equivalent(reproduced.Deal, published.Deal, strict: true);
        }
        Assert.Null(await history.AsOfBatchAsync(batch.OpenDeals[0].Source, batch.OpenDeals[0].ExternalId, Sample.AsOf.AddDays(-1), CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_with_no_history_featurizes_open_chunks_as_soon_as_they_arrive()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf, historyChunks: 0);

        await _host.DeliverAsync(batch.Open[0]);

        var first = Assert.Single(Published(batch));
        Assert.NotEmpty(first.Deals);
        Assert.All(first.Deals, vector => Assert.Null(vector.Values[RiskSignals.IndexOf(RiskSignals.RepWinRate)]));

        await _host.DeliverAsync(batch.Manifest);
        await _host.DeliverAsync(batch.Open[1]);
        await _host.DeliverAsync(batch.Open[2]);

        Assert.Equal(batch.OpenDeals.Count, Published(batch).Sum(computed => computed.Deals.Count));
        Assert.Equal(batch.OpenDeals.Select(deal => deal.ExternalId).Order(), Published(batch).SelectMany(c => c.Deals).Select(v => v.Deal.ExternalId).Order());
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task Each_history_chunk_publishes_how_its_closed_deals_ended_for_the_track_record()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf);

        foreach (var chunk in batch.History)
            await _host.DeliverAsync(chunk);

        var published = _host.Published<ClosedDealOutcomes>().Where(o => o.BatchId == batch.Id).ToList();
        Assert.Equal(Enumerable.Range(0, batch.History.Count), published.Select(o => o.ChunkIndex).Order());
        var rows = published.Select(o => o.ReadOutcomes())
            .SelectMany(columns => Enumerable.Range(0, columns.Count).Select(row =>
                (columns.Keys[row], columns.ClosedAt(row), columns.Lost[row], columns.Industries[row], columns.Regions[row])))
            .OrderBy(row => row.Item1, StringComparer.Ordinal).ToList();
        var expected = batch.HistoryDeals
            .Select(deal => (DealKey.Of(deal.Source, deal.ExternalId), deal.ClosedAt!.Value, !deal.IsWon, deal.Industry, deal.Region))
            .OrderBy(row => row.Item1, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Contains(expected, row => row.Item3);
        Assert.Contains(expected, row => !row.Item3);
        Assert.Equal(expected, rows);
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task A_manifest_announcing_no_history_lets_open_chunks_through_at_once()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf, historyChunks: 0, countOnOpenChunks: false);

        await _host.DeliverAsync(batch.Manifest);
        foreach (var chunk in batch.Open)
            await _host.DeliverAsync(chunk);

        Assert.Equal(3, Published(batch).Count);
    }

    [Fact]
    public async Task Every_chunk_and_manifest_delivered_twice_still_gives_each_open_deal_exactly_one_feature_vector()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf);

        await _host.DeliverAsync(batch.Open[0]);
        await _host.DeliverAsync(batch.Open[0]);
        await _host.DeliverAsync(batch.History[0]);
        await _host.DeliverAsync(batch.History[0]);
        await _host.DeliverAsync(batch.History[1]);
        await _host.DeliverAsync(batch.Manifest);
        await _host.DeliverAsync(batch.History[2]);
        await _host.DeliverAsync(batch.History[2]);
        await _host.DeliverAsync(batch.Open[1]);
        await _host.DeliverAsync(batch.Open[1]);
        await _host.DeliverAsync(batch.Open[2]);
        await _host.DeliverAsync(batch.Manifest);
        await _host.DeliverAsync(batch.Open[2]);
        await _host.DeliverAsync(batch.Open[0]);

        AssertEveryOpenDealFeaturizedOnce(batch);
        var statistics = await _host.Store.Statistics.GetAsync(batch.Id.ToString("N"));
        Assert.Equal(batch.HistoryDeals.Count, statistics!.Statistics.Total);
        _host.AssertNoFaults();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task In_any_order_every_open_deal_gets_exactly_one_feature_vector_per_batch(int seed)
    {
        var random = new Random(seed);
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf, historyChunks: 1 + random.Next(4), openChunks: 1 + random.Next(4), countOnOpenChunks: random.Next(3) > 0);
        var messages = batch.Messages().ToList();
        messages.Add(messages[random.Next(messages.Count)]);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(messages));

        foreach (var message in messages)
        {
            if (message is DealChunkSynced chunk)
                await _host.DeliverAsync(chunk);
            else
                await _host.DeliverAsync((DailyBatchSynced)message);
        }

        AssertEveryOpenDealFeaturizedOnce(batch);
        Assert.Equal(0, await _host.Store.PendingChunks.CountAsync("batchId", batch.Id));
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task Chunks_consumed_concurrently_give_every_open_deal_features_and_any_repeat_is_identical()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf, historyChunks: 4, openChunks: 4);
        var messages = batch.Messages().Reverse().Concat(batch.Open).ToList();

        await Task.WhenAll(messages.Select(message => message is DealChunkSynced chunk ? _host.DeliverAsync(chunk) : _host.DeliverAsync((DailyBatchSynced)message)));

        var vectors = Published(batch).SelectMany(computed => computed.Deals).GroupBy(vector => vector.Deal.ExternalId).ToList();
        Assert.Equal(batch.OpenDeals.Select(deal => deal.ExternalId).Order(), vectors.Select(group => group.Key).Order());
        foreach (var group in vectors)
        {
            AssertMatchesExpected(group.First());
            Assert.All(group, vector => Assert.Equal(group.First().Values, vector.Values));
        }
        _host.AssertNoFaults();
    }

    [Fact]
    public async Task Two_batches_in_flight_at_once_keep_their_statistics_apart()
    {
        var full = TestBatch.Create(Deals.Value, Sample.AsOf);
        var noHistory = TestBatch.Create(Deals.Value, Sample.AsOf, historyChunks: 0);

        await _host.DeliverAsync(full.Open[0]);
        foreach (var chunk in noHistory.Open)
            await _host.DeliverAsync(chunk);
        foreach (var message in full.Messages())
        {
            if (message is DealChunkSynced chunk)
                await _host.DeliverAsync(chunk);
            else
                await _host.DeliverAsync((DailyBatchSynced)message);
        }

        AssertEveryOpenDealFeaturizedOnce(full);
        Assert.NotEmpty(Published(noHistory).SelectMany(computed => computed.Deals));
        Assert.All(Published(noHistory).SelectMany(computed => computed.Deals),
            vector => Assert.Null(vector.Values[RiskSignals.IndexOf(RiskSignals.RepWinRate)]));
    }

    private IReadOnlyList<FeaturesComputed> Published(TestBatch batch) =>
        _host.FeaturesPublished(computed => computed.Batch?.BatchId == batch.Id);

    private void AssertEveryOpenDealFeaturizedOnce(TestBatch batch)
    {
        var published = Published(batch);
        Assert.NotEmpty(published);
        Assert.Equal(Enumerable.Range(0, batch.Open.Count), published.Select(computed => computed.Batch!.ChunkIndex).Order());
        Assert.All(published, computed =>
        {
            Assert.Equal(RiskSignals.Names, computed.FeatureNames);
            Assert.Equal(AsOfClock.EndOf(batch.AsOf), computed.AsOf);
            Assert.Equal(batch.AsOf, computed.Batch!.AsOf);
            Assert.Equal(batch.CorrelationId, computed.CorrelationId);
        });

        var vectors = published.SelectMany(computed => computed.Deals).ToList();
        Assert.Equal(batch.OpenDeals.Select(deal => deal.ExternalId).Order(), vectors.Select(vector => vector.Deal.ExternalId).Order());
        foreach (var vector in vectors)
            AssertMatchesExpected(vector);
    }

    /// <summary>Featurized against the statistics of every history chunk, never a part of them.</summary>
    private static void AssertMatchesExpected(DealFeatureVector vector)
    {
        var expected = Expected.Value[vector.Deal.ExternalId];
        Assert.Equal(expected.Values.Count, vector.Values.Count);
        for (var i = 0; i < expected.Values.Count; i++)
        {
            Assert.True(
                expected.Values[i] is null ? vector.Values[i] is null : vector.Values[i] is { } actual && Math.Abs(actual - expected.Values[i]!.Value) < 1e-9,
                $"{vector.Deal.ExternalId} {RiskSignals.Names[i]}: {vector.Values[i]} instead of {expected.Values[i]}");
        }
    }

    private static Dictionary<string, DealFeatureVector> ExpectedVectors()
    {
        var batch = TestBatch.Create(Deals.Value, Sample.AsOf);
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(batch.HistoryDeals));
        Assert.NotNull(context.OverallWinRate);
        return batch.OpenDeals.ToDictionary(deal => deal.ExternalId, deal => DealFeaturizer.Featurize(deal, AsOfClock.EndOf(Sample.AsOf), context));
    }
}

/// <summary>A batch as ingestion would publish it: history chunks, open chunks and the manifest.</summary>
internal sealed record TestBatch(
    Guid Id,
    Guid CorrelationId,
    DateOnly AsOf,
    IReadOnlyList<DealSnapshot> HistoryDeals,
    IReadOnlyList<DealSnapshot> OpenDeals,
    IReadOnlyList<DealChunkSynced> History,
    IReadOnlyList<DealChunkSynced> Open,
    DailyBatchSynced Manifest)
{
    public static TestBatch Create(IReadOnlyList<DealSnapshot> deals, DateOnly asOf, int historyChunks = 3, int openChunks = 3, bool countOnOpenChunks = true)
    {
        var id = Guid.NewGuid();
        var correlationId = Guid.NewGuid();
        var end = AsOfClock.EndOf(asOf);
        var closed = historyChunks == 0 ? [] : deals.Where(deal => deal.ClosedAt <= end).ToArray();
        var open = deals.Where(deal => deal.CreatedAt <= end && !(deal.ClosedAt <= end)).ToArray();

        DealChunkSynced Chunk(string part, int index, IEnumerable<DealSnapshot> chunkDeals) => new()
        {
            BatchId = id,
            CorrelationId = correlationId,
            AsOf = asOf,
            Part = part,
            ChunkIndex = index,
            HistoryChunkCount = part == DealChunkParts.Open && countOnOpenChunks ? historyChunks : null,
            Deals = chunkDeals.Select(deal => new DealRef { Source = deal.Source, ExternalId = deal.ExternalId, Version = deal.Version }).ToArray(),
        };

        var history = Split(closed, historyChunks).Select((part, index) => Chunk(DealChunkParts.History, index, part)).ToArray();
        var openParts = Split(open, openChunks).Select((part, index) => Chunk(DealChunkParts.Open, index, part)).ToArray();
        var manifest = new DailyBatchSynced
        {
            BatchId = id,
            CorrelationId = correlationId,
            AsOf = asOf,
            Trigger = "test",
            HistoryChunkCount = history.Length,
            OpenChunkCount = openParts.Length,
            HistoryDeals = closed.Length,
            OpenDeals = open.Length,
            SyncedAt = end,
        };
        return new TestBatch(id, correlationId, asOf, closed, open, history, openParts, manifest);
    }

    public IEnumerable<object> Messages() => [.. History, .. Open, Manifest];

    private static IEnumerable<IEnumerable<DealSnapshot>> Split(IReadOnlyList<DealSnapshot> deals, int parts) =>
        Enumerable.Range(0, parts).Select(part => deals.Where((_, index) => index % parts == part));
}
