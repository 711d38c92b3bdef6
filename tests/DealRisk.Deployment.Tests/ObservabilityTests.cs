using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DealRisk.Deployment.Tests;

/// <summary>Prometheus, Grafana and the OpenTelemetry Collector in docker-compose.yml, held to the services and the metrics the code defines.</summary>
public sealed class ObservabilityTests
{
    private static readonly string[] DashboardRows = ["Batch", "Real time", "Webhooks", "Outbox", "Model health"];

    [Fact]
    public void The_services_send_OTLP_to_a_collector_that_forwards_traces_to_Jaeger_and_has_metrics_and_logs_pipelines()
    {
        var collector = DockerComposeTests.Service("otel-collector");
        Assert.StartsWith("otel/opentelemetry-collector", collector["image"].Text);
        var config = Yaml.Load(Repository.PathOf(MountedFile(collector, "/etc/otelcol/config.yaml")));

        Assert.Equal("jaeger:4317", config["exporters"]["otlp/jaeger"]["endpoint"].Text);
        var pipelines = config["service"]["pipelines"];
        Assert.Contains("otlp/jaeger", pipelines["traces"]["exporters"].Items.Select(i => i.Text));
        foreach (var signal in new[] { "traces", "metrics", "logs" })
            Assert.Contains("otlp", pipelines[signal]["receivers"].Items.Select(i => i.Text));
        foreach (var (name, _) in DockerComposeTests.BuiltServices().Values)
            Assert.Equal("service_started", DockerComposeTests.Service(name)["depends_on"]["otel-collector"]["condition"].Text);
    }

    [Fact]
    public void Prometheus_scrapes_the_metrics_endpoint_of_every_service_compose_builds()
    {
        var prometheus = DockerComposeTests.Service("prometheus");
        Assert.StartsWith("prom/prometheus", prometheus["image"].Text);
        Assert.Contains("9090:9090", prometheus["ports"].Items.Select(p => p.Text));
        var config = Yaml.Load(Repository.PathOf(MountedFile(prometheus, "/etc/prometheus/prometheus.yml")));

        var job = Assert.Single(config["scrape_configs"].Items);
        Assert.Equal("/metrics", job["metrics_path"].Text);
        var targets = job["static_configs"].Items.SelectMany(c => c["targets"].Items.Select(t => t.Text)).ToHashSet();
        foreach (var (name, _) in DockerComposeTests.BuiltServices().Values)
            Assert.Contains($"{name}:8080", targets);
    }

    [Fact]
    public void Grafana_is_provisioned_with_Prometheus_and_a_dashboard_that_charts_every_DealRisk_metric()
    {
        var grafana = DockerComposeTests.Service("grafana");
        Assert.StartsWith("grafana/grafana", grafana["image"].Text);
        Assert.StartsWith("${GRAFANA_ADMIN_PASSWORD:?", grafana["environment"].AsEnvironment()["GF_SECURITY_ADMIN_PASSWORD"]);
        var provisioning = MountedFile(grafana, "/etc/grafana/provisioning");
        var datasource = Yaml.Load(Repository.PathOf($"{provisioning}/datasources/prometheus.yaml"))["datasources"].Items.Single();
        Assert.Equal("http://prometheus:9090", datasource["url"].Text);
        var provider = Yaml.Load(Repository.PathOf($"{provisioning}/dashboards/dealrisk.yaml"))["providers"].Items.Single();
        Assert.Equal("/var/lib/grafana/dashboards", provider["options"]["path"].Text);
        var dashboards = MountedFile(grafana, "/var/lib/grafana/dashboards");

        var dashboard = JsonNode.Parse(File.ReadAllText(Repository.PathOf($"{dashboards}/dealrisk.json")))!;
        var panels = dashboard["panels"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(DashboardRows, panels.Where(p => p["type"]!.GetValue<string>() == "row").Select(p => p["title"]!.GetValue<string>()));
        var expressions = string.Join("\n", panels.SelectMany(p => p["targets"]?.AsArray() ?? []).Select(t => t!["expr"]!.GetValue<string>()));
        Assert.All(panels.Where(p => p["type"]!.GetValue<string>() != "row"),
            p => Assert.Equal("prometheus", p["datasource"]!["uid"]!.GetValue<string>()));

        var defined = DefinedMetrics();
        Assert.Equal(11, defined.Count);
        foreach (var metric in defined)
            Assert.True(Regex.IsMatch(expressions, $@"\b{metric}(_bucket|_count|_sum)?\b"), $"The dashboard charts no {metric}.");
        foreach (Match used in Regex.Matches(expressions, @"\bdealrisk_[a-z_]+"))
            Assert.True(defined.Any(metric => Regex.IsMatch(used.Value, $"^{metric}(_bucket|_count|_sum)?$")), $"The dashboard queries {used.Value}, which no service exports.");
    }

    /// <summary>The Prometheus names of the instruments in DealRiskMetrics: counters gain _total, the unit "s" _seconds.</summary>
    private static List<string> DefinedMetrics()
    {
        var code = File.ReadAllText(Repository.PathOf("services/ServiceDefaults/DealRiskMetrics.cs"));
        return Regex.Matches(code, @"Meter\.Create(?<kind>Counter|Histogram|Gauge)<\w+>\(""(?<name>dealrisk_[a-z_]+)"", (?<unit>null|""[^""]*"")")
            .Select(m => m.Groups["name"].Value + (m.Groups["unit"].Value == "\"s\"" ? "_seconds" : "") + (m.Groups["kind"].Value == "Counter" ? "_total" : ""))
            .ToList();
    }

    /// <summary>The repository path a compose service mounts at <paramref name="target"/>.</summary>
    private static string MountedFile(Yaml service, string target)
    {
        var volume = service["volumes"].Items.Select(v => v.Text!).SingleOrDefault(v => v.Split(':')[1] == target);
        Assert.True(volume is not null, $"{service.Path} mounts nothing at {target}.");
        var source = volume!.Split(':')[0];
        Assert.StartsWith("./deploy/", source);
        Assert.True(Path.Exists(Repository.PathOf(source)), $"{source} does not exist.");
        return source[2..];
    }
}
