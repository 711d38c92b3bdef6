namespace DealRisk.Contracts;

/// <summary>Scores for one deal (real-time path). The daily batch's scores travel as <see cref="DealChunkScored"/>.</summary>
public sealed record DealScored
{
    public required Guid CorrelationId { get; init; }
    public required DateTimeOffset AsOf { get; init; }
    public BatchChunk? Batch { get; init; }
    /// <summary>"rules" or "model": which scorer produced these scores.</summary>
    public required string Scorer { get; init; }
    public string? ModelVersion { get; init; }
    /// <summary>
    /// Which scorer served and why, in words: "&lt;model version&gt; (holdout ROC-AUC 0.83 vs rules 0.68)" or
    /// "rules: &lt;the gate's reason, the drift or the leakage finding&gt;".
    /// </summary>
    public string? ScoredBy { get; init; }
    public required IReadOnlyList<DealRiskScore> Scores { get; init; }
}
