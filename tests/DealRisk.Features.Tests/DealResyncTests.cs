using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.SyntheticCrm;
using MassTransit;

namespace DealRisk.Features.Tests;

public sealed class DealResyncTests
{
    private static readonly SyntheticCrmOptions Sample = new() { Seed = 5, DealCount = 40, AsOf = new DateOnly(2025, 6, 30), OpenShare = 1.0 };

    [Fact]
    public async Task A_chunk_referencing_a_deal_not_yet_held_asks_for_a_resync_and_goes_on_once_the_deal_arrives()
    {
        await using var host = await FeaturesHost.StartAsync(resyncAfter: TimeSpan.FromMilliseconds(100), syncWait: TimeSpan.FromSeconds(30));
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        var late = deals[^1];
        await host.SeedCopiesAsync(deals.Take(deals.Count - 1).ToList());
        var chunk = OpenChunk(deals);

        var delivery = host.DeliverAsync(chunk);
        var resync = await WaitForResyncAsync(host);
        Assert.Equal([late.ExternalId], resync.Deals.Select(deal => deal.ExternalId));
        Assert.False(delivery.IsCompleted);

        await host.DeliverAsync(new DealSynced { CorrelationId = Guid.NewGuid(), Deal = late, Origin = "resync", SyncedAt = DateTimeOffset.UtcNow });
        await delivery;

        var computed = Assert.Single(host.FeaturesPublished(message => message.Batch?.BatchId == chunk.BatchId));
        Assert.Equal(deals.Select(deal => deal.ExternalId).Order(), computed.Deals.Select(vector => vector.Deal.ExternalId).Order());
        host.AssertNoFaults();
    }

    [Fact]
    public async Task A_chunk_whose_deals_never_arrive_fails_with_a_message_naming_the_chunk_and_the_count()
    {
        await using var host = await FeaturesHost.StartAsync(resyncAfter: TimeSpan.Zero, syncWait: TimeSpan.FromSeconds(1));
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        await host.SeedCopiesAsync(deals.Skip(2).ToList());
        var chunk = OpenChunk(deals);

        await host.DeliverAsync(chunk);

        var fault = Assert.Single(host.Harness.Published.Select<Fault<DealChunkSynced>>(new CancellationToken(canceled: true)));
        var exception = Assert.Single(fault.Context.Message.Exceptions);
        Assert.Equal(typeof(DealsNotSyncedException).FullName, exception.ExceptionType);
        Assert.Contains($"open chunk 0: 2 of {deals.Count} deals did not arrive", exception.Message);
        Assert.Empty(host.FeaturesPublished(message => message.Batch?.BatchId == chunk.BatchId));
    }

    private static DealChunkSynced OpenChunk(IReadOnlyList<DealSnapshot> deals) => new()
    {
        BatchId = Guid.NewGuid(),
        CorrelationId = Guid.NewGuid(),
        AsOf = Sample.AsOf,
        Part = DealChunkParts.Open,
        ChunkIndex = 0,
        HistoryChunkCount = 0,
        Deals = deals.Select(deal => new DealRef { Source = deal.Source, ExternalId = deal.ExternalId, Version = deal.Version }).ToList(),
    };

    private static async Task<ResyncDeals> WaitForResyncAsync(FeaturesHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var published = host.Harness.Published.Select<ResyncDeals>(new CancellationToken(canceled: true)).FirstOrDefault();
            if (published is not null)
                return published.Context.Message;
            await Task.Delay(50, timeout.Token);
        }
    }
}
