using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Appends each finished span to a file as one JSON line (trace id, span id, parent, name, service),
/// so a test or an operator without Jaeger can follow one trace across processes.
/// Only identifiers and span names are written: no tags, so no deal data leaves the process this way.
/// The file stays open, shared with readers (who skip a last line still being written), and is flushed after each batch.
/// </summary>
public sealed class JsonLinesSpanExporter : BaseExporter<Activity>
{
    private readonly string _serviceName;
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    public JsonLinesSpanExporter(string path, string serviceName)
    {
        _serviceName = serviceName;
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024);
        _json = new Utf8JsonWriter(_file);
    }

    /// <summary>Spans handed over in batches on the processor's own thread, so no request or consumer waits for the file.</summary>
    public static BatchActivityExportProcessor Processor(string path, string serviceName) =>
        new(new JsonLinesSpanExporter(path, serviceName), maxQueueSize: 65_536, scheduledDelayMilliseconds: 200, maxExportBatchSize: 4_096);

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            _json.Reset();
            _json.WriteStartObject();
            _json.WriteString("traceId", activity.TraceId.ToHexString());
            _json.WriteString("spanId", activity.SpanId.ToHexString());
            if (activity.ParentSpanId == default)
                _json.WriteNull("parentSpanId");
            else
                _json.WriteString("parentSpanId", activity.ParentSpanId.ToHexString());
            _json.WriteString("name", activity.DisplayName);
            _json.WriteString("kind", activity.Kind.ToString());
            _json.WriteString("service", _serviceName);
            _json.WriteString("start", activity.StartTimeUtc);
            _json.WriteNumber("durationMs", activity.Duration.TotalMilliseconds);
            _json.WriteEndObject();
            _json.Flush();
            _file.WriteByte((byte)'\n');
        }
        _file.Flush();
        return ExportResult.Success;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _json.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
