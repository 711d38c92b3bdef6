using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Appends each finished span to a file as one JSON line (trace id, span id, parent, name, service),
/// so a test or an operator without Jaeger can follow one trace across processes.
/// Only identifiers and span names are written: no tags, so no deal data leaves the process this way.
/// </summary>
public sealed class JsonLinesSpanExporter(string path, string serviceName) : BaseExporter<Activity>
{
    private readonly Lock _gate = new();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        using var buffer = new StringWriter();
        foreach (var activity in batch)
        {
            buffer.WriteLine(JsonSerializer.Serialize(new
            {
                traceId = activity.TraceId.ToHexString(),
                spanId = activity.SpanId.ToHexString(),
                parentSpanId = activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
                name = activity.DisplayName,
                kind = activity.Kind.ToString(),
                service = serviceName,
                start = activity.StartTimeUtc,
                durationMs = activity.Duration.TotalMilliseconds,
            }));
        }

        lock (_gate)
            File.AppendAllText(path, buffer.ToString());
        return ExportResult.Success;
    }
}
