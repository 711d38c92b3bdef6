using System.Text.Json;
using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

public enum DealMergeOutcome
{
    Created,
    Updated,
    Unchanged,
}

/// <param name="FeatureChanges">What changed that can move a feature (<see cref="DealChangeKinds"/>): the deal is rescored when any did.</param>
/// <param name="Changes">The history entries this version added (empty for a new deal).</param>
public sealed record DealMergeResult(DealMergeOutcome Outcome, DealSnapshot Deal, string? PreviousStage, IReadOnlyList<string> FeatureChanges, IReadOnlyList<DealChange>? Changes = null)
{
    public bool StageChanged => Outcome == DealMergeOutcome.Updated && PreviousStage != Deal.Stage;
}

/// <summary>
/// Decides what a full snapshot from an export means against the stored deal: new, changed (next version),
/// or the same content again — which is what makes re-importing a file change nothing.
/// </summary>
public static class DealMerge
{
    private static readonly JsonSerializerOptions ContentJson = new(JsonSerializerDefaults.Web);

    public static DealMergeResult Apply(DealSnapshot? stored, DealSnapshot incoming, DateTimeOffset now)
    {
        var assessed = DataQuality.Assess(incoming);
        if (stored is null)
            return new DealMergeResult(DealMergeOutcome.Created, assessed with { Version = 1, UpdatedAt = now }, null, [DealChangeKinds.Created]);

        if (SameContent(stored, assessed))
            return new DealMergeResult(DealMergeOutcome.Unchanged, stored, stored.Stage, []);

        var updated = assessed with { Version = stored.Version + 1, UpdatedAt = now };
        return new DealMergeResult(DealMergeOutcome.Updated, updated, stored.Stage, FeatureChanges.Between(stored, updated), [.. updated.History.Except(stored.History)]);
    }

    public static bool SameContent(DealSnapshot a, DealSnapshot b) =>
        JsonSerializer.Serialize(Comparable(a), ContentJson) == JsonSerializer.Serialize(Comparable(b), ContentJson);

    private static DealSnapshot Comparable(DealSnapshot deal) => deal with { Version = 0, UpdatedAt = default };
}
