namespace DealRisk.Contracts;

/// <summary>
/// Point-in-time features for one deal, or for the deals of one CRM delivery (real-time path). The daily batch travels as <see cref="FeatureChunkComputed"/>;
/// scoring reads such a chunk into this shape in memory only.
/// </summary>
public sealed record FeaturesComputed
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    /// <summary>Null on the wire; set when scoring holds a batch chunk in this shape.</summary>
    public BatchChunk? Batch { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public required IReadOnlyList<DealFeatureVector> Deals { get; init; }
    /// <summary>The CRM change behind a single-deal rescore; null for the batch. For several deals of one delivery, the delivery (without changes).</summary>
    public ScoreTrigger? Trigger { get; init; }
    /// <summary>
    /// For the rescores of several deals of one CRM delivery in one message: each deal's own trigger with the changes it
    /// added, in the order of <see cref="Deals"/>. Null when <see cref="Trigger"/> is the one trigger of every deal.
    /// </summary>
    public IReadOnlyList<ScoreTrigger>? Triggers { get; init; }

    /// <summary>The trigger of the deal at <paramref name="index"/>: its own, or the message's.</summary>
    public ScoreTrigger? TriggerOf(int index) => Triggers is { } each && index < each.Count ? each[index] : Trigger;
}
