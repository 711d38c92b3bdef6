using System.Net;
using System.Net.Sockets;
using DealRisk.Ingestion.Imports;
using DealRisk.SyntheticCrm;
using DealRisk.Contracts.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.AllInOne.Tests;

[Collection(ImportingCollection.Name)]
public sealed class OutboundConnectionTests
{
    [Fact]
    public async Task The_host_leaves_MassTransit_usage_telemetry_off()
    {
        await using var run = await EmbeddedRun.StartAsync("telemetry");

        Assert.False(run.Host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public async Task Started_and_at_work_the_host_reaches_only_its_configured_Slack_and_OTLP_endpoints()
    {
        using var slack = Listening();
        using var otlp = Listening();
        using var network = new OutboundConnections();
        var settings = new Dictionary<string, string?>
        {
            ["Slack:WebhookUrl"] = $"http://127.0.0.1:{Port(slack)}/services/T0/B0/x",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{Port(otlp)}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };

        await using (var run = await EmbeddedRun.StartAsync("outbound", settings))
        {
            var sample = Path.Combine(run.Root, "sample.jsonl");
            await using (var stream = File.Create(sample))
                await DealJsonLines.WriteAsync(SyntheticCrmGenerator.Generate(new SyntheticCrmOptions { Seed = 7, DealCount = 200, AsOf = new DateOnly(2025, 6, 30) }), stream);
            await run.ImportAsync(sample, DealJsonLinesFormat.FormatName);
            await run.RunBatchAsync(new DateOnly(2025, 6, 30));
            await Task.Delay(TimeSpan.FromSeconds(6));
        }

        Assert.Contains(network.Requests, request => request == $"http://127.0.0.1:{Port(slack)}");
        Assert.All(network.Lookups, name => Assert.Contains(name, new[] { "localhost", "127.0.0.1", Dns.GetHostName() }));
        Assert.All(network.Requests, request => Assert.Contains(request, new[] { $"http://127.0.0.1:{Port(slack)}", $"http://127.0.0.1:{Port(otlp)}" }));
    }

    private static TcpListener Listening()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
