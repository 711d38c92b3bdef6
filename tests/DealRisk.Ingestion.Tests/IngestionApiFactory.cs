using DealRisk.Ingestion;
using DealRisk.ServiceDefaults;
using DealRisk.Storage;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using DealRisk.Testing;

namespace DealRisk.Ingestion.Tests;

/// <summary>
/// The ingestion service in memory: its own SQLite files in a temporary directory, and MassTransit's test harness in
/// place of the configured bus so every publish is observed; the service's consumers stay registered.
/// </summary>
public sealed class IngestionApiFactory : WebApplicationFactory<DealRisk.Ingestion.Program>
{
    public const string ApiKey = "test-key-4f1c";
    public const string HubSpotSecret = "hubspot-test-secret-9a2e";
    public const string HubSpotCustomStageId = "1234567";
    public const string SalesforceOrganizationId = "00D5e000000TestAAA";
    public const string SalesforceEndpointToken = "sf-endpoint-token-7c41d0e2b9a8";
    public const string SalesforceWebhookPath = "/webhooks/salesforce/" + SalesforceEndpointToken;

    private readonly TempDirectory _data = new();
    private IHost? _host;

    /// <summary>Without the warm-up: the service stays cold until a test marks it warm (<see cref="WarmUpState.MarkWarm"/>).</summary>
    public bool Cold { get; init; }

    /// <summary>On RabbitMQ at a port nobody listens on, instead of the test harness: the broker is unreachable.</summary>
    public bool BrokerUnreachable { get; init; }

    /// <summary>The ingestion store, wrapped so a test can make writes to one collection fail.</summary>
    public FaultyDocumentStore? Faults { get; private set; }

    /// <summary>
    /// Scoring's score history and its responder on the test bus, as the API reads the history from scoring (on unless
    /// a test needs scoring not to answer).
    /// </summary>
    public bool ScoringAnswers { get; init; } = true;

    /// <summary>How long the API waits for scoring's answer (<c>ScoreHistory:RequestTimeout</c>).</summary>
    public TimeSpan ScoreHistoryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The configured mappings folder (Ingestion:MappingsDirectory), empty at start.</summary>
    public string MappingsDirectory => Path.Combine(_data.Path, "mappings");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Bus:Transport", "InMemory");
        builder.UseSetting("Storage:Provider", "Embedded");
        builder.UseSetting("Storage:DataDirectory", _data.Path);
        builder.UseSetting("Ingestion:ApiKey", ApiKey);
        Directory.CreateDirectory(MappingsDirectory);
        builder.UseSetting("Ingestion:MappingsDirectory", MappingsDirectory);
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        builder.UseSetting("ScoreHistory:RequestTimeout", ScoreHistoryTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Crm:HubSpot:ClientSecret", HubSpotSecret);
        builder.UseSetting($"Crm:HubSpot:Stages:{HubSpotCustomStageId}", "Proposal");
        builder.UseSetting("Crm:Salesforce:OrganizationIds:0", SalesforceOrganizationId);
        builder.UseSetting("Crm:Salesforce:EndpointToken", SalesforceEndpointToken);
        // The harness's lists stop waiting for good once the bus has been idle for the inactivity timeout; a slow
        // request on a busy machine must not count as idle.
        if (BrokerUnreachable)
        {
            builder.UseSetting("Bus:Transport", "RabbitMq");
            builder.UseSetting("Bus:RabbitMq:Port", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddKeyedSingleton<IDocumentStore>(IngestionServiceExtensions.ServiceName, (_, _) =>
                Faults = new FaultyDocumentStore(new SqliteDocumentStore(Path.Combine(_data.Path, IngestionServiceExtensions.ServiceName + ".db"))));
            if (ScoringAnswers)
                services.AddScoringHistory(_data.Path);
            if (!BrokerUnreachable)
                services.AddMassTransitTestHarness(bus =>
                {
                    if (ScoringAnswers)
                        bus.AddScoringHistoryResponder();
                    bus.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(30));
                });
            if (Cold)
                foreach (var warmUp in services.Where(descriptor => descriptor.ImplementationType == typeof(BusWarmUp)).ToList())
                    services.Remove(warmUp);
        });
    }

    /// <summary>Returns once the service is warm, as a load balancer would only route to it then.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        _host = host;
        if (!Cold && !BrokerUnreachable)
            host.Services.GetRequiredService<WarmUpState>().WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        return host;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>
    /// MassTransit 8.5's <c>ReceiveEndpoint.Stop</c> can throw a <see cref="NullReferenceException"/> when the test host
    /// stops a moment after a short test (twice in full parallel test runs on 2026-12-06, never in five runs of the
    /// ingestion tests alone); the test's own assertions have passed by then. Only that failure is tolerated, and what
    /// the interrupted disposal skipped (the host, the test's files) is disposed here.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (NullReferenceException e) when (e.StackTrace?.Contains("MassTransit.Transports.ReceiveEndpoint.Stop", StringComparison.Ordinal) == true)
        {
            _host?.Dispose();
            _data.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _data.Dispose();
    }
}
