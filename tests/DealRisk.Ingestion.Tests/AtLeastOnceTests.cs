using System.Diagnostics;
using System.Net;
using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static DealRisk.Ingestion.Tests.HubSpotWebhooks;

namespace DealRisk.Ingestion.Tests;

/// <summary>A stored change is always announced, whatever fails after it is stored: the process, or the broker.</summary>
public sealed class AtLeastOnceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_crash_after_the_deal_is_stored_still_announces_it_although_HubSpot_redelivers_it_as_a_duplicate()
    {
        await using var factory = new IngestionApiFactory();
        using var client = factory.CreateClient();
        var body = EventBatch(Creation(901, T0), PropertyChange(901, "dealstage", "presentationscheduled", T0));
        factory.Faults!.FailWritesTo("hubspot-deal-states");

        var crashed = await client.SendAsync(Signed(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, crashed.StatusCode);
        Assert.NotNull(crashed.Headers.RetryAfter);
        var deals = factory.Services.GetRequiredService<DealRepository>();
        Assert.NotNull(await deals.GetAsync("hubspot", "901", CancellationToken.None));

        factory.Faults.Heal();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(body))).StatusCode);
        var sweeper = new RecordingPublishEndpoint();
        var pending = factory.Services.GetRequiredService<PendingPublications>();
        await new PendingPublicationReplay(pending, deals, sweeper, TimeProvider.System, NullLogger.Instance)
            .RunAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        var synced = Assert.Single(sweeper.OfType<DealSynced>(), message => message.Deal.ExternalId == "901");
        Assert.Equal(DealStages.Demo, synced.Deal.Stage);
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
