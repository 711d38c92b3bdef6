namespace DealRisk.Contracts;

/// <summary>Points at one version of a deal; the receiver already holds the deal's state from <see cref="DealSynced"/> or <see cref="DealChanged"/>.</summary>
public sealed record DealRef
{
    public required string Source { get; init; }
    public required string ExternalId { get; init; }
    public required long Version { get; init; }
}
