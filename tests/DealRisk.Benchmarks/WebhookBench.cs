using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DealRisk.EndToEnd.Tests;
using DealRisk.Ingestion;
using DealRisk.ServiceDefaults;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using RabbitMQ.Client;

namespace DealRisk.Benchmarks;

/// <summary>
/// HubSpot webhook ingestion into the ingestion service on Kestrel (loopback) with the RabbitMQ transport, durable
/// and confirmed: signed batches of 100 deal.propertyChange events are posted at fixed, increasing rates (open loop,
/// each step bounded in time and in requests in flight), and accepted changes per second and latency are measured.
/// The published DealChangesStored (one per delivery) land in a durable queue nobody consumes (the vhost is dropped
/// afterwards), so every publish costs what it costs in production: routed, persisted, confirmed.
/// </summary>
public static class WebhookBench
{
    private const int EventsPerBatch = 100;
    private const int DistinctDeals = 20_000;
    private const int MaxInFlight = 256;
    private static readonly int[] RatesPerSecond = [1_000, 2_500, 5_000, 7_500, 10_000];
    private static readonly TimeSpan StepLength = TimeSpan.FromSeconds(10);

    /// <summary>Until it reports ready the webhook answers 503: the load starts once it does, as a CRM's retries would find it.</summary>
    private static async Task WaitUntilReadyAsync(HttpClient client, TimeSpan timeout)
    {
        var status = await Eventually.ReadAsync(async () =>
        {
            using var response = await client.GetAsync("/health/ready");
            return (int)response.StatusCode;
        }, code => code is >= 200 and < 300, timeout);
        if (status is < 200 or >= 300)
            throw new TimeoutException($"Ingestion did not report ready within {timeout.TotalSeconds:0} s (last answer {status}).");
    }

    /// <param name="transport">RabbitMq (the measured figure) or InMemory (the same without the broker, to see where the time goes).</param>
    public static async Task<BenchResult> RunAsync(string virtualHost, string dataDirectory, string transport = "RabbitMq")
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        if (transport == "RabbitMq")
            await BindAnnouncementQueueAsync(virtualHost);
        await using var app = BuildService(virtualHost, dataDirectory, secret, transport);
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = MaxInFlight, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var load = new LoadGenerator(client, new Uri(baseUri, "/webhooks/hubspot"), secret);

        await WaitUntilReadyAsync(client, TimeSpan.FromMinutes(2));
        Console.WriteLine($"Ingestion on {baseUri} (RabbitMQ vhost {virtualHost}) is ready; warming up...");
        await load.RunStepAsync(500, TimeSpan.FromSeconds(3));

        var steps = new List<StepResult>();
        foreach (var rate in RatesPerSecond)
        {
            var step = await load.RunStepAsync(rate, StepLength);
            steps.Add(step);
            Console.WriteLine($"  offered {rate,6:N0} changes/s: accepted {step.AcceptedPerSecond,8:N0}/s, p50 {step.P50Ms,6:0.0} ms, p99 {step.P99Ms,7:0.0} ms, errors {step.Errors}, not sent (too many in flight) {step.Skipped}");
        }
        await app.StopAsync();

        var best = steps.Where(step => step.P99Ms < 100 && step.Errors == 0 && step.Skipped == 0).MaxBy(step => step.AcceptedPerSecond);
        return new BenchResult
        {
            Name = transport == "RabbitMq" ? "webhooks" : "webhooks-in-memory",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["transport"] = transport == "RabbitMq"
                    ? "RabbitMQ (durable, publisher confirms), ingestion on Kestrel over loopback, load generator in the same process"
                    : "in-memory bus (no broker), ingestion on Kestrel over loopback, load generator in the same process",
                ["eventsPerRequest"] = EventsPerBatch,
                ["bestAcceptedChangesPerSecondWithP99Under100Ms"] = best?.AcceptedPerSecond ?? 0,
                ["steps"] = steps,
            },
            Targets = new Dictionary<string, object> { ["changesPerSecond"] = 5_000, ["p99Ms"] = 100 },
            TargetsMet = best is { AcceptedPerSecond: >= 4_950 },
        };
    }

    private static WebApplication BuildService(string virtualHost, string dataDirectory, string secret, string transport)
    {
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        var builder = WebApplication.CreateBuilder(ServiceHostSettings.Web([], typeof(IngestionServiceExtensions).Assembly.GetName().Name));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = transport,
            ["Bus:RabbitMq:VirtualHost"] = virtualHost,
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Crm:HubSpot:ClientSecret"] = secret,
            ["Logging:LogLevel:Default"] = "Warning",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddIngestionService();
        builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddIngestionConsumers());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapIngestionEndpoints();
        return app;
    }

    private static async Task BindAnnouncementQueueAsync(string virtualHost)
    {
        var factory = new ConnectionFactory { HostName = "localhost", VirtualHost = virtualHost, UserName = "guest", Password = "guest" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        const string exchange = "DealRisk.Contracts:DealChangesStored", queue = "bench-DealChangesStored";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, exchange, "");
    }

    public sealed record StepResult
    {
        public required int OfferedPerSecond { get; init; }
        public required double AcceptedPerSecond { get; init; }
        public required double P50Ms { get; init; }
        public required double P99Ms { get; init; }
        public required double MaxMs { get; init; }
        public required int Requests { get; init; }
        public required int Errors { get; init; }
        public required int Skipped { get; init; }
    }

    /// <summary>Sends signed batches on a fixed schedule, never more than <see cref="MaxInFlight"/> at once.</summary>
    private sealed class LoadGenerator(HttpClient client, Uri uri, string secret)
    {
        private long _nextEventId;
        private long _nextDeal;
        private long _amount = 1_000;

        public async Task<StepResult> RunStepAsync(int changesPerSecond, TimeSpan length)
        {
            var requestsPerSecond = changesPerSecond / (double)EventsPerBatch;
            var total = (int)Math.Round(requestsPerSecond * length.TotalSeconds);
            var interval = TimeSpan.FromSeconds(1 / requestsPerSecond);
            var latencies = new List<double>(total);
            var inFlight = new List<Task<(double Ms, int Applied, bool Ok)>>();
            int errors = 0, skipped = 0, applied = 0;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total; i++)
            {
                // Read the clock once: on a busy machine it moves between a check and a second read, and a negative delay throws.
                var wait = interval * i - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                inFlight.RemoveAll(task => task.IsCompleted && Collect(task.Result));
                if (inFlight.Count >= MaxInFlight)
                {
                    skipped++;
                    continue;
                }
                inFlight.Add(SendAsync(NextBatch()));
            }
            foreach (var task in inFlight)
                Collect(await task);
            var elapsed = clock.Elapsed.TotalSeconds;

            latencies.Sort();
            return new StepResult
            {
                OfferedPerSecond = changesPerSecond,
                AcceptedPerSecond = Math.Round(applied / elapsed),
                P50Ms = Math.Round(Percentile(latencies, 0.50), 1),
                P99Ms = Math.Round(Percentile(latencies, 0.99), 1),
                MaxMs = Math.Round(latencies.LastOrDefault(), 1),
                Requests = latencies.Count,
                Errors = errors,
                Skipped = skipped,
            };

            bool Collect((double Ms, int Applied, bool Ok) result)
            {
                latencies.Add(result.Ms);
                applied += result.Applied;
                if (!result.Ok) errors++;
                return true;
            }
        }

        private async Task<(double Ms, int Applied, bool Ok)> SendAsync(string body)
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
            request.Headers.Add("X-HubSpot-Signature-v3", Sign("POST" + uri.AbsoluteUri + body + timestamp));
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) return (ms, 0, false);
                return (ms, JsonDocument.Parse(text).RootElement.GetProperty("applied").GetInt32(), true);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // A request the client gave up on (its 30 s timeout) is an error of the step, not the end of the run.
                return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0, false);
            }
        }

        /// <summary>100 amount changes of 100 different deals, each newer than the last change of that deal.</summary>
        private string NextBatch()
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var events = new JsonArray();
            for (var i = 0; i < EventsPerBatch; i++)
            {
                events.Add(new JsonObject
                {
                    ["eventId"] = Interlocked.Increment(ref _nextEventId),
                    ["subscriptionId"] = 4242,
                    ["portalId"] = 62515,
                    ["appId"] = 1160452,
                    ["occurredAt"] = now,
                    ["subscriptionType"] = "deal.propertyChange",
                    ["attemptNumber"] = 0,
                    ["objectId"] = 1_000_000 + Interlocked.Increment(ref _nextDeal) % DistinctDeals,
                    ["changeSource"] = "CRM_UI",
                    ["propertyName"] = "amount",
                    ["propertyValue"] = Interlocked.Increment(ref _amount).ToString(),
                });
            }
            return events.ToJsonString();
        }

        private string Sign(string message) =>
            Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));

        private static double Percentile(List<double> sorted, double quantile) =>
            sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
    }
}
