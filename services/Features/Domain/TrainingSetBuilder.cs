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
        var closed = deals.Where(deal => deal.IsClosed && deal.ClosedAt is not null)
            .OrderBy(deal => deal.ClosedAt)
            .ToList();
        var contexts = new MonthlyContexts(closed);
        var examples = new List<TrainingExample>();
        foreach (var deal in closed)
        {
            foreach (var instant in SnapshotInstants(deal))
            {
                examples.Add(new TrainingExample
                {
                    Vector = DealFeaturizer.Featurize(deal, instant, contexts.Before(instant)),
                    At = instant,
                    ClosedAt = deal.ClosedAt!.Value,
                    Lost = !deal.IsWon,
                });
            }
        }
        return examples;
    }

    /// <summary>
    /// The month-end cross-sections of every deal, closed since or still open, up to the newest close: the population the
    /// batch scored at those instants, unlabelled. Drift is measured against it, so deals still open are not missing from it.
    /// </summary>
    public static IReadOnlyList<PopulationSnapshot> Population(IReadOnlyList<DealSnapshot> deals)
    {
        var closed = deals.Where(deal => deal.IsClosed && deal.ClosedAt is not null).OrderBy(deal => deal.ClosedAt).ToList();
        if (closed.Count == 0) return [];
        var end = closed[^1].ClosedAt!.Value;
        var contexts = new MonthlyContexts(closed);
        var population = new List<PopulationSnapshot>();
        foreach (var deal in deals)
        {
            var until = deal.ClosedAt is { } closedAt && closedAt < end ? closedAt : end;
            foreach (var instant in MonthEndsOpen(deal.CreatedAt, until))
                population.Add(new PopulationSnapshot { At = instant, Values = DealFeaturizer.Featurize(deal, instant, contexts.Before(instant)).Values });
        }
        return population;
    }

    /// <summary>
    /// The deals open at the end of <paramref name="asOf"/> (default: the newest day the data knows), featurized as the batch scores them then (a spread
    /// sample of at most <see cref="OpenNowSample"/>): what a model trained now would serve, for the train/serve check.
    /// </summary>
    public static IReadOnlyList<PopulationSnapshot> OpenNow(IReadOnlyList<DealSnapshot> deals, DateOnly? asOf = null)
    {
        var open = deals.Where(deal => !deal.IsClosed).ToList();
        if (open.Count == 0) return [];
        var instant = AsOfClock.EndOf(asOf ?? DateOnly.FromDateTime(NewestInstant(deals).UtcDateTime));
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(
            deals.Where(deal => deal.IsClosed && deal.ClosedAt <= instant).OrderBy(deal => deal.ClosedAt)));
        var stride = Math.Max(1, (open.Count + OpenNowSample - 1) / OpenNowSample);
        return open.Where((_, i) => i % stride == 0)
            .Where(deal => deal.CreatedAt <= instant)
            .Select(deal => new PopulationSnapshot { At = instant, Values = DealFeaturizer.Featurize(deal, instant, context).Values })
            .ToList();
    }

    public const int OpenNowSample = 20_000;

    private static DateTimeOffset NewestInstant(IReadOnlyList<DealSnapshot> deals) => deals.Max(deal => new[]
    {
        deal.CreatedAt,
        deal.ClosedAt ?? DateTimeOffset.MinValue,
        deal.LastActivityAt ?? DateTimeOffset.MinValue,
        deal.History.Count > 0 ? deal.History.Max(change => change.At) : DateTimeOffset.MinValue,
    }.Max());

    /// <summary>The month-end instants (UTC) at which the deal was open: created by then and not yet closed.</summary>
    public static IReadOnlyList<DateTimeOffset> SnapshotInstants(DealSnapshot deal) => MonthEndsOpen(deal.CreatedAt, deal.ClosedAt!.Value);

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

    /// <summary>Statistics as a monthly snapshot: what the deals closed before the first of the month teach.</summary>
    private sealed class MonthlyContexts(IReadOnlyList<DealSnapshot> closedByDate)
    {
        private readonly Dictionary<DateOnly, FeatureContext> _byMonth = new();

        public FeatureContext Before(DateTimeOffset instant)
        {
            var month = new DateOnly(instant.UtcDateTime.Year, instant.UtcDateTime.Month, 1);
            if (_byMonth.TryGetValue(month, out var context))
                return context;
            var start = new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            context = new FeatureContext(OutcomeStatistics.FromClosedDeals(closedByDate.TakeWhile(deal => deal.ClosedAt < start)));
            _byMonth[month] = context;
            return context;
        }
    }
}
