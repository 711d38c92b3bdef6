using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>One time-stamped change of a tracked field; <see cref="DealFields"/> names the fields.</summary>
[MemoryPackable]
public sealed partial record DealChange
{
    public required DateTimeOffset At { get; init; }
    public required string Field { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
}
