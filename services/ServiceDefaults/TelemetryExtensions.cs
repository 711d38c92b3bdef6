using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DealRisk.ServiceDefaults;

public static class TelemetryExtensions
{
    /// <summary>Environment variable naming a file that receives every finished span as a JSON line (tests, debugging).</summary>
    public const string TraceFileVariable = "DEALRISK_TRACE_FILE";

    public static IHostApplicationBuilder ConfigureDealRiskTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var otlpEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var traceFile = builder.Configuration[TraceFileVariable];

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddProcessor(new UrlRedactingProcessor())
                    .AddSource(DealRiskTelemetry.SourceName)
                    .AddSource(DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation(options =>
                        options.Filter = context => !context.Request.Path.StartsWithSegments("/health")
                                                    && !context.Request.Path.StartsWithSegments("/alive"))
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlpEndpoint))
                    tracing.AddOtlpExporter();
                if (!string.IsNullOrWhiteSpace(traceFile))
                    tracing.AddProcessor(new SimpleActivityExportProcessor(new JsonLinesSpanExporter(traceFile, serviceName)));
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(InstrumentationOptions.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlpEndpoint))
                    metrics.AddOtlpExporter();
            });
        return builder;
    }
}
