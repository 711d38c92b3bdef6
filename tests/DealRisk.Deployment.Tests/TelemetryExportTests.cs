using DealRisk.ServiceDefaults;

namespace DealRisk.Deployment.Tests;

public sealed class TelemetryExportTests
{
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("http://collector:4317", null, null, true)]
    [InlineData("http://jaeger:4317", "none", null, false)]
    [InlineData("http://jaeger:4317", "None ", null, false)]
    [InlineData("http://jaeger:4317", "none", "http://collector:4317", true)]
    [InlineData(null, null, "http://collector:4317", true)]
    public void Metrics_go_out_over_OTLP_only_to_an_endpoint_that_takes_them(string? endpoint, string? metricsExporter, string? metricsEndpoint, bool exported)
    {
        var configuration = KubernetesManifestTests.Configuration(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_METRICS_EXPORTER"] = metricsExporter,
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = metricsEndpoint,
        });

        Assert.Equal(exported, TelemetryExtensions.ExportsOtlpMetrics(configuration));
    }
}
