using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.Testing;
using MassTransit;

namespace DealRisk.EndToEnd.Tests;

/// <summary>
/// Before it reports ready, a service on RabbitMQ rehearses its real-time work on a scratch copy of itself (its own
/// consumers on an in-memory bus and a scratch store) and sends its real-time message types through a scratch endpoint
/// of its own; nothing of it reaches the exchanges other services listen on or the service's real store, and the
/// scratch queue is gone once the service is ready.
/// </summary>
public sealed class WarmUpTrafficTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_feature_service_reports_ready_after_its_rehearsal_and_warm_up_traffic_which_no_other_queue_and_not_its_store_sees_and_which_leave_no_queue_behind()
    {
        var observed = 0;
        await using var scene = await Scene.StartAsync(endpoint =>
        {
            endpoint.Handler<DealChangesStored>(_ => Task.FromResult(Interlocked.Increment(ref observed)));
            endpoint.Handler<DealChanged>(_ => Task.FromResult(Interlocked.Increment(ref observed)));
            endpoint.Handler<DealSynced>(_ => Task.FromResult(Interlocked.Increment(ref observed)));
            endpoint.Handler<FeaturesComputed>(_ => Task.FromResult(Interlocked.Increment(ref observed)));
        });
        using var features = scene.Start("Features");

        await features.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));

        // Three types (DealChangesStored with the featurizing hot path, DealSynced, FeaturesComputed), 16 each, two rounds;
        // one rehearsed step (a delivery of three rescored changes and one synced), 16 each, two rounds, each taken by the
        // service's own consumer on the scratch copy.
        var log = await OutputHoldingAsync(features, "96 warm-up messages handled", "Rehearsed features on a scratch copy: 32 steps, 32 messages consumed there");
        Assert.Contains("96 warm-up messages handled", log);
        Assert.DoesNotContain("warm-up messages failed", log);
        Assert.Contains("Rehearsed features on a scratch copy: 32 steps, 32 messages consumed there", log);
        Assert.DoesNotContain("failed on its scratch copy", log);
        var data = Path.Combine(scene.Directory.FullName, "data");
        Assert.False(StoreFilesMention(data, WarmUpSamples.Source), "The rehearsal's deals reached the service's real store.");
        var queues = await scene.Broker.QueueNamesAsync(scene.VirtualHost);
        Assert.Contains(queues, queue => queue.StartsWith("store-deal-changes", StringComparison.Ordinal));
        Assert.DoesNotContain(queues, queue => queue.StartsWith("warm-up-", StringComparison.Ordinal) && !queue.StartsWith("warm-up-observer", StringComparison.Ordinal));
        Assert.DoesNotContain(queues, queue => queue.EndsWith("_error", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, Volatile.Read(ref observed));

        // The observer does see what is published on those exchanges.
        await scene.Observer.Publish(WarmUpSamples.DealSynced(0));
        Assert.Equal(1, await Eventually.ReadAsync(() => Volatile.Read(ref observed), count => count > 0, Settle));

        // The service stores that deal in its real store, where the check above would have found the rehearsal's.
        Assert.True(await Eventually.ReadAsync(() => StoreFilesMention(data, WarmUpSamples.Source), stored => stored, Settle),
            "The deal published after start-up never reached the real store.");
    }

    [Fact]
    public async Task The_scoring_service_rehearses_scoring_on_its_scratch_copy_without_counting_it_in_its_metrics()
    {
        var scored = 0;
        await using var scene = await Scene.StartAsync(endpoint => endpoint.Handler<DealScored>(_ => Task.FromResult(Interlocked.Increment(ref scored))));
        using var scoring = scene.Start("Scoring", ("Scoring__ModelDirectory", Path.Combine(scene.Directory.FullName, "models")));
        await scoring.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
        using var http = new HttpClient { BaseAddress = scoring.BaseAddress };

        var log = await OutputHoldingAsync(scoring, "Rehearsed scoring on a scratch copy: 32 steps, 32 messages consumed there");
        Assert.Contains("Rehearsed scoring on a scratch copy: 32 steps, 32 messages consumed there", log);
        Assert.DoesNotContain("failed on its scratch copy", log);
        Assert.DoesNotContain("dealrisk_deals_scored", await http.GetStringAsync("metrics"));
        Assert.Equal(0, Volatile.Read(ref scored));

        // A real message is scored, published and counted.
        await scene.Observer.Publish(WarmUpSamples.FeaturesComputed(0));
        Assert.Equal(1, await Eventually.ReadAsync(() => Volatile.Read(ref scored), count => count > 0, Settle));
        var metrics = await Eventually.ReadAsync(() => http.GetStringAsync("metrics"), text => text.Contains("dealrisk_deals_scored", StringComparison.Ordinal), Settle);
        Assert.Contains("dealrisk_deals_scored", metrics);
    }

    [Fact]
    public async Task The_notification_service_delivers_its_rehearsed_alerts_to_a_loopback_listener_and_not_to_the_configured_Slack()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var scene = await Scene.StartAsync(_ => { });
        // No deadline watch: after 7 AM Pacific its real "report late" alert for this empty store would reach the
        // configured Slack, which must hear nothing here but the real critical deal below.
        using var notification = scene.Start("Notification",
            ("Reports__OutputDirectory", Path.Combine(scene.Directory.FullName, "results")), ("SLACK_WEBHOOK_URL", slack.WebhookUrl),
            ("Sla__WatchDeadline", "false"));
        await notification.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));

        // Two steps (DealScored, a dispatch), 16 each, two rounds; a third of the deals critical, ten at most to a message.
        var log = await OutputHoldingAsync(notification, "Rehearsed notification on a scratch copy: 64 steps, 32 messages consumed there; a loopback Slack answered");
        Assert.Contains("Rehearsed notification on a scratch copy: 64 steps, 32 messages consumed there; a loopback Slack answered", log);
        Assert.DoesNotContain("a loopback Slack answered 0 requests", log);
        Assert.DoesNotContain("failed on its scratch copy", log);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(slack.Requests);

        // A real critical deal is alerted on the configured Slack.
        await scene.Observer.Publish(WarmUpSamples.DealScored(0));
        await slack.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Ingestion_sends_its_webhooks_to_its_own_listener_before_ready_and_they_publish_and_trace_nothing()
    {
        var announced = 0;
        await using var scene = await Scene.StartAsync(endpoint => endpoint.Handler<DealChangesStored>(_ => Task.FromResult(Interlocked.Increment(ref announced))));
        var traces = Path.Combine(scene.Directory.FullName, "ingestion.spans.jsonl");
        using var ingestion = scene.Start("Ingestion",
            ("Crm__HubSpot__ClientSecret", "warm-up-test-secret"), ("DEALRISK_TRACE_FILE", traces));
        await ingestion.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));

        // One signed empty HubSpot delivery, 16 a round, two rounds, let through to the webhook before ready.
        var log = await OutputHoldingAsync(ingestion, "32 requests to its own listener accepted");
        Assert.Contains("32 requests to its own listener accepted", log);
        Assert.DoesNotContain("requests to the service's own listener failed", log);
        Assert.DoesNotContain("requests to the service's own listener were refused", log);

        // Ready now: the same unsigned request reaches the handler, which refuses it, and is traced like any caller.
        using var http = new HttpClient { BaseAddress = ingestion.BaseAddress };
        using var unsigned = await http.PostAsync("webhooks/hubspot", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unsigned.StatusCode);
        var webhookSpans = await Eventually.ReadAsync(
            () => TraceFiles.Read(traces).Count(span => span.Name == "POST /webhooks/hubspot"), count => count > 0, Settle);
        Assert.Equal(1, webhookSpans);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, Volatile.Read(ref announced));
    }

    /// <summary>
    /// The service's output once it holds every one of these lines, or as it stands after <see cref="Settle"/>: a service
    /// logs its warm-up's summary just after it turns ready, and its console logger writes on a thread of its own.
    /// </summary>
    private static Task<string> OutputHoldingAsync(ServiceProcess service, params string[] lines) =>
        Eventually.ReadAsync(service.Describe, output => lines.All(line => output.Contains(line, StringComparison.Ordinal)), Settle);

    /// <summary>A virtual host of its own on the broker, a scratch directory and an observer bus on that host; all gone once disposed.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        public required RabbitMqBroker Broker { get; init; }
        public required string VirtualHost { get; init; }
        public required DirectoryInfo Directory { get; init; }
        public required IBusControl Observer { get; init; }

        public static async Task<Scene> StartAsync(Action<IRabbitMqReceiveEndpointConfigurator> observe)
        {
            var broker = await RabbitMqBroker.ConnectAsync();
            var virtualHost = await broker.CreateVirtualHostAsync();
            var directory = System.IO.Directory.CreateTempSubdirectory("dealrisk-warm-up-");
            var observer = await broker.StartObserverBusAsync(virtualHost, "warm-up-observer", observe);
            return new Scene { Broker = broker, VirtualHost = virtualHost, Directory = directory, Observer = observer };
        }

        /// <summary>A service process on the scene's virtual host with a store of its own and 16 warm-up samples per step.</summary>
        public ServiceProcess Start(string service, params (string Name, string Value)[] more)
        {
            var settings = new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = Path.Combine(Directory.FullName, "data"),
                ["Bus__WarmUpMessages"] = "16",
            };
            foreach (var (name, value) in more)
                settings[name] = value;
            return ServiceProcess.Start(service, RepositoryLayout.ServiceDll(service), Directory.FullName, Broker.ServiceSettings(VirtualHost, settings));
        }

        public async ValueTask DisposeAsync()
        {
            await Observer.StopAsync();
            await Broker.DeleteVirtualHostAsync(VirtualHost);
            Directory.Delete(recursive: true);
            await Broker.DisposeAsync();
        }
    }

    /// <summary>Whether any of the store's files (database and write-ahead log) holds the text, as a deal's source does.</summary>
    private static bool StoreFilesMention(string directory, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return Directory.GetFiles(directory).Any(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray().AsSpan().IndexOf(needle) >= 0;
        });
    }
}
