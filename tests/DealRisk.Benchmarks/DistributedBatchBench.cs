using System.Diagnostics;
using System.Net.Http.Json;
using DealRisk.Contracts;
using DealRisk.EndToEnd.Tests;
using MassTransit;

namespace DealRisk.Benchmarks;

/// <summary>
/// The daily batch with the four services as separate processes on RabbitMQ, over the store <c>seed-batch</c> filled
/// (each service opens its own file in it, as in embedded mode). Timed from <c>POST /batches</c> to the
/// <c>DailyReportPublished</c> the benchmark's own queue receives; CPU time and peak memory are read per process from
/// /proc, and the services' span files give where the time went per hop.
/// </summary>
public static class DistributedBatchBench
{
    private const string ApiKey = "bench-api-key";
    private static readonly string[] Services = ["Ingestion", "Features", "Scoring", "Notification"];

    public static async Task<BenchResult> RunAsync(int openDeals, string dataDirectory, string reportDirectory, TimeSpan timeout)
    {
        var seeded = Path.GetFullPath(dataDirectory);
        if (!File.Exists(Path.Combine(seeded, $"seeded-{openDeals}")))
            throw new InvalidOperationException($"{seeded} holds no seeded store of {openDeals} open deals: run seed-batch --deals {openDeals} --data {dataDirectory} first.");
        // The services run on a copy: a batch run on the seeded store itself would leave that day's scores in it, and
        // every later run on it would find them already written and skip the history's work.
        var data = DailyBatchBench.CopyForRun(seeded);

        var work = Path.Combine(Path.GetTempPath(), "dealrisk-bench-batch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var vhost = await broker.CreateVirtualHostAsync();
        var reports = new ReportObserver();
        var bus = await reports.StartAsync(broker, vhost);
        var services = new List<ServiceProcess>();
        try
        {
            foreach (var name in Services)
                services.Add(ServiceProcess.Start(name, RepositoryLayout.ServiceDll(name), work, Environment(broker, vhost, data, reportDirectory, work, name)));
            foreach (var service in services)
                await service.WaitUntilHealthyAsync(TimeSpan.FromMinutes(3));

            var cpuBefore = services.ToDictionary(service => service.Name, service => ProcessGauge.CpuSeconds(service.ProcessId));
            var clock = Stopwatch.StartNew();
            var batchId = await StartBatchAsync(services[0], ApiKey);
            var report = await reports.WaitAsync(batchId, timeout, () => string.Join("\n", services.Select(service => service.Describe())));
            var seconds = clock.Elapsed.TotalSeconds;

            var perProcess = services.ToDictionary(
                service => service.Name.ToLowerInvariant(),
                service => (object)new Dictionary<string, object>
                {
                    ["cpuSeconds"] = Math.Round(ProcessGauge.CpuSeconds(service.ProcessId) - cpuBefore[service.Name], 2),
                    ["peakWorkingSetMiB"] = Math.Round(ProcessGauge.PeakWorkingSetMiB(service.ProcessId)),
                });
            var loadAverage = BenchResult.LoadAverages();
            foreach (var service in services) service.Dispose();
            var hops = HopBreakdown.Measure(Path.Combine(work, "traces"), rootPath: "/batches");
            return Result(openDeals, report, await DailyBatchBench.OpenDealsInBatchAsync(data, batchId), seconds, perProcess, loadAverage, hops);
        }
        finally
        {
            foreach (var service in services) service.Dispose();
            await bus.StopAsync();
            await broker.DeleteVirtualHostAsync(vhost);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static Dictionary<string, string> Environment(RabbitMqBroker broker, string vhost, string data, string reportDirectory, string work, string service) => broker.ServiceSettings(vhost, new Dictionary<string, string>
    {
        ["Storage__DataDirectory"] = data,
        ["Reports__OutputDirectory"] = Path.GetFullPath(reportDirectory),
        ["Scoring__ModelDirectory"] = Path.Combine(work, "models"),
        ["Ingestion__ApiKey"] = ApiKey,
        ["Logging__LogLevel__Default"] = "Warning",
        ["OTEL_SERVICE_NAME"] = service.ToLowerInvariant(),
        ["DEALRISK_TRACE_FILE"] = Path.Combine(Directory.CreateDirectory(Path.Combine(work, "traces")).FullName, service.ToLowerInvariant() + ".jsonl"),
    });

    /// <summary>Starts the daily batch as of the benchmark's day through ingestion's <c>POST /batches</c>.</summary>
    internal static async Task<Guid> StartBatchAsync(ServiceProcess ingestion, string apiKey)
    {
        using var http = new HttpClient { BaseAddress = ingestion.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        using var response = await http.PostAsync($"batches?asOf={DailyBatchBench.AsOf:yyyy-MM-dd}", null);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /batches answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{ingestion.Describe()}");
        var started = await response.Content.ReadFromJsonAsync<BatchStarted>()
            ?? throw new InvalidOperationException("POST /batches answered without a body.");
        return started.BatchId;
    }

    private sealed record BatchStarted(Guid BatchId, DateOnly AsOf);

    private static BenchResult Result(
        int openDeals, DailyReportPublished report, int openDealsInBatch, double seconds, Dictionary<string, object> perProcess, string loadAverage,
        IReadOnlyList<Dictionary<string, object>> hops)
    {
        var summedPeak = perProcess.Values.Cast<Dictionary<string, object>>().Sum(process => (double)process["peakWorkingSetMiB"]);
        var summedCpu = perProcess.Values.Cast<Dictionary<string, object>>().Sum(process => (double)process["cpuSeconds"]);
        return new BenchResult
        {
            Name = "daily-batch-rabbitmq",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["transport"] = "RabbitMq, four service processes",
                ["openDealsRequested"] = openDeals,
                ["openDealsInBatch"] = openDealsInBatch,
                ["openDealsReported"] = report.OpenDeals,
                ["wallSeconds"] = Math.Round(seconds, 2),
                ["cpuSeconds"] = Math.Round(summedCpu, 2),
                ["dealsPerSecond"] = Math.Round(report.OpenDeals / seconds),
                ["peakWorkingSetMiB"] = Math.Round(summedPeak),
                ["processes"] = perProcess,
                ["highRiskDeals"] = report.HighRiskDeals,
                ["criticalDeals"] = report.CriticalDeals,
                ["scorers"] = DailyBatchBench.Scorers(report.ScoredBy),
                ["loadAverage"] = loadAverage,
                ["hops"] = hops,
            },
            Targets = new Dictionary<string, object> { ["wallSeconds"] = 30 },
            TargetsMet = DailyBatchBench.WholeBookByModel(report, openDealsInBatch, openDeals) && seconds <= 30,
        };
    }

    /// <summary>The benchmark's own queue on the services' virtual host, completing when a batch's report is announced.</summary>
    private sealed class ReportObserver
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, TaskCompletionSource<DailyReportPublished>> _reports = new();

        public async Task<IBusControl> StartAsync(RabbitMqBroker broker, string vhost)
        {
            var bus = await broker.StartObserverBusAsync(vhost, "bench-batch-observer", endpoint =>
            {
                endpoint.Handler<DailyReportPublished>(context =>
                {
                    Report(context.Message.BatchId).TrySetResult(context.Message);
                    return Task.CompletedTask;
                });
            });
            return bus;
        }

        public async Task<DailyReportPublished> WaitAsync(Guid batchId, TimeSpan timeout, Func<string> describeServices)
        {
            try
            {
                return await Report(batchId).Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"No report for batch {batchId} within {timeout.TotalMinutes:0} minutes.\n{describeServices()}");
            }
        }

        private TaskCompletionSource<DailyReportPublished> Report(Guid batchId) =>
            _reports.GetOrAdd(batchId, _ => new TaskCompletionSource<DailyReportPublished>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
