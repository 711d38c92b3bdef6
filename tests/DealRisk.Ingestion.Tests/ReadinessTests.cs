using System.Net;
using System.Text.Json;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.HubSpotWebhooks;

namespace DealRisk.Ingestion.Tests;

public sealed class ReadinessTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 16, 0, 0, TimeSpan.Zero);

    private readonly IngestionApiFactory _factory = new() { Cold = true };

    [Fact]
    public async Task Until_the_service_is_warm_it_is_alive_but_not_ready_and_webhooks_get_503_with_Retry_After()
    {
        using var client = _factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var webhook = await client.SendAsync(Signed(EventBatch(Creation(801, T0))));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, webhook.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), webhook.Headers.RetryAfter?.Delta);
        var salesforce = await client.PostAsync(IngestionApiFactory.SalesforceWebhookPath, new StringContent("<x/>", System.Text.Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, salesforce.StatusCode);
        Assert.NotNull(salesforce.Headers.RetryAfter);

        _factory.Services.GetRequiredService<WarmUpState>().MarkWarm();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(EventBatch(Creation(801, T0))))).StatusCode);
    }

    [Fact]
    public async Task The_warm_up_marks_the_service_ready_once_the_bus_is_up()
    {
        await using var warm = new IngestionApiFactory();
        using var client = warm.CreateClient();

        Assert.True(warm.Services.GetRequiredService<WarmUpState>().IsWarm);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Before_ready_the_services_own_signed_empty_delivery_goes_through_and_no_caller_can_pass_for_it()
    {
        using var client = _factory.CreateClient();
        var self = _factory.Services.GetRequiredService<SelfRequests>();
        var delivery = Assert.Single(_factory.Services.GetServices<SelfRequest>());

        using var own = AsTheWarmUpSignsIt(delivery, client);
        self.Mark(own);
        var answered = await client.SendAsync(own);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using (var result = JsonDocument.Parse(await answered.Content.ReadAsStringAsync()))
        {
            Assert.Equal(0, result.RootElement.GetProperty("events").GetInt32());
            Assert.Equal(0, result.RootElement.GetProperty("dealsChanged").GetInt32());
        }

        using var forged = AsTheWarmUpSignsIt(delivery, client);
        forged.Headers.Add(SelfRequests.Header, "1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(forged)).StatusCode);
        using var unmarked = AsTheWarmUpSignsIt(delivery, client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync(unmarked)).StatusCode);
        Assert.False(_factory.Services.GetRequiredService<WarmUpState>().IsWarm);
    }

    /// <summary>The self-request as the warm-up sends it (signed now, for this client's address), not yet marked.</summary>
    private HttpRequestMessage AsTheWarmUpSignsIt(SelfRequest request, HttpClient client)
    {
        var message = _factory.Services.GetRequiredService<SelfRequests>().Compose(request, client.BaseAddress!);
        Assert.NotNull(message);
        return message;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
