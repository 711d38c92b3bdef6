using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DealRisk.Testing;

/// <summary>
/// Every log line a host writes (all levels, with its structured values) and every span it finishes, so a test can
/// look for what must never appear in either.
/// </summary>
public sealed class CapturedTelemetry : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _logs = new();

    /// <summary>Give this list to the in-memory exporter; read it through <see cref="FinishedSpans"/>.</summary>
    public List<Activity> Spans { get; } = [];

    /// <summary>A copy that tolerates the exporter adding to the list meanwhile.</summary>
    public IReadOnlyList<Activity> FinishedSpans() => Spans.ToArray().Where(span => span is not null).ToList();

    public IReadOnlyCollection<string> Logs => _logs;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _logs);

    public void Dispose()
    {
    }

    /// <summary>Fails naming the first log line or span attribute that contains <paramref name="secret"/>.</summary>
    public void AssertNowhere(string secret)
    {
        var leaking = _logs.Where(line => line.Contains(secret, StringComparison.Ordinal)).ToList();
        Assert.True(leaking.Count == 0, $"{leaking.Count} log line(s) hold the secret, the first: {leaking.FirstOrDefault()}");
        foreach (var span in FinishedSpans())
        {
            Assert.DoesNotContain(secret, span.DisplayName, StringComparison.Ordinal);
            foreach (var tag in span.TagObjects)
                Assert.False(tag.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) ?? false, $"Span '{span.DisplayName}' carries the secret in {tag.Key}.");
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(pair => $"{pair.Key}={pair.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
