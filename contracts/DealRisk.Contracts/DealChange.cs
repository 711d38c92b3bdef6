using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>One time-stamped change of a tracked field; <see cref="DealFields"/> names the fields.</summary>
[MemoryPackable]
public sealed partial record DealChange
{
    public required DateTimeOffset At { get; init; }
    [PooledString]
    public required string Field { get; init; }
    [PooledString]
    public string? From { get; init; }
    [PooledString]
    public string? To { get; init; }
}
