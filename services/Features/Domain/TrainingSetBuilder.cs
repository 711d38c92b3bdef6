using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>
/// Labelled examples without leakage: every closed deal is featurized as of instants when it was still open (each
/// stage it entered and every <see cref="SnapshotEveryDays"/> days of its life), against statistics of the deals
/// that had closed before the first of that instant's month. Nothing known only at close reaches a feature.
/// </summary>
public static class TrainingSetBuilder
{
    public const int SnapshotEveryDays = 30;
    public const int MaxSnapshotsPerDeal = 12;

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
    /// Stage entries after the first and fixed ages after creation, all strictly before the close. The creation instant
    /// itself tells nothing yet and is used only for deals that closed before any other snapshot.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> SnapshotInstants(DealSnapshot deal)
    {
        var closedAt = deal.ClosedAt!.Value;
        var instants = new SortedSet<DateTimeOffset>();
        foreach (var change in deal.History)
        {
            if (change.Field == DealFields.Stage && change.To is { } stage && !DealStages.IsClosed(stage) && change.At > deal.CreatedAt && change.At < closedAt)
                instants.Add(change.At);
        }
        for (var age = SnapshotEveryDays; deal.CreatedAt.AddDays(age) < closedAt; age += SnapshotEveryDays)
            instants.Add(deal.CreatedAt.AddDays(age));
        if (instants.Count == 0 && deal.CreatedAt < closedAt)
            instants.Add(deal.CreatedAt);
        return instants.TakeLast(MaxSnapshotsPerDeal).ToList();
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
