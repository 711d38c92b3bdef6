namespace DealRisk.SyntheticCrm;

/// <summary>What to generate. Same options (including <see cref="AsOf"/>) give byte-identical deals.</summary>
public sealed record SyntheticCrmOptions
{
    public int Seed { get; init; } = 42;
    public int DealCount { get; init; } = 5000;

    /// <summary>The day the export is taken: every timestamp lies before this day's midnight UTC.</summary>
    public DateOnly AsOf { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>How far back deals are created.</summary>
    public int HistoryMonths { get; init; } = 24;

    /// <summary>Share of deals still open on <see cref="AsOf"/>.</summary>
    public double OpenShare { get; init; } = 0.3;

    public int RepCount { get; init; } = 25;

    /// <summary>The export instant: midnight UTC at the start of <see cref="AsOf"/>.</summary>
    public DateTimeOffset ExportTime => new(AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(DealCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DealCount, 9_999_999);
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryMonths, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(RepCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RepCount, 99);
        if (OpenShare is < 0 or > 1 || double.IsNaN(OpenShare))
            throw new ArgumentOutOfRangeException(nameof(OpenShare), OpenShare, "OpenShare must lie between 0 and 1.");
    }
}
