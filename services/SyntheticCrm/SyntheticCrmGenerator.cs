using DealRisk.Contracts;

namespace DealRisk.SyntheticCrm;

/// <summary>
/// A seeded, deterministic synthetic CRM. Deal <c>i</c> depends only on the options and <c>i</c>,
/// so deals stream one at a time and any one can be regenerated alone.
/// </summary>
public static class SyntheticCrmGenerator
{
    public const string Source = "synthetic";

    /// <summary>Streams <see cref="SyntheticCrmOptions.DealCount"/> deals lazily, never holding more than one.</summary>
    public static IEnumerable<DealSnapshot> Generate(SyntheticCrmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Stream(options);
    }

    /// <summary>The deal at <paramref name="index"/> (0-based; its ExternalId is SYN-{index+1}).</summary>
    public static DealSnapshot GenerateDeal(SyntheticCrmOptions options, int index)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 9_999_998);
        return Build(options, index);
    }

    private static IEnumerable<DealSnapshot> Stream(SyntheticCrmOptions options)
    {
        for (var index = 0; index < options.DealCount; index++)
            yield return Build(options, index);
    }

    private static DealSnapshot Build(SyntheticCrmOptions options, int index)
    {
        var random = new DealRandom(options.Seed, index);
        var script = DealPlanner.Plan(random, options.RepCount);
        var (createdAt, timeScale) = Place(script, random, options);
        return new SnapshotBuilder(script, createdAt, options.ExportTime, timeScale).Build(index);
    }

    /// <summary>
    /// An open deal is cut at a uniform point of its life; a closed one is placed so that its whole life
    /// fits in the history window (squeezed only when the window is shorter than the life).
    /// </summary>
    private static (DateTimeOffset CreatedAt, double TimeScale) Place(DealScript script, DealRandom random, SyntheticCrmOptions options)
    {
        var export = options.ExportTime;
        var windowSeconds = (export - export.AddMonths(-options.HistoryMonths)).TotalSeconds - 3_600;
        var lifeSeconds = script.CloseDay * 86_400.0;

        if (random.Chance(options.OpenShare))
        {
            var age = Math.Min(Math.Max(600.0, random.NextDouble() * lifeSeconds), windowSeconds);
            return (export.AddSeconds(-Math.Round(age)), 1.0);
        }

        var timeScale = Math.Min(1.0, windowSeconds / lifeSeconds);
        var slack = windowSeconds - lifeSeconds * timeScale;
        var ageAtExport = lifeSeconds * timeScale + 60 + random.NextDouble() * slack;
        return (export.AddSeconds(-Math.Round(ageAtExport)), timeScale);
    }
}
