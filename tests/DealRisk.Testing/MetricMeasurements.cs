using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DealRisk.Testing;

public sealed record MetricMeasurement(double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.GetValueOrDefault(name) as string;
}

/// <summary>Every measurement one meter records while the test runs (other tests running alongside may add theirs).</summary>
public sealed class MetricMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<MetricMeasurement>> _byInstrument = new();

    public MetricMeasurements(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<MetricMeasurement> Of(string instrument) => _byInstrument.TryGetValue(instrument, out var queue) ? queue.ToList() : [];

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, object?>();
        foreach (var tag in tags)
            copied[tag.Key] = tag.Value;
        _byInstrument.GetOrAdd(instrument.Name, _ => new()).Enqueue(new MetricMeasurement(value, copied));
    }

    public void Dispose() => _listener.Dispose();
}
