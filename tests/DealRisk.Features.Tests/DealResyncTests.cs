using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.SyntheticCrm;
using DealRisk.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task Reconciling_with_ingestion_resyncs_exactly_the_copies_missing_or_older_and_waits_for_them()
    {
        await using var host = await FeaturesHost.StartAsync(syncWait: TimeSpan.FromSeconds(30));
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        var newer = deals[0] with { Version = deals[0].Version + 1 };
        var lost = deals[^1];
        await host.SeedCopiesAsync(deals.Take(deals.Count - 1).ToList());
        var copies = host.Services.GetRequiredService<DealCopies>();
        var held = deals.Skip(1).Prepend(newer).ToList();
        var requested = new List<DealRef>();

        var missing = await copies.ReconcileAsync(Refs(held), async resync =>
        {
            requested.AddRange(resync.Deals);
            foreach (var deal in held.Where(deal => resync.Deals.Any(r => r.ExternalId == deal.ExternalId)))
                await copies.SaveAsync(deal, CancellationToken.None);
        }, CancellationToken.None);

        Assert.Empty(missing);
        Assert.Equal([newer.ExternalId, lost.ExternalId], requested.Select(deal => deal.ExternalId).Order());
        Assert.Equal(deals.Count, await host.Copies.CountAsync(CancellationToken.None));
        Assert.Equal(newer.Version, (await host.Copies.GetAsync(newer.Source, newer.ExternalId, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Reconciling_names_the_deals_that_never_arrive()
    {
        await using var host = await FeaturesHost.StartAsync(syncWait: TimeSpan.FromSeconds(1));
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        await host.SeedCopiesAsync(deals.Skip(1).ToList());

        var missing = await host.Services.GetRequiredService<DealCopies>().ReconcileAsync(Refs(deals), _ => Task.CompletedTask, CancellationToken.None);

        Assert.Equal([DealKey.Of(deals[0].Source, deals[0].ExternalId)], missing);
    }

    private static async IAsyncEnumerable<DealRef> Refs(IEnumerable<DealSnapshot> deals)
    {
        foreach (var deal in deals)
        {
            await Task.Yield();
            yield return new DealRef { Source = deal.Source, ExternalId = deal.ExternalId, Version = deal.Version };
        }
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
            if (HarnessDeliveries.SentCommands<ResyncDeals>(host.Harness).FirstOrDefault() is { } sent)
                return sent;
            await Task.Delay(50, timeout.Token);
        }
    }
}
