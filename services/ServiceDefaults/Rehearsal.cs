using OpenTelemetry;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Marks the work of a service's scratch copy (<see cref="ScratchService"/>) on its async flow: what it does is counted in
/// no metric and traced in no span, so an operator sees the warm-up of a start-up nowhere but in its log line.
/// The flag flows into the scratch bus's receive loops, which start while it is set.
/// </summary>
public static class Rehearsal
{
    private static readonly AsyncLocal<bool> Active = new();

    public static bool InProgress => Active.Value;

    /// <summary>Marks the rest of the calling async method, and the work it starts, as rehearsal.</summary>
    internal static IDisposable Begin()
    {
        Active.Value = true;
        return SuppressInstrumentationScope.Begin();
    }
}
