namespace DealRisk.Contracts;

/// <summary>One part of a labelled training set the feature service built for a <see cref="RetrainModel"/> request.</summary>
public sealed record TrainingSetChunk
{
    public required Guid CorrelationId { get; init; }
    public required int ChunkIndex { get; init; }
    public required int ChunkCount { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    /// <summary>Carried from <see cref="RetrainModel.DryRun"/>.</summary>
    public bool DryRun { get; init; }
    public required IReadOnlyList<TrainingExample> Examples { get; init; }
    /// <summary>Every deal open at the same month ends, including those still open: the reference population for drift.</summary>
    public IReadOnlyList<PopulationSnapshot> Population { get; init; } = [];
    /// <summary>The deals open at the newest instant the data knows, featurized as the batch scores them: what a model would serve.</summary>
    public IReadOnlyList<PopulationSnapshot> OpenNow { get; init; } = [];
}
