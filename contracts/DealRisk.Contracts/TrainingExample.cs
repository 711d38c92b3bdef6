namespace DealRisk.Contracts;

/// <summary>A closed deal's features as of an instant when it was still open, labelled with how it ended.</summary>
public sealed record TrainingExample
{
    public required DealFeatureVector Vector { get; init; }
    /// <summary>The instant the features describe; always before <see cref="ClosedAt"/>.</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Orders the time-based holdout; never a feature.</summary>
    public required DateTimeOffset ClosedAt { get; init; }
    public required bool Lost { get; init; }
}
