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

    /// <summary>
    /// The rescores of one CRM delivery that share an as-of, as one message: every deal keeps its own trigger in
    /// <see cref="Triggers"/>, and <see cref="Trigger"/> is the delivery's, without changes. One rescore stays as it is.
    /// </summary>
    public static FeaturesComputed OfDelivery(IReadOnlyList<FeaturesComputed> rescores) => rescores.Count == 1
        ? rescores[0]
        : rescores[0] with
        {
            Deals = [.. rescores.SelectMany(rescore => rescore.Deals)],
            Trigger = rescores[0].Trigger! with { Changes = [] },
            Triggers = [.. rescores.SelectMany(rescore => rescore.Deals.Select((_, index) => rescore.TriggerOf(index)!))],
        };
}
