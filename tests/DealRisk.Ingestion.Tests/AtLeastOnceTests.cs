using System.Diagnostics;
using System.Net;
using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Webhooks.HubSpot;
using DealRisk.ServiceDefaults;
using DealRisk.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.HubSpotWebhooks;

namespace DealRisk.Ingestion.Tests;

/// <summary>A stored change is always announced, whatever fails after it is stored: the process, or the broker.</summary>
public sealed class AtLeastOnceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_failure_part_way_through_storing_a_delivery_stores_none_of_it_so_HubSpots_redelivery_is_applied_and_published()
    {
        await using var factory = new IngestionApiFactory();
        using var client = factory.CreateClient();
        var body = EventBatch(Creation(901, T0), PropertyChange(901, "dealstage", "presentationscheduled", T0));
        factory.Faults!.FailWritesTo("hubspot-deal-states");

        var crashed = await client.SendAsync(Signed(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, crashed.StatusCode);
        Assert.NotNull(crashed.Headers.RetryAfter);
        var deals = factory.Services.GetRequiredService<DealRepository>();
        Assert.Null(await deals.GetAsync("hubspot", "901", CancellationToken.None));
        Assert.DoesNotContain(await deals.NotClosedAsync(CancellationToken.None).ToListAsync(), entry => entry.ExternalId == "901");
        Assert.Null(await factory.Services.GetRequiredService<HubSpotDealStates>().GetAsync("901", CancellationToken.None));

        factory.Faults.Heal();
        var redelivered = await client.SendAsync(Signed(body));

        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(DealStages.Demo, (await deals.GetAsync("hubspot", "901", CancellationToken.None))!.Stage);
        var harness = factory.Services.GetTestHarness();
        Assert.True(await harness.Published.Any<DealChanged>(message => message.Context.Message.Deal.ExternalId == "901"));
        var synced = Assert.Single(harness.Published.Select<DealSynced>(HarnessDeliveries.Now), message => message.Context.Message.Deal.ExternalId == "901");
        Assert.Equal(DealStages.Demo, synced.Context.Message.Deal.Stage);
    }

    [Fact]
    public async Task With_the_broker_unreachable_a_webhook_is_answered_promptly_and_200_only_once_stored_and_pending()
    {
        await using var factory = new IngestionApiFactory { BrokerUnreachable = true };
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var body = EventBatch(Creation(902, T0), PropertyChange(902, "dealstage", "presentationscheduled", T0));

        var beforeWarmUp = await client.SendAsync(Signed(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, beforeWarmUp.StatusCode);
        Assert.NotNull(beforeWarmUp.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.False(factory.Services.GetRequiredService<WarmUpState>().IsWarm);

        // As if the broker went away after the service had warmed up.
        factory.Services.GetRequiredService<WarmUpState>().MarkWarm();
        var clock = Stopwatch.StartNew();
        var accepted = await client.SendAsync(Signed(body));
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The webhook took {clock.Elapsed.TotalSeconds:0.0} s with the broker unreachable.");
        Assert.NotNull(await factory.Services.GetRequiredService<DealRepository>().GetAsync("hubspot", "902", CancellationToken.None));
        var pending = await factory.Services.GetRequiredService<PendingPublications>().RecordedBeforeAsync(DateTimeOffset.MaxValue, CancellationToken.None);
        Assert.Contains(pending, publication => publication.Deals.Any(deal => deal.ExternalId == "902"));
    }
}
