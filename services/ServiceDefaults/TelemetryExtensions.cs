using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
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
                                                    && !context.Request.Path.StartsWithSegments("/alive")
                                                    && !context.Request.Path.StartsWithSegments(DealRiskMetrics.ScrapePath)
                                                    && context.RequestServices.GetService<SelfRequests>()?.IsSelfRequest(context.Request) != true)
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlpEndpoint))
                    tracing.AddOtlpExporter();
                if (!string.IsNullOrWhiteSpace(traceFile))
                    tracing.AddProcessor(JsonLinesSpanExporter.Processor(traceFile, serviceName));
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(InstrumentationOptions.MeterName)
                    .AddMeter(DealRiskMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (ExportsOtlpMetrics(builder.Configuration))
                    metrics.AddOtlpExporter();
            })
            .WithLogging(logging =>
            {
                if (ExportsOtlpLogs(builder.Configuration))
                    logging.AddOtlpExporter();
            }, options =>
            {
                // Trace and span ids travel with every record; the formatted message, scopes and state carry only what
                // the message templates name, which never includes secrets or CRM personal data.
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });
        return builder;
    }

    /// <summary>
    /// Metrics go to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT when it is set, else to OTEL_EXPORTER_OTLP_ENDPOINT unless
    /// OTEL_METRICS_EXPORTER is "none": the deployments send traces to Jaeger, which accepts no metrics.
    /// </summary>
    public static bool ExportsOtlpMetrics(IConfiguration configuration) =>
        ExportsOtlp(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_METRICS_EXPORTER");

    /// <summary>Whether logs go over OTLP: an endpoint is set and <c>OTEL_LOGS_EXPORTER</c> is not <c>none</c> (Jaeger takes no logs).</summary>
    public static bool ExportsOtlpLogs(IConfiguration configuration) =>
        ExportsOtlp(configuration, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "OTEL_LOGS_EXPORTER");

    private static bool ExportsOtlp(IConfiguration configuration, string signalEndpoint, string signalExporter)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration[signalEndpoint]))
            return true;
        return !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
               && !string.Equals(configuration[signalExporter]?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
    }
}
