using System.Net;
using System.Net.Sockets;
using DealRisk.Features;
using DealRisk.Ingestion;
using DealRisk.Notification;
using DealRisk.Notification.Dashboard;
using DealRisk.Scoring;
using DealRisk.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.AllInOne.Tests;

/// <summary>The four service hosts, each wired as its Program.cs wires it, reach nothing they were not configured to.</summary>
[Collection(ImportingCollection.Name)]
public sealed class ServiceHostOutboundConnectionTests
{
    [Fact]
    public async Task Started_and_warmed_up_each_service_host_reaches_only_its_configured_Slack_and_OTLP_endpoints()
    {
        using var slack = Listening();
        using var otlp = Listening();
        var root = Path.Combine(Path.GetTempPath(), "dealrisk-allinone-tests", $"service-hosts-{Guid.NewGuid():N}");
        using var network = new OutboundConnections();
        var hosts = new[] { "ingestion", "features", "scoring", "notification" }
            .Select(service => Build(service, new Dictionary<string, string?>
            {
                ["Bus:Transport"] = "InMemory",
                ["Storage:Provider"] = "Embedded",
                ["Storage:DataDirectory"] = Path.Combine(root, service, "data"),
                ["Reports:OutputDirectory"] = Path.Combine(root, service, "results"),
                ["Scoring:ModelDirectory"] = Path.Combine(root, service, "results", "models"),
                ["Ingestion:ApiKey"] = "outbound-test-key",
                ["Slack:WebhookUrl"] = $"http://127.0.0.1:{Port(slack)}/services/T0/B0/x",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{Port(otlp)}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["Logging:LogLevel:Default"] = "Warning",
            }))
            .ToList();
        var ownListeners = new List<string>();
        try
        {
            await Task.WhenAll(hosts.Select(host => host.StartAsync()));
            ownListeners.AddRange(hosts.SelectMany(host => host.Urls).Select(url => url.TrimEnd('/')));
            await Task.WhenAll(hosts.Select(host => host.Services.GetRequiredService<WarmUpState>().WaitAsync(TimeSpan.FromMinutes(2))));
            await Task.Delay(TimeSpan.FromSeconds(6));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                await host.DisposeAsync();
            }
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }

        Assert.All(network.Lookups, name => Assert.Contains(name, new[] { "localhost", "127.0.0.1", Dns.GetHostName() }));
        // A host's requests to its own listener (ingestion's webhooks sent to itself while it warms up) never leave it.
        Assert.All(network.Requests, request => Assert.Contains(request, (string[])[$"http://127.0.0.1:{Port(slack)}", $"http://127.0.0.1:{Port(otlp)}", .. ownListeners]));
        Assert.Contains(network.Requests, request => request == $"http://127.0.0.1:{Port(otlp)}");
    }

    private static WebApplication Build(string service, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        switch (service)
        {
            case "ingestion":
                builder.AddIngestionService();
                builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddIngestionConsumers());
                break;
            case "features":
                builder.AddFeaturesService();
                builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddFeaturesConsumers());
                break;
            case "scoring":
                builder.AddScoringService();
                builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddScoringConsumers());
                break;
            default:
                builder.AddNotificationService();
                builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddNotificationConsumers());
                break;
        }
        var app = builder.Build();
        app.MapDefaultEndpoints();
        if (service == "ingestion")
            app.MapIngestionEndpoints();
        if (service == "notification")
            app.MapDashboard();
        return app;
    }

    private static TcpListener Listening()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
