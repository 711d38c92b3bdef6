using System.Diagnostics;
using System.Net;
using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Imports;
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
        Assert.True(await harness.Published.Any<DealChangesStored>(message => message.Context.Message.Rescored.Any(changed => changed.Deal.ExternalId == "901")));
        var changed = Assert.Single(Announcements.Rescores(harness), message => message.Deal.ExternalId == "901");
        Assert.Equal(DealStages.Demo, changed.Deal.Stage);
        Assert.Single(Announcements.Deals(harness), deal => deal.ExternalId == "901");
    }

    [Fact]
    public async Task A_crash_after_a_Salesforce_change_is_stored_still_announces_it_although_the_resend_finds_the_deal_unchanged()
    {
        await using var factory = new IngestionApiFactory();
        using var client = factory.CreateClient();
        var message = SalesforceOutboundMessages.Soap(SalesforceOutboundMessages.Envelope(IngestionApiFactory.SalesforceOrganizationId,
            SalesforceOutboundMessages.Opportunity("04l5e000000C001AAA", "0065e00000CrAsHAA1", ("Name", "Initech"), ("StageName", "Prospecting"),
                ("Amount", "15000"), ("LastModifiedDate", "2026-11-02T17:00:00.000Z"))));
        factory.Faults!.FailWritesTo("salesforce-watermarks");

        var crashed = await client.PostAsync(IngestionApiFactory.SalesforceWebhookPath, message);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, crashed.StatusCode);
        var deals = factory.Services.GetRequiredService<DealRepository>();
        Assert.NotNull(await deals.GetAsync("salesforce", "0065e00000CrAsHAA1", CancellationToken.None));

        factory.Faults.Heal();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(IngestionApiFactory.SalesforceWebhookPath, message)).StatusCode);

        Assert.Contains(await ReplayPendingAsync(factory), published => published is DealChanged { Deal.ExternalId: "0065e00000CrAsHAA1" });
    }

    [Fact]
    public async Task A_crash_part_way_through_an_import_leaves_no_stored_deal_unannounced_so_the_reimport_and_sweeper_publish_every_deal()
    {
        await using var factory = new IngestionApiFactory();
        var csv = SkyGeniCsv.File([.. Enumerable.Range(1, 30).Select(i => SkyGeniCsv.Row($"D{i:000}"))]);
        var importer = factory.Services.GetRequiredService<DealImporter>();
        factory.Faults!.FailWritesTo("pending-publications");

        await Assert.ThrowsAsync<IOException>(() => importer.ImportAsync("skygeni", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), null, CancellationToken.None));

        factory.Faults.Heal();
        var pending = await factory.Services.GetRequiredService<PendingPublications>().RecordedBeforeAsync(DateTimeOffset.MaxValue, CancellationToken.None);
        var announced = pending.SelectMany(publication => publication.Deals).Select(deal => deal.ExternalId).ToHashSet();
        var deals = factory.Services.GetRequiredService<DealRepository>();
        foreach (var id in Enumerable.Range(1, 30).Select(i => $"D{i:000}"))
            Assert.True(await deals.GetAsync("skygeni", id, CancellationToken.None) is null || announced.Contains(id), $"Deal {id} was stored with no pending publication.");

        await importer.ImportAsync("skygeni", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), null, CancellationToken.None);
        var harness = factory.Services.GetTestHarness();
        var published = Announcements.Deals(harness).Select(deal => deal.ExternalId)
            .Concat((await ReplayPendingAsync(factory)).Select(message => message switch
            {
                DealSynced synced => synced.Deal.ExternalId,
                DealChanged changed => changed.Deal.ExternalId,
                _ => "",
            }))
            .ToHashSet();
        Assert.Equal(30, published.Count(id => id.StartsWith('D')));
    }

    private static async Task<IReadOnlyList<object>> ReplayPendingAsync(IngestionApiFactory factory)
    {
        var sweeper = new RecordingPublishEndpoint();
        await new PendingPublicationReplay(factory.Services.GetRequiredService<PendingPublications>(), factory.Services.GetRequiredService<DealRepository>(),
                sweeper, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .RunAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        return sweeper.Announced;
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
