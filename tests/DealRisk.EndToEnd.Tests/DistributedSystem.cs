using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace DealRisk.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class DistributedSystemCollection : ICollectionFixture<DistributedSystem>
{
    public const string Name = "Four services on RabbitMQ";
}

/// <summary>What ingestion answers to an import (the fields the tests read).</summary>
public sealed record ImportResponse(Guid Id, string Status, long Rows, long Created, long Updated, long Unchanged, long Rejected, Guid? BatchId);

/// <summary>
/// Ingestion, features, scoring and notification as four processes from their build output, on a fresh virtual host
/// of a real RabbitMQ, each with its own embedded store (or, where DEALRISK_MONGODB_URL is set, its own database of this
/// run on that MongoDB) and trace file under one temp directory; and the test's own
/// bus observing what they publish. Everything it started is stopped on dispose, also when start-up failed.
/// With several replicas per service, the replicas of a service share its store (one SQLite file), as they would
/// share a MongoDB database.
/// </summary>
public class DistributedSystem : IAsyncLifetime
{
    /// <summary>Set to 1 to keep the stores, trace files and reports of a run for a look after it.</summary>
    public const string KeepFilesVariable = "DEALRISK_E2E_KEEP_FILES";

    public static readonly string[] Services = ["Ingestion", "Features", "Scoring", "Notification"];

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _apiKey = "e2e-" + Guid.NewGuid().ToString("N");
    private readonly List<ServiceProcess> _processes = [];
    private readonly ConcurrentDictionary<string, ExportDeal> _imported = new();
    private RabbitMqBroker? _broker;
    private string? _virtualHost;
    private HttpClient? _ingestion;
    private BusObserver? _observer;
    private readonly int _replicas;
    private readonly Dictionary<string, string> _settings;

    public DistributedSystem() : this(1, new Dictionary<string, string>())
    {
    }

    /// <param name="settings">Settings every service gets beside the defaults.</param>
    protected DistributedSystem(int replicas, IReadOnlyDictionary<string, string> settings)
    {
        _replicas = replicas;
        _settings = new Dictionary<string, string>(settings);
    }

    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "dealrisk-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    public string ReportsDirectory => Path.Combine(WorkDirectory, "results");

    public BusObserver Observer => _observer ?? throw new InvalidOperationException("The system is not started.");

    /// <summary>Every deal ingestion holds, as the test knows it from what it posted: the store's contents, whatever ran before.</summary>
    public IReadOnlyCollection<ExportDeal> ImportedDeals => _imported.Values.ToList();

    public string TraceFile(string service) => Path.Combine(WorkDirectory, $"{service.ToLowerInvariant()}.spans.jsonl");

    public virtual async Task InitializeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit += StopProcesses;
        try
        {
            _broker = await RabbitMqBroker.ConnectAsync();
            _virtualHost = await _broker.CreateVirtualHostAsync();
            Directory.CreateDirectory(WorkDirectory);

            foreach (var service in Services)
                for (var replica = 1; replica <= _replicas; replica++)
                    _processes.Add(StartService(service, replica));
            await Task.WhenAll(_processes.Select(p => p.WaitUntilHealthyAsync(StartupTimeout * _replicas)));

            _observer = await BusObserver.StartAsync(_broker, _virtualHost);
            var ingestion = _processes.Single(p => p.Name == ReplicaName("Ingestion", 1));
            _ingestion = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
            {
                BaseAddress = ingestion.BaseAddress,
                Timeout = TimeSpan.FromMinutes(2),
            };
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Posts an export to ingestion as a caller inside the given trace would, and records the deals it now holds.</summary>
    public async Task<ImportResponse> ImportAsync(SkyGeniExport export, DateOnly? asOf, bool runBatch, string? traceParent = null)
    {
        var query = new StringBuilder("imports?format=skygeni");
        if (asOf is { } date) query.Append($"&asOf={date:yyyy-MM-dd}");
        if (runBatch) query.Append("&runBatch=true");

        using var request = new HttpRequestMessage(HttpMethod.Post, query.ToString())
        {
            Content = new StringContent(export.Csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Add("X-Api-Key", _apiKey);
        if (traceParent is not null)
            request.Headers.Add("traceparent", traceParent);

        using var response = await (_ingestion ?? throw new InvalidOperationException("The system is not started.")).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /{query} answered {(int)response.StatusCode}: {body}\n{Diagnostics()}");

        foreach (var deal in export.Deals)
            _imported[deal.Id] = deal;
        return JsonSerializer.Deserialize<ImportResponse>(body, Json)
               ?? throw new InvalidOperationException($"POST /{query} answered no import result: {body}");
    }

    /// <summary>A setting every service gets, for a subclass whose settings are known only once its fakes started.</summary>
    protected void Set(string key, string value) => _settings[key] = value;

    /// <summary>Kills one replica at once, as <c>kill -9</c> would: no shutdown, no acknowledgement of what it holds.</summary>
    public void Kill(string service, int replica) => _processes.Single(p => p.Name == ReplicaName(service, replica)).Dispose();

    private static string ReplicaName(string service, int replica) => replica == 1 ? service : $"{service}-{replica}";

    /// <summary>Every process's recent output, for failure messages.</summary>
    public string Diagnostics() =>
        $"Virtual host {_virtualHost}, files under {WorkDirectory} (kept when {KeepFilesVariable}=1).\n" + string.Join("\n", _processes.Select(p => p.Describe()));

    public virtual async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopProcesses;
        if (_observer is not null)
        {
            await _observer.DisposeAsync();
            _observer = null;
        }
        _ingestion?.Dispose();
        StopProcesses(null, EventArgs.Empty);
        if (MongoDbUrl is { } url)
        {
            using var client = new MongoDB.Driver.MongoClient(url);
            foreach (var service in Services)
                await client.DropDatabaseAsync($"{_databasePrefix}-{service.ToLowerInvariant()}");
        }
        if (_broker is not null)
        {
            if (_virtualHost is not null)
            {
                try
                {
                    await _broker.DeleteVirtualHostAsync(_virtualHost);
                }
                catch (Exception e)
                {
                    Trace.TraceWarning($"Virtual host {_virtualHost} was left behind: {e.Message}");
                }
            }
            await _broker.DisposeAsync();
            _broker = null;
        }
        try
        {
            if (Environment.GetEnvironmentVariable(KeepFilesVariable) is not "1")
                Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ServiceProcess StartService(string service, int replica)
    {
        var name = service.ToLowerInvariant();
        var directory = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(directory);
        var broker = _broker!;
        var settings = broker.ServiceSettings(_virtualHost!, new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = name,
            ["DEALRISK_TRACE_FILE"] = replica == 1 ? TraceFile(service) : Path.Combine(WorkDirectory, $"{name}-{replica}.spans.jsonl"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Storage__Provider"] = "Embedded",
            ["Storage__DataDirectory"] = Path.Combine(directory, "data"),
            ["Ingestion__ApiKey"] = _apiKey,
            ["Reports__OutputDirectory"] = ReportsDirectory,
            // As docker-compose.yml passes it when the user has no webhook: empty means none.
            ["SLACK_WEBHOOK_URL"] = "",
        });
        if (MongoDbUrl is { } url)
        {
            settings["Storage__Provider"] = "MongoDb";
            settings["DEALRISK_MONGODB_URL"] = url;
            settings["Storage__DatabasePrefix"] = _databasePrefix;
        }
        foreach (var (key, value) in _settings)
            settings[key] = value;
        return ServiceProcess.Start(ReplicaName(service, replica), RepositoryLayout.ServiceDll(service), directory, settings);
    }

    /// <summary>Where DEALRISK_MONGODB_URL names a MongoDB (a replica set), the services store there, in databases of this run.</summary>
    private static string? MongoDbUrl => Environment.GetEnvironmentVariable("DEALRISK_MONGODB_URL") is { Length: > 0 } url ? url : null;

    private readonly string _databasePrefix = "dealrisk-e2e-" + Guid.NewGuid().ToString("N")[..12];

    private void StopProcesses(object? sender, EventArgs e)
    {
        foreach (var process in _processes)
            process.Dispose();
    }
}
