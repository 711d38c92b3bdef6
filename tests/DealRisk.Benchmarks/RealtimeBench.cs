using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using DealRisk.AllInOne;
using DealRisk.Contracts;
using DealRisk.EndToEnd.Tests;
using DealRisk.ServiceDefaults;
using DealRisk.SyntheticCrm;
using DealRisk.Testing;
using DealRisk.Contracts.Json;
using MassTransit;
using static DealRisk.Benchmarks.NearestRank;

namespace DealRisk.Benchmarks;

/// <summary>
/// The near-real-time path under load: the four services as separate processes on RabbitMQ, restarted just before
/// the load so the first seconds after start-up count, then stage changes through signed HubSpot webhooks at a
/// steady rate. Measures webhook arrival → DealScored, and for deals turning CRITICAL, webhook → message at a fake
/// Slack, plus the most messages any Slack channel got within one second. With a seeded store (<see cref="DuringBatch"/>)
/// the services run on a copy of it and, after the first measurement, the same load is sent again while the daily batch
/// of that store runs, to see whether single-deal rescoring waits behind the batch. Beside both, a probe times the disk's
/// fsyncs (<see cref="DiskSyncProbe"/>): a pause of the disk shows there as well as in the latencies.
/// </summary>
public static class RealtimeBench
{
    private const string ApiKey = "bench-api-key";
    private const string HubSpotSecret = "bench-hubspot-secret";
    private const int BatchesPerSecond = 20;

    /// <summary>HubSpot's default sales pipeline stage ids and the canonical stages they map to.</summary>
    private static readonly (string StageId, string Canonical)[] Pipeline =
    [
        ("appointmentscheduled", DealStages.Qualified),
        ("qualifiedtobuy", DealStages.Qualified),
        ("presentationscheduled", DealStages.Demo),
        ("decisionmakerboughtin", DealStages.Proposal),
        ("contractsent", DealStages.Negotiation),
    ];

    /// <summary>The store <c>seed-batch</c> filled with <paramref name="OpenDeals"/> open deals, whose daily batch runs during the second load.</summary>
    public sealed record DuringBatch(int OpenDeals, string SeededDirectory);

    /// <param name="warmUpSeconds">Load sent and left out of every figure before measuring, to see the warm path apart from the first seconds after start-up.</param>
    /// <param name="duringBatch">Run on a copy of this seeded store and measure the load again while its daily batch runs.</param>
    public static async Task<BenchResult> RunAsync(int changesPerSecond, int seconds, int deals, int warmUpSeconds = 0, DuringBatch? duringBatch = null)
    {
        var work = Path.Combine(Path.GetTempPath(), "dealrisk-bench-realtime-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var sharedStore = duringBatch is null ? null : CopySeededStore(duringBatch);
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var vhost = await broker.CreateVirtualHostAsync();
        await using var slack = await FakeSlack.StartAsync();
        var observer = new ScoreObserver();
        var bus = await observer.StartAsync(broker, vhost);
        var services = new List<ServiceProcess>();
        try
        {
            var environment = Environment(broker, vhost, work, slack.WebhookUrl);
            services = await StartAsync(environment, work, sharedStore);
            // On a seeded store a preload batch would score the whole book before the load starts: the deals are only stored.
            var generated = await PreloadAsync(services[0], observer, deals, work, runBatch: sharedStore is null);
            observer.StopRecordingBatchLevels();
            // The preload's own alerts (its batch's morning messages, paced one per second per channel) are delivered
            // before the restart: left queued, the real-time alerts measured below would wait behind them.
            var drained = Stopwatch.StartNew();
            var preloadMessages = await slack.WaitForQuietAsync(TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(3));
            Console.WriteLine($"Preloaded {generated.Count} deals ({preloadMessages} Slack messages of its own delivered in {drained.Elapsed.TotalSeconds:0.0} s); restarting the services to measure from a cold start.");
            foreach (var service in services) service.Dispose();
            Directory.Delete(TraceDirectory(work), recursive: true);
            services = await StartAsync(environment, work, sharedStore);
            using var disk = DiskSyncProbe.Start(work);

            var stageOf = generated.ToDictionary(deal => deal.ExternalId, deal => deal.Stage);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var webhook = new HubSpotWebhook(http, new Uri(services[0].BaseAddress, "webhooks/hubspot"), HubSpotSecret);
            await WarmUpMeasuringSideAsync(webhook, http, observer, bus);
            if (warmUpSeconds > 0)
            {
                await SendLoadAsync(webhook, generated, stageOf, changesPerSecond, warmUpSeconds, observer);
                await Task.Delay(TimeSpan.FromSeconds(5));
                observer.ForgetWarmUp();
            }
            var measuredFrom = DateTime.UtcNow;
            var loadStarted = Stopwatch.GetTimestamp();
            var load = await SendLoadAsync(webhook, generated, stageOf, changesPerSecond, seconds, observer);
            await Task.Delay(TimeSpan.FromSeconds(10));
            var result = Measure(load, observer, slack, changesPerSecond, seconds, warmUpSeconds, HopBreakdown.Measure(TraceDirectory(work), measuredFrom),
                disk.Figures(loadStarted, Stopwatch.GetTimestamp()));
            if (duringBatch is not null)
                result = await MeasureDuringBatchAsync(result, duringBatch, services[0], webhook, generated, stageOf, changesPerSecond, seconds, observer, TraceDirectory(work), disk);
            foreach (var service in services) service.Dispose();
            return result;
        }
        finally
        {
            foreach (var service in services) service.Dispose();
            await bus.StopAsync();
            await broker.DeleteVirtualHostAsync(vhost);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            if (sharedStore is not null)
                try { Directory.Delete(sharedStore, recursive: true); } catch (IOException) { }
        }
    }

    private static string CopySeededStore(DuringBatch duringBatch)
    {
        var seeded = Path.GetFullPath(duringBatch.SeededDirectory);
        if (!File.Exists(Path.Combine(seeded, $"seeded-{duringBatch.OpenDeals}")))
            throw new InvalidOperationException(
                $"{seeded} holds no seeded store of {duringBatch.OpenDeals} open deals: run seed-batch --deals {duringBatch.OpenDeals} --data {duringBatch.SeededDirectory} first.");
        var copy = seeded.TrimEnd('/') + "-realtime";
        Console.WriteLine($"Copying the seeded store {seeded} to {copy}.");
        DailyBatchBench.CopyStore(seeded, copy);
        return copy;
    }

    /// <summary>
    /// The same load again, started with the daily batch of the seeded store: webhook → DealScored for the changes sent
    /// before the batch's report arrived (all of them when the batch outlasts the load).
    /// </summary>
    private static async Task<BenchResult> MeasureDuringBatchAsync(
        BenchResult result, DuringBatch duringBatch, ServiceProcess ingestion, HubSpotWebhook webhook, List<DealSnapshot> deals, Dictionary<string, string> stageOf,
        int changesPerSecond, int seconds, ScoreObserver observer, string traceDirectory, DiskSyncProbe disk)
    {
        observer.ForgetWarmUp();
        var measuredFrom = DateTime.UtcNow;
        var batchId = await DistributedBatchBench.StartBatchAsync(ingestion, ApiKey);
        var started = Stopwatch.GetTimestamp();
        Console.WriteLine($"Daily batch {batchId} of {duringBatch.OpenDeals:N0} open deals started; sending the same load during it.");
        var load = await SendLoadAsync(webhook, deals, stageOf, changesPerSecond, seconds, observer);
        await Task.Delay(TimeSpan.FromSeconds(10));
        long? reportTicks = observer.ReportArrived(batchId);
        var during = load.Where(change => reportTicks is not { } ended || change.SentTicks < ended).ToList();
        var latencies = Latencies(during, observer.SingleScores(), out _, out _);
        var figures = new Dictionary<string, object>(result.Figures)
        {
            ["batchOpenDeals"] = duringBatch.OpenDeals,
            ["batchFinishedSeconds"] = reportTicks is { } done ? Math.Round(Stopwatch.GetElapsedTime(started, done).TotalSeconds, 1) : "not within the load",
            ["batchChunksByScorer"] = observer.ChunkScorers(batchId),
            ["changesSentDuringBatch"] = during.Count,
            ["changesScoredDuringBatch"] = latencies.Count,
            ["scoredP50DuringBatchMs"] = Math.Round(Percentile(latencies, 0.50), 2),
            ["scoredP99DuringBatchMs"] = Math.Round(Percentile(latencies, 0.99), 2),
            ["webhookResponseP99DuringBatchMs"] = Math.Round(observer.ResponseP99(), 2),
            ["loadAverageOneMinuteAfterBatchLoad"] = BenchResult.OneMinuteLoad(),
            ["hopsDuringBatch"] = HopBreakdown.Measure(traceDirectory, measuredFrom),
            ["diskSyncDuringBatch"] = disk.Figures(started, Stopwatch.GetTimestamp()),
        };
        var targets = new Dictionary<string, object>(result.Targets) { ["scoredP99DuringBatchMs"] = 100 };
        var met = result.TargetsMet && during.Count > 0 && latencies.Count == during.Count && Percentile(latencies, 0.99) <= 100;
        return result with { Figures = figures, Targets = targets, TargetsMet = met };
    }

    private static Dictionary<string, string> Environment(RabbitMqBroker broker, string vhost, string work, string slackUrl)
    {
        var environment = broker.ServiceSettings(vhost, new Dictionary<string, string>
        {
            ["Reports__OutputDirectory"] = Path.Combine(work, "results"),
            ["Ingestion__ApiKey"] = ApiKey,
            ["Crm__HubSpot__ClientSecret"] = HubSpotSecret,
            ["SLACK_WEBHOOK_URL"] = slackUrl,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        foreach (var (stageId, canonical) in Pipeline)
            environment[$"Crm__HubSpot__Stages__{stageId}"] = canonical;
        return environment;
    }

    /// <param name="sharedStore">A store every service opens its own file in (a seeded one), or none: a directory each under <paramref name="work"/>.</param>
    private static async Task<List<ServiceProcess>> StartAsync(Dictionary<string, string> environment, string work, string? sharedStore)
    {
        var services = new List<ServiceProcess>();
        foreach (var name in new[] { "Ingestion", "Features", "Scoring", "Notification" })
        {
            var settings = new Dictionary<string, string>(environment)
            {
                ["Storage__DataDirectory"] = sharedStore ?? Path.Combine(work, "data", name.ToLowerInvariant()),
                ["OTEL_SERVICE_NAME"] = name.ToLowerInvariant(),
                ["DEALRISK_TRACE_FILE"] = Path.Combine(TraceDirectory(work), name.ToLowerInvariant() + ".jsonl"),
            };
            if (sharedStore is not null)
                settings["Scoring__ModelDirectory"] = Path.Combine(work, "models");
            services.Add(ServiceProcess.Start(name, RepositoryLayout.ServiceDll(name), work, settings));
        }
        try
        {
            foreach (var service in services)
                await service.WaitUntilHealthyAsync(TimeSpan.FromSeconds(180));
            return services;
        }
        catch
        {
            // The caller never sees this list, so a service that failed to start must not leave the others running.
            foreach (var service in services) service.Dispose();
            throw;
        }
    }

    private static string TraceDirectory(string work) => Directory.CreateDirectory(Path.Combine(work, "traces")).FullName;

    private static async Task<List<DealSnapshot>> PreloadAsync(ServiceProcess ingestion, ScoreObserver observer, int count, string work, bool runBatch)
    {
        var asOf = BusinessCalendar.Today(TimeProvider.System);
        var deals = SyntheticCrmGenerator.Generate(new SyntheticCrmOptions { Seed = 11, DealCount = count, AsOf = asOf })
            .Select((deal, index) => deal with { Source = "hubspot", ExternalId = (9_000_000 + index).ToString() })
            .ToList();
        var file = Path.Combine(work, "preload.jsonl");
        await using (var stream = File.Create(file))
            await DealJsonLines.WriteAsync(deals, stream);

        using var http = new HttpClient { BaseAddress = ingestion.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        using var content = new StreamContent(File.OpenRead(file));
        content.Headers.ContentType = new("application/x-ndjson");
        using var response = await http.PostAsync($"imports?format=dealrisk-jsonl&runBatch={(runBatch ? "true" : "false")}&asOf={asOf:yyyy-MM-dd}", content);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Preload import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{ingestion.Describe()}");
        var imported = await response.Content.ReadFromJsonAsync<ImportAnswer>();
        if (runBatch)
        {
            var report = await observer.WaitForReportAsync(imported!.BatchId!.Value, TimeSpan.FromMinutes(3));
            await observer.WaitForBatchLevelsAsync(report.OpenDeals, TimeSpan.FromSeconds(30));
        }
        return deals.Where(deal => !deal.IsClosed).ToList();
    }

    private sealed record ImportAnswer(Guid? BatchId);

    /// <summary>
    /// Warms the benchmark's own side before the clock starts, so that its first seconds measure the services and not
    /// the load generator compiling its code: signed webhooks sent at the load's pace to a loopback sink (none reaches
    /// the services), readiness probes on the connections to ingestion (what an orchestrator sends anyway), DealScored
    /// messages sent straight to the observer's own queue (no service sees them); in two rounds, then a wait until this
    /// process's compiler has gone quiet (a profile of the first seconds of load found the benchmark's own recompilation
    /// taking a fifth of the machine).
    /// </summary>
    private static async Task WarmUpMeasuringSideAsync(HubSpotWebhook webhook, HttpClient http, ScoreObserver observer, IBus bus)
    {
        await using var sink = await LoopbackSink.StartAsync();
        var rehearsal = new HubSpotWebhook(http, new Uri(sink.BaseAddress, "webhooks/hubspot"), HubSpotSecret);
        for (var round = 0; round < 2; round++)
        {
            var sends = new List<Task>();
            for (var i = 0; i < 2 * BatchesPerSecond; i++)
            {
                sends.Add(SendToSinkAsync(rehearsal, [.. Enumerable.Range(1, 10).Select(deal => (deal.ToString(), Pipeline[(i + deal) % Pipeline.Length].StageId))]));
                await Task.Delay(TimeSpan.FromSeconds(1.0 / BatchesPerSecond));
            }
            await Task.WhenAll(sends);
            var probes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => webhook.ProbeReadyAsync(CancellationToken.None)));
            if (!probes.All(ready => ready))
                throw new InvalidOperationException("Ingestion stopped reporting ready before the load.");
            await observer.WarmUpAsync(bus, messages: 64, TimeSpan.FromSeconds(30));
            await JitActivity.WaitForQuietAsync(TimeSpan.FromSeconds(15), CancellationToken.None);
        }
    }

    private static async Task SendToSinkAsync(HubSpotWebhook sink, List<(string DealId, string StageId)> changes)
    {
        using var response = await sink.SendStageChangesAsync(changes, CancellationToken.None);
        response.EnsureSuccessStatusCode();
    }

    private sealed record SentChange(string DealId, string Canonical, long SentTicks);

    private static async Task<List<SentChange>> SendLoadAsync(
        HubSpotWebhook webhook, List<DealSnapshot> openDeals, Dictionary<string, string> stageOf, int changesPerSecond, int seconds, ScoreObserver observer)
    {
        var perBatch = Math.Max(1, changesPerSecond / BatchesPerSecond);
        var sent = new ConcurrentBag<SentChange>();
        var inFlight = new List<Task>();
        var next = 0;
        var clock = Stopwatch.StartNew();
        var tick = TimeSpan.FromSeconds(1.0 / BatchesPerSecond);
        for (var batch = 0; batch < seconds * BatchesPerSecond; batch++)
        {
            // Read the clock once: on a busy machine it moves between a check and a second read, and a negative delay throws.
            var wait = tick * batch - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var changes = new List<(string DealId, string StageId)>(perBatch);
            for (var i = 0; i < perBatch; i++)
            {
                var deal = openDeals[next++ % openDeals.Count];
                var candidates = Pipeline.Where(stage => stage.Canonical != stageOf[deal.ExternalId]).ToArray();
                var target = candidates[Random.Shared.Next(candidates.Length)];
                stageOf[deal.ExternalId] = target.Canonical;
                changes.Add((deal.ExternalId, target.StageId));
            }
            var sentAt = Stopwatch.GetTimestamp();
            foreach (var (dealId, stageId) in changes)
                sent.Add(new SentChange(dealId, Pipeline.First(s => s.StageId == stageId).Canonical, sentAt));
            inFlight.Add(SendAsync(webhook, changes, observer));
        }
        await Task.WhenAll(inFlight);
        return sent.ToList();
    }

    private static async Task SendAsync(HubSpotWebhook webhook, List<(string DealId, string StageId)> changes, ScoreObserver observer)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await webhook.SendStageChangesAsync(changes, CancellationToken.None);
            observer.RecordResponse(Stopwatch.GetElapsedTime(started), response.IsSuccessStatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // A request the client gave up on counts as failed, as HubSpot would count it; the run goes on.
            observer.RecordResponse(Stopwatch.GetElapsedTime(started), ok: false);
        }
    }

    private static BenchResult Measure(
        List<SentChange> sent, ScoreObserver observer, FakeSlack slack, int changesPerSecond, int seconds, int warmUpSeconds,
        IReadOnlyList<Dictionary<string, object>> hops, Dictionary<string, object> diskSync)
    {
        var latencies = Latencies(sent, observer.SingleScores(), out var firstSeconds, out var byTenSeconds);

        var alertLatencies = new List<double>();
        var messages = slack.Requests.ToList();
        foreach (var critical in observer.Escalations())
        {
            var change = sent.Where(c => c.DealId == critical.DealId && c.SentTicks <= critical.ArrivedTicks).MaxBy(c => c.SentTicks);
            var message = messages.FirstOrDefault(m => m.ArrivedTicks >= critical.ArrivedTicks - Stopwatch.Frequency && m.Body.Contains(critical.DealId));
            if (change is not null && message is not null)
                alertLatencies.Add(Stopwatch.GetElapsedTime(change.SentTicks, message.ArrivedTicks).TotalMilliseconds);
        }
        var channels = messages.GroupBy(m => Channel(m.Body) ?? m.Path)
            .Select(channel => (Name: channel.Key, Messages: channel.OrderBy(m => m.ArrivedTicks).ToList())).ToList();
        var maxPerSecond = channels.Select(channel => MaxWithinOneSecond(channel.Messages.Select(m => m.ArrivedTicks).ToList()))
            .DefaultIfEmpty(0).Max();
        if (maxPerSecond > 1)
            ReportMessagesCloserThanOneSecond(channels, messages.Min(m => m.ArrivedTicks));

        var p99 = Percentile(latencies, 0.99);
        var alertP99 = Percentile(alertLatencies, 0.99);
        return new BenchResult
        {
            Name = "realtime",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["changesPerSecond"] = changesPerSecond,
                ["seconds"] = seconds,
                ["warmUpSeconds"] = warmUpSeconds,
                ["changesSent"] = sent.Count,
                ["webhookResponsesOk"] = observer.OkResponses,
                ["webhookResponsesFailed"] = observer.FailedResponses,
                ["webhookResponseP99Ms"] = Math.Round(observer.ResponseP99(), 2),
                ["changesScored"] = latencies.Count,
                ["scoredP50Ms"] = Math.Round(Percentile(latencies, 0.50), 2),
                ["scoredP99Ms"] = Math.Round(p99, 2),
                ["scoredMaxMs"] = Math.Round(latencies.DefaultIfEmpty(0).Max(), 2),
                ["scoredP99FirstFiveSecondsMs"] = Math.Round(Percentile(firstSeconds, 0.99), 2),
                ["scoredP99ByTenSecondsMs"] = byTenSeconds.Select(window => Math.Round(Percentile(window, 0.99), 2)).ToList(),
                ["criticalEscalations"] = observer.Escalations().Count,
                ["criticalAlertsMatchedAtSlack"] = alertLatencies.Count,
                ["alertP99Ms"] = Math.Round(alertP99, 2),
                ["slackMessages"] = messages.Count,
                ["maxMessagesPerChannelWithinOneSecond"] = maxPerSecond,
                ["loadAverageOneMinuteAtEnd"] = BenchResult.OneMinuteLoad(),
                ["hops"] = hops,
                ["diskSync"] = diskSync,
            },
            Targets = new Dictionary<string, object> { ["scoredP99Ms"] = 25, ["alertP99Ms"] = 1500, ["maxMessagesPerChannelWithinOneSecond"] = 1 },
            TargetsMet = latencies.Count == sent.Count && p99 < 25 && alertLatencies.Count == observer.Escalations().Count && alertP99 <= 1500 && maxPerSecond <= 1,
        };
    }

    /// <summary>
    /// Webhook → DealScored per change that was scored, each score matched to one change; those of the first five
    /// seconds; and those of each ten seconds of the load, to tell a tail after start-up from one spread over the run.
    /// </summary>
    private static List<double> Latencies(
        List<SentChange> sent, List<(string DealId, string Stage, string Level, long ArrivedTicks)> scoredAt,
        out List<double> firstSeconds, out List<List<double>> byTenSeconds)
    {
        var latencies = new List<double>();
        firstSeconds = [];
        byTenSeconds = [];
        if (sent.Count == 0) return latencies;
        var start = sent.Min(change => change.SentTicks);
        var matched = new HashSet<(string, long)>();
        foreach (var change in sent.OrderBy(change => change.SentTicks))
        {
            var score = scoredAt.FirstOrDefault(s => s.DealId == change.DealId && s.Stage == change.Canonical && s.ArrivedTicks >= change.SentTicks && !matched.Contains((s.DealId, s.ArrivedTicks)));
            if (score.DealId is null) continue;
            matched.Add((score.DealId, score.ArrivedTicks));
            var ms = Stopwatch.GetElapsedTime(change.SentTicks, score.ArrivedTicks).TotalMilliseconds;
            latencies.Add(ms);
            var sentAfter = Stopwatch.GetElapsedTime(start, change.SentTicks);
            if (sentAfter < TimeSpan.FromSeconds(5)) firstSeconds.Add(ms);
            var window = (int)(sentAfter.TotalSeconds / 10);
            while (byTenSeconds.Count <= window) byTenSeconds.Add([]);
            byTenSeconds[window].Add(ms);
        }
        return latencies;
    }

    /// <summary>The channel a message names (one webhook can serve several channels), if any.</summary>
    private static string? Channel(string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("channel", out var channel) ? channel.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Which messages broke the pace, so a run that breaks it says how (arrival gap, what each one was).</summary>
    /// <param name="channels">Each channel's messages in order of arrival.</param>
    private static void ReportMessagesCloserThanOneSecond(List<(string Name, List<RecordedRequest> Messages)> channels, long start)
    {
        foreach (var (name, ordered) in channels)
        {
            for (var i = 1; i < ordered.Count; i++)
            {
                var gap = Stopwatch.GetElapsedTime(ordered[i - 1].ArrivedTicks, ordered[i].ArrivedTicks);
                if (gap < TimeSpan.FromSeconds(1))
                    Console.WriteLine($"Slack channel '{name}': two messages {gap.TotalMilliseconds:0.0} ms apart, at "
                        + $"{Stopwatch.GetElapsedTime(start, ordered[i - 1].ArrivedTicks).TotalSeconds:0.000} s: {Shown(ordered[i - 1].Body)} | {Shown(ordered[i].Body)}");
            }
        }

        static string Shown(string body) => body.Length <= 160 ? body : body[..160] + "…";
    }

    private static int MaxWithinOneSecond(List<long> ticks)
    {
        var best = 0;
        for (int left = 0, right = 0; right < ticks.Count; right++)
        {
            while (ticks[right] - ticks[left] >= Stopwatch.Frequency) left++;
            best = Math.Max(best, right - left + 1);
        }
        return best;
    }

    /// <summary>The benchmark's own queues on the services' virtual host: every DealScored and report with arrival times, and the batch's chunks.</summary>
    private sealed class ScoreObserver
    {
        private Uri? _address;
        private readonly ConcurrentQueue<(string DealId, string Stage, string Level, long ArrivedTicks)> _single = new();
        private readonly ConcurrentDictionary<string, string> _batchLevels = new();
        private volatile bool _recordingBatchLevels = true;
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource<DailyReportPublished>> _reports = new();
        private readonly ConcurrentBag<double> _responses = new();
        private int _ok, _failed;

        public int OkResponses => _ok;
        public int FailedResponses => _failed;

        public async Task<IBusControl> StartAsync(RabbitMqBroker broker, string vhost)
        {
            // Batch chunks on a queue of their own, as the services keep them: a score waits behind none of them here.
            var bus = await broker.StartObserverBusAsync(vhost, ("bench-observer", endpoint =>
            {
                _address = endpoint.InputAddress;
                endpoint.PrefetchCount = 256;
                endpoint.Handler<DealScored>(context => Record(context.Message));
                endpoint.Handler<DailyReportPublished>(context =>
                {
                    _reportTicks.TryAdd(context.Message.BatchId, Stopwatch.GetTimestamp());
                    Report(context.Message.BatchId).TrySetResult(context.Message);
                    return Task.CompletedTask;
                });
            }), ("bench-observer-chunks", endpoint => endpoint.Handler<DealChunkScored>(context => Record(context.Message))));
            return bus;
        }

        private readonly ConcurrentDictionary<Guid, long> _reportTicks = new();
        private readonly ConcurrentDictionary<(Guid BatchId, string Scorer), int> _chunkScorers = new();

        /// <summary>How many of the batch's scored chunks each scorer scored (the model, or the rules after a fallback pinned the batch).</summary>
        public Dictionary<string, int> ChunkScorers(Guid batchId) =>
            _chunkScorers.Where(entry => entry.Key.BatchId == batchId).ToDictionary(entry => entry.Key.Scorer, entry => entry.Value);

        public Task<DailyReportPublished> WaitForReportAsync(Guid batchId, TimeSpan timeout) => Report(batchId).Task.WaitAsync(timeout);

        /// <summary>The batch's chunks travel on their own queue, so the report can arrive before the last of them is read.</summary>
        public async Task WaitForBatchLevelsAsync(int deals, TimeSpan timeout)
        {
            var recorded = await Eventually.ReadAsync(() => _batchLevels.Count, count => count >= deals, timeout);
            if (recorded < deals)
                throw new TimeoutException($"The observer read the levels of {recorded} of the {deals} deals the preload batch reported within {timeout.TotalSeconds:0} s.");
        }

        /// <summary>When the batch's report was announced, if it has been.</summary>
        public long? ReportArrived(Guid batchId) => _reportTicks.TryGetValue(batchId, out var ticks) ? ticks : null;

        public void RecordResponse(TimeSpan elapsed, bool ok)
        {
            _responses.Add(elapsed.TotalMilliseconds);
            if (ok) Interlocked.Increment(ref _ok); else Interlocked.Increment(ref _failed);
        }

        public double ResponseP99() => Percentile(_responses.ToList(), 0.99);

        /// <summary>Sends the services' own warm-up sample of DealScored to the observer's queue, waits for them, then forgets them.</summary>
        public async Task WarmUpAsync(IBus bus, int messages, TimeSpan timeout)
        {
            var queue = await bus.GetSendEndpoint(_address ?? throw new InvalidOperationException("The observer has not started."));
            for (var i = 0; i < messages; i++)
                await queue.Send(WarmUpSamples.DealScored(i));
            var received = await Eventually.ReadAsync(
                () => _single.Count(score => score.DealId.StartsWith(WarmUpSamples.Source, StringComparison.Ordinal)), count => count >= messages, timeout);
            if (received < messages)
                throw new TimeoutException($"The observer received {received} of its {messages} warm-up messages within {timeout.TotalSeconds:0} s.");
            ForgetWarmUp();
        }

        /// <summary>Leaves the warm-up's scores and responses out: their levels become the starting levels escalations are judged from.</summary>
        public void ForgetWarmUp()
        {
            while (_single.TryDequeue(out var score))
                _batchLevels[score.DealId] = score.Level;
            _responses.Clear();
            _ok = 0;
            _failed = 0;
        }

        public List<(string DealId, string Stage, string Level, long ArrivedTicks)> SingleScores() => _single.ToList();

        /// <summary>Real-time scores that took a deal into CRITICAL from a lower level.</summary>
        public List<(string DealId, long ArrivedTicks)> Escalations()
        {
            var level = new Dictionary<string, string>(_batchLevels);
            var escalations = new List<(string, long)>();
            foreach (var score in _single.OrderBy(s => s.ArrivedTicks))
            {
                if (score.Level == RiskLevels.Critical && level.GetValueOrDefault(score.DealId) != RiskLevels.Critical)
                    escalations.Add((score.DealId, score.ArrivedTicks));
                level[score.DealId] = score.Level;
            }
            return escalations;
        }

        private Task Record(DealScored scored)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var score in scored.Scores)
            {
                if (scored.Batch is null)
                    _single.Enqueue((score.Deal.ExternalId, score.Deal.Stage, score.Level, now));
                else
                    _batchLevels[score.Deal.ExternalId] = score.Level;
            }
            return Task.CompletedTask;
        }

        /// <summary>
        /// The preload batch's levels are all the escalations are judged from: a later batch's chunks are only counted, so
        /// the benchmark does not decode a million scores beside the services it measures.
        /// </summary>
        public void StopRecordingBatchLevels() => _recordingBatchLevels = false;

        /// <summary>A batch chunk's levels are where each deal starts: a deal the batch left CRITICAL does not escalate again.</summary>
        private Task Record(DealChunkScored scored)
        {
            _chunkScorers.AddOrUpdate((scored.Batch.BatchId, scored.Scorer), 1, (_, chunks) => chunks + 1);
            if (!_recordingBatchLevels)
                return Task.CompletedTask;
            var chunk = ScoreChunk.Read(scored.Payload);
            for (var row = 0; row < chunk.Count; row++)
                _batchLevels[chunk.Deals.ExternalId[row]] = chunk.Levels[row]!;
            return Task.CompletedTask;
        }

        private TaskCompletionSource<DailyReportPublished> Report(Guid batchId) =>
            _reports.GetOrAdd(batchId, _ => new TaskCompletionSource<DailyReportPublished>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
