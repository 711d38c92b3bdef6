using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

/// <summary>A stored change as it is announced: rescored now when it moved a feature (<paramref name="FeatureChanges"/>).</summary>
internal sealed record AnnouncedChange(DealSnapshot Deal, IReadOnlyList<string> FeatureChanges, IReadOnlyList<DealChange> Changes);
