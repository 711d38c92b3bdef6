namespace DealRisk.Contracts;

/// <summary>
/// One deal's features as of a point in time. <see cref="Values"/> lines up with the message's
/// feature names; null means the feature could not be computed (missing data).
/// </summary>
public sealed record DealFeatureVector
{
    public required DealProfile Deal { get; init; }
    public required IReadOnlyList<double?> Values { get; init; }
}
