using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

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
        builder.UseSetting("Crm:HubSpot:ClientSecret", HubSpotSecret);
        builder.UseSetting($"Crm:HubSpot:Stages:{HubSpotCustomStageId}", "Proposal");
        builder.UseSetting("Crm:Salesforce:OrganizationIds:0", SalesforceOrganizationId);
        builder.UseSetting("Crm:Salesforce:EndpointToken", SalesforceEndpointToken);
        // The harness's lists stop waiting for good once the bus has been idle for the inactivity timeout; a slow
        // request on a busy machine must not count as idle.
        builder.ConfigureTestServices(services =>
            services.AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(30))));
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _data.Dispose();
    }
}
