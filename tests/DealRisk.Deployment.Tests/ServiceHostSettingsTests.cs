using System.Diagnostics;
using System.Text.Json;
using DealRisk.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace DealRisk.Deployment.Tests;

public sealed class ServiceHostSettingsTests
{
    [Fact]
    public void A_web_host_is_rooted_in_the_application_directory_and_watches_no_settings_file()
    {
        var builder = WebApplication.CreateBuilder(ServiceHostSettings.Web([]));

        Assert.Equal(Normalized(AppContext.BaseDirectory), Normalized(builder.Environment.ContentRootPath));
        AssertNothingReloads(builder.Configuration);
    }

    [Fact]
    public void A_job_host_is_rooted_in_the_application_directory_and_watches_no_settings_file()
    {
        var builder = Host.CreateApplicationBuilder(ServiceHostSettings.Job([], "dealrisk"));

        Assert.Equal(Normalized(AppContext.BaseDirectory), Normalized(builder.Environment.ContentRootPath));
        AssertNothingReloads(builder.Configuration);
    }

    [Fact]
    public void The_default_builder_would_watch_its_settings_files()
    {
        // The check above can fail: without the settings, the default host reloads appsettings.json on change.
        var builder = WebApplication.CreateBuilder([]);

        Assert.Contains(((IConfigurationRoot)builder.Configuration).Providers.OfType<FileConfigurationProvider>(), provider => provider.Source.ReloadOnChange);
    }

    [Fact]
    public void Every_service_builds_its_host_with_the_shared_settings()
    {
        foreach (var service in Repository.DeployableServices())
            Assert.Contains("ServiceHostSettings.Web(args)", File.ReadAllText(Repository.PathOf($"services/{service}/Program.cs")), StringComparison.Ordinal);
        Assert.Contains("ServiceHostSettings.", File.ReadAllText(Repository.PathOf("services/AllInOne/EmbeddedHost.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_span_file_gets_one_json_line_per_span_from_its_batch_processor()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dealrisk-spans-{Guid.NewGuid():N}.jsonl");
        var sourceName = $"dealrisk-span-file-test-{Guid.NewGuid():N}";
        try
        {
            using var source = new ActivitySource(sourceName);
            string traceId, parentId;
            using (var provider = Sdk.CreateTracerProviderBuilder()
                       .AddSource(sourceName)
                       .AddProcessor(JsonLinesSpanExporter.Processor(path, "scoring"))
                       .Build())
            {
                using (var parent = source.StartActivity("score-deals receive", ActivityKind.Consumer)!)
                {
                    traceId = parent.TraceId.ToHexString();
                    parentId = parent.SpanId.ToHexString();
                    using var child = source.StartActivity("DealScored send", ActivityKind.Producer)!;
                }
                Assert.True(provider.ForceFlush(10_000));

                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(2, lines.Length);
                var spans = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
                var producer = spans.Single(span => span.GetProperty("name").GetString() == "DealScored send");
                var consumer = spans.Single(span => span.GetProperty("name").GetString() == "score-deals receive");
                Assert.Equal(traceId, producer.GetProperty("traceId").GetString());
                Assert.Equal(parentId, producer.GetProperty("parentSpanId").GetString());
                Assert.Equal(JsonValueKind.Null, consumer.GetProperty("parentSpanId").ValueKind);
                Assert.Equal("Producer", producer.GetProperty("kind").GetString());
                Assert.Equal("scoring", producer.GetProperty("service").GetString());
                Assert.True(producer.GetProperty("durationMs").GetDouble() >= 0);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertNothingReloads(IConfiguration configuration) =>
        Assert.DoesNotContain(((IConfigurationRoot)configuration).Providers.OfType<FileConfigurationProvider>(), provider => provider.Source.ReloadOnChange);

    private static string Normalized(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
}
