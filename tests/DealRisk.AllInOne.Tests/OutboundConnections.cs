using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace DealRisk.AllInOne.Tests;

/// <summary>
/// Every host name this process looks up and every HTTP request it starts, from the runtime's own networking
/// events: what the process tried to reach, whether or not anything answered.
/// </summary>
public sealed class OutboundConnections : EventListener
{
    private readonly ConcurrentQueue<string> _lookups = new();
    private readonly ConcurrentQueue<string> _requests = new();

    public IReadOnlyCollection<string> Lookups => _lookups;

    public IReadOnlyCollection<string> Requests => _requests;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name is "System.Net.NameResolution" or "System.Net.Http")
            EnableEvents(source, EventLevel.Informational, EventKeywords.All);
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (data.EventSource.Name == "System.Net.NameResolution" && data.EventName == "ResolutionStart")
            _lookups.Enqueue(Payload(data, "hostNameOrAddress"));
        else if (data.EventSource.Name == "System.Net.Http" && data.EventName == "RequestStart")
            _requests.Enqueue($"{Payload(data, "scheme")}://{Payload(data, "host")}:{Payload(data, "port")}");
    }

    private static string Payload(EventWrittenEventArgs data, string name)
    {
        var index = data.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 ? data.Payload?[index]?.ToString() ?? "" : "";
    }
}
