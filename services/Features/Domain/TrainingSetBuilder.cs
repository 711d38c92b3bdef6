using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>
/// Labelled examples without leakage, shaped like the population the daily batch scores: at the end of every
/// month, each deal open then (and closed since) is featurized as it stood that instant, against statistics of the
/// deals that had closed before the first of that month, and labelled with how it ended. Nothing known only at
/// close reaches a feature, and snapshot times never depend on the close date other than "still open".
/// </summary>
public static class TrainingSetBuilder
{
    public static IReadOnlyList<TrainingExample> Build(IReadOnlyList<DealSnapshot> deals)
    {
        var outcomes = MonthlyOutcomes.Of(deals);
        return deals.Where(IsClosed).OrderBy(deal => deal.ClosedAt).SelectMany(deal => Examples(deal, outcomes)).ToList();
    }

    /// <summary>
    /// The month-end cross-sections of every deal, closed since or still open, up to the newest close: the population the
    /// batch scored at those instants, unlabelled. Drift is measured against it, so deals still open are not missing from it.
    /// </summary>
    public static IReadOnlyList<PopulationSnapshot> Population(IReadOnlyList<DealSnapshot> deals)
    {
        var outcomes = MonthlyOutcomes.Of(deals);
        return deals.SelectMany(deal => Population(deal, outcomes)).ToList();
    }

    /// <summary>One deal's labelled examples (none while it is open): what <see cref="Build"/> yields for it.</summary>
    public static IEnumerable<TrainingExample> Examples(DealSnapshot deal, MonthlyOutcomes outcomes) =>
        IsClosed(deal)
            ? SnapshotInstants(deal).Select(instant => new TrainingExample
            {
                Vector = DealFeaturizer.Featurize(deal, instant, outcomes.Before(instant)),
                At = instant,
                ClosedAt = deal.ClosedAt!.Value,
                Lost = !deal.IsWon,
            })
            : [];

    /// <summary>One deal's share of <see cref="Population(IReadOnlyList{DealSnapshot})"/>.</summary>
    public static IEnumerable<PopulationSnapshot> Population(DealSnapshot deal, MonthlyOutcomes outcomes) =>
        PopulationInstants(deal, outcomes).Select(instant =>
            new PopulationSnapshot { At = instant, Values = DealFeaturizer.Featurize(deal, instant, outcomes.Before(instant)).Values });

    public static IReadOnlyList<DateTimeOffset> PopulationInstants(DealSnapshot deal, MonthlyOutcomes outcomes)
    {
        if (outcomes.LastClose is not { } end) return [];
        var until = deal.ClosedAt is { } closedAt && closedAt < end ? closedAt : end;
        return MonthEndsOpen(deal.CreatedAt, until);
    }

    /// <summary>
    /// The deals open at the end of <paramref name="asOf"/> (default: the newest day the data knows), featurized as the batch scores them then (a spread
    /// sample of at most <see cref="OpenNowSample"/>): what a model trained now would serve, for the train/serve check.
    /// </summary>
    public static IReadOnlyList<PopulationSnapshot> OpenNow(IReadOnlyList<DealSnapshot> deals, DateOnly? asOf = null)
    {
        var sampler = new OpenNowSampler(asOf);
        foreach (var deal in deals) sampler.Observe(deal);
        foreach (var deal in deals) sampler.Tally(deal);
        return deals.SelectMany(sampler.Sample).ToList();
    }

    public const int OpenNowSample = 20_000;

    internal static DateTimeOffset NewestInstant(DealSnapshot deal) => new[]
    {
        deal.CreatedAt,
        deal.ClosedAt ?? DateTimeOffset.MinValue,
        deal.LastActivityAt ?? DateTimeOffset.MinValue,
        deal.History.Count > 0 ? deal.History.Max(change => change.At) : DateTimeOffset.MinValue,
    }.Max();

    /// <summary>The month-end instants (UTC) at which the deal was open: created by then and not yet closed.</summary>
    public static IReadOnlyList<DateTimeOffset> SnapshotInstants(DealSnapshot deal) => MonthEndsOpen(deal.CreatedAt, deal.ClosedAt!.Value);

    public static IReadOnlyList<DateTimeOffset> ExampleInstants(DealSnapshot deal) => IsClosed(deal) ? SnapshotInstants(deal) : [];

    private static bool IsClosed(DealSnapshot deal) => deal.IsClosed && deal.ClosedAt is not null;

    private static List<DateTimeOffset> MonthEndsOpen(DateTimeOffset createdAt, DateTimeOffset closedAt)
    {
        var instants = new List<DateTimeOffset>();
        var created = DateOnly.FromDateTime(createdAt.UtcDateTime);
        for (var month = new DateOnly(created.Year, created.Month, 1); ; month = month.AddMonths(1))
        {
            var instant = AsOfClock.EndOf(month.AddMonths(1).AddDays(-1));
            if (instant >= closedAt) break;
            if (instant >= createdAt) instants.Add(instant);
        }
        return instants;
    }
}

/// <summary>
/// Statistics as a monthly snapshot: what the deals closed before the first of a month teach. Built from one pass over
/// the deals that keeps only mergeable tallies per month of close, so no deal needs to stay in memory.
/// </summary>
public sealed class MonthlyOutcomes
{
    private readonly SortedDictionary<DateOnly, OutcomeStatisticsBuilder> _closedInMonth = new();
    private readonly Dictionary<DateOnly, FeatureContext> _before = new();

    /// <summary>The newest close seen: where the population's cross-sections end.</summary>
    public DateTimeOffset? LastClose { get; private set; }

    public static MonthlyOutcomes Of(IEnumerable<DealSnapshot> deals)
    {
        var outcomes = new MonthlyOutcomes();
        foreach (var deal in deals)
            outcomes.Add(deal);
        return outcomes;
    }

    public void Add(DealSnapshot deal)
    {
        if (!deal.IsClosed || deal.ClosedAt is not { } closedAt) return;
        var month = MonthOf(closedAt);
        if (!_closedInMonth.TryGetValue(month, out var builder))
            _closedInMonth[month] = builder = new OutcomeStatisticsBuilder();
        builder.Add(deal);
        if (LastClose is null || closedAt > LastClose) LastClose = closedAt;
        _before.Clear();
    }

    public FeatureContext Before(DateTimeOffset instant)
    {
        var month = MonthOf(instant);
        if (_before.TryGetValue(month, out var context))
            return context;
        context = new FeatureContext(OutcomeStatistics.Merge(_closedInMonth.TakeWhile(m => m.Key < month).Select(m => m.Value.Build())));
        _before[month] = context;
        return context;
    }

    private static DateOnly MonthOf(DateTimeOffset instant) => new(instant.UtcDateTime.Year, instant.UtcDateTime.Month, 1);
}

/// <summary>
/// The open-now sample of <see cref="TrainingSetBuilder.OpenNow"/> built from three passes over streamed deals, none
/// held: <see cref="Observe"/> finds the instant, <see cref="Tally"/> gathers the outcomes closed by then and counts the
/// deals open then, <see cref="Sample"/> featurizes a spread sample of them.
/// </summary>
public sealed class OpenNowSampler(DateOnly? asOf)
{
    private readonly OutcomeStatisticsBuilder _closed = new();
    private DateTimeOffset _newest = DateTimeOffset.MinValue;
    private FeatureContext? _context;
    private long _open;
    private long _seen;

    public DateTimeOffset Instant => AsOfClock.EndOf(asOf ?? DateOnly.FromDateTime(_newest.UtcDateTime));

    /// <summary>How many snapshots <see cref="Sample"/> yields over the deals tallied.</summary>
    public long SampleCount => (_open + Stride - 1) / Stride;

    private long Stride => Math.Max(1, (_open + TrainingSetBuilder.OpenNowSample - 1) / TrainingSetBuilder.OpenNowSample);

    public void Observe(DealSnapshot deal)
    {
        var newest = TrainingSetBuilder.NewestInstant(deal);
        if (newest > _newest) _newest = newest;
    }

    public void Tally(DealSnapshot deal)
    {
        if (deal.IsClosed && deal.ClosedAt is { } closedAt)
        {
            if (closedAt <= Instant) _closed.Add(deal);
        }
        else if (IsOpenThen(deal))
            _open++;
    }

    public IEnumerable<PopulationSnapshot> Sample(DealSnapshot deal)
    {
        if (deal.IsClosed || !IsOpenThen(deal) || _seen++ % Stride != 0 || _seen > SampleCount * Stride)
            yield break;
        _context ??= new FeatureContext(_closed.Build());
        yield return new PopulationSnapshot { At = Instant, Values = DealFeaturizer.Featurize(deal, Instant, _context).Values };
    }

    private bool IsOpenThen(DealSnapshot deal) => deal.CreatedAt <= Instant;
}
