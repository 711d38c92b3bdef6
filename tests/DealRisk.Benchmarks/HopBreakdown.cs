using System.Text.Json;
using static DealRisk.Benchmarks.NearestRank;

namespace DealRisk.Benchmarks;

/// <summary>
/// Where a webhook's time goes, from the spans every service wrote to its trace file: for each consumer span, the wait
/// from the start of the span that sent its message (transport and queue) and its own duration; for the webhook, the
/// request; the wait's p99 also per ten seconds of the run, to tell a hop that lags after start-up from one that lags
/// throughout. Only traces that began with a request to <c>rootPath</c> (a HubSpot webhook unless told otherwise) count.
/// A last row (kind <c>Path</c>) times each webhook inside the services, from the request's start to the start of the
/// last <c>DealScored</c> it led to: what the services take of a change's latency, the rest being the client's and the
/// observer's side of the broker.
/// </summary>
public static class HopBreakdown
{
    private sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, string Service, DateTime Start, double DurationMs);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="since">Only traces whose root request started then or later (UTC) count: a warm-up before it is left out.</param>
    public static IReadOnlyList<Dictionary<string, object>> Measure(string traceDirectory, DateTime since = default, string rootPath = "/webhooks/hubspot")
    {
        var spans = Directory.Exists(traceDirectory) ? Directory.GetFiles(traceDirectory, "*.jsonl").SelectMany(Read).ToList() : [];
        var webhookTraces = spans.Where(span => span.Kind == "Server" && span.Name.Contains(rootPath, StringComparison.Ordinal) && span.Start >= since)
            .Select(span => span.TraceId).ToHashSet();
        var from = since != default ? since : spans.Select(span => span.Start).DefaultIfEmpty().Min();
        var byId = spans.Where(span => webhookTraces.Contains(span.TraceId)).GroupBy(span => span.SpanId).ToDictionary(group => group.Key, group => group.First());

        var hops = byId.Values
            .Where(span => span.Kind is "Server" or "Consumer" or "Producer" or "Internal" || span.ParentSpanId is null)
            .GroupBy(span => (span.Service, span.Kind, span.Name))
            .Select(group =>
            {
                var timed = group
                    .Select(span => (span.Start, Wait: span.ParentSpanId is { } parent && byId.TryGetValue(parent, out var sender) && sender.Service != span.Service
                        ? (span.Start - sender.Start).TotalMilliseconds
                        : double.NaN))
                    .Where(span => !double.IsNaN(span.Wait))
                    .ToList();
                var waits = timed.Select(span => span.Wait).ToList();
                var durations = group.Select(span => span.DurationMs).ToList();
                return new Dictionary<string, object>
                {
                    ["service"] = group.Key.Service,
                    ["kind"] = group.Key.Kind,
                    ["span"] = group.Key.Name,
                    ["count"] = group.Count(),
                    ["sinceSenderStartP50Ms"] = Round(Percentile(waits, 0.50)),
                    ["sinceSenderStartP99Ms"] = Round(Percentile(waits, 0.99)),
                    ["sinceSenderStartP99ByTenSecondsMs"] = P99ByTenSeconds(timed, from),
                    ["durationP50Ms"] = Round(Percentile(durations, 0.50)),
                    ["durationP99Ms"] = Round(Percentile(durations, 0.99)),
                };
            })
            .OrderBy(row => Order((string)row["service"]))
            .ThenBy(row => (double)row["sinceSenderStartP50Ms"] is var wait && double.IsNaN(wait) ? -1 : wait)
            .ToList();
        hops.Add(ServicesPath(byId.Values, rootPath, from));
        return hops;
    }

    private static Dictionary<string, object> ServicesPath(IEnumerable<Span> spans, string rootPath, DateTime from)
    {
        var paths = spans.GroupBy(span => span.TraceId)
            .Select(trace => (
                Request: trace.FirstOrDefault(span => span.Kind == "Server" && span.Name.Contains(rootPath, StringComparison.Ordinal)),
                Scored: trace.Where(span => span.Kind == "Producer" && span.Name.EndsWith(":DealScored send", StringComparison.Ordinal)).Select(span => span.Start).DefaultIfEmpty().Max()))
            .Where(trace => trace.Request is not null && trace.Scored != default)
            .Select(trace => (trace.Request!.Start, Wait: (trace.Scored - trace.Request.Start).TotalMilliseconds))
            .ToList();
        var sorted = paths.Select(path => path.Wait).Order().ToList();
        var (p50, p99) = (Round(OfSorted(sorted, 0.50)), Round(OfSorted(sorted, 0.99)));
        return new Dictionary<string, object>
        {
            ["service"] = "ingestion to scoring",
            ["kind"] = "Path",
            ["span"] = "webhook request start to DealScored send start",
            ["count"] = paths.Count,
            ["sinceSenderStartP50Ms"] = p50,
            ["sinceSenderStartP99Ms"] = p99,
            ["sinceSenderStartP99ByTenSecondsMs"] = P99ByTenSeconds(paths, from),
            ["durationP50Ms"] = p50,
            ["durationP99Ms"] = p99,
        };
    }

    /// <summary>The p99 of the waits started in each ten seconds from <paramref name="from"/>, in order.</summary>
    private static List<double> P99ByTenSeconds(IEnumerable<(DateTime Start, double Wait)> waits, DateTime from) =>
        waits.GroupBy(wait => (int)Math.Max(0, (wait.Start - from).TotalSeconds / 10)).OrderBy(window => window.Key)
            .Select(window => Round(Percentile([.. window.Select(wait => wait.Wait)], 0.99))).ToList();

    private static int Order(string service) => Array.IndexOf(["ingestion", "features", "scoring", "notification"], service);

    private static double Round(double value) => double.IsNaN(value) ? double.NaN : Math.Round(value, 2);

    private static IEnumerable<Span> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            Span? span = null;
            try
            {
                span = JsonSerializer.Deserialize<Span>(line, Json);
            }
            catch (JsonException)
            {
            }
            if (span is not null) yield return span;
        }
    }
}
