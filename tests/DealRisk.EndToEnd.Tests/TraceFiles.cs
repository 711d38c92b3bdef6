using System.Text.Json;

namespace DealRisk.EndToEnd.Tests;

/// <summary>A span as a service's DEALRISK_TRACE_FILE records it.</summary>
public sealed record SpanRecord(string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, string Service);

public static class TraceFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every complete line of the file so far; the service may be appending while this reads.</summary>
    public static IReadOnlyList<SpanRecord> Read(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var spans = new List<SpanRecord>();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<SpanRecord>(line, Json) is { } span)
                    spans.Add(span);
            }
            catch (JsonException)
            {
            }
        }
        return spans;
    }
}
