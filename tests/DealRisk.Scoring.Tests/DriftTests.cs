using DealRisk.Scoring.Modeling;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class DriftTests
{
    [Fact]
    public void The_same_distribution_is_stable_and_a_shifted_one_crosses_a_quarter()
    {
        var random = new Random(1);
        var training = Enumerable.Range(0, 5000).Select(_ => (double?)random.Next(0, 30)).ToList();
        var bins = FeatureBins.FromValues("days_since_last_activity", training);

        var same = Enumerable.Range(0, 2000).Select(_ => (double?)random.Next(0, 30)).ToList();
        var shifted = Enumerable.Range(0, 2000).Select(_ => (double?)random.Next(20, 60)).ToList();
        var missing = Enumerable.Range(0, 2000).Select(i => i % 2 == 0 ? (double?)random.Next(0, 30) : null).ToList();

        Assert.InRange(bins.Psi(same), 0, 0.1);
        Assert.True(bins.Psi(shifted) > 0.25, $"PSI {bins.Psi(shifted):0.000}");
        Assert.True(bins.Psi(missing) > 0.25, $"PSI {bins.Psi(missing):0.000}");
    }

    [Fact]
    public void Drift_is_judged_only_on_the_models_important_features_and_only_on_enough_deals()
    {
        var model = TrainingData.Model;
        var monitor = new DriftMonitor(PsiThreshold: 0.25, WatchedFeatures: 3, MinimumDeals: 100);
        var random = new Random(2);
        var silentNow = Computed(Enumerable.Range(0, 300)
            .Select(i => Vector(Deal(id: $"S-{i}"), ("days_since_last_activity", 100 + random.Next(0, 50)), ("close_date_pushes", random.Next(0, 5)),
                ("contact_count", random.Next(1, 6)), ("deal_age_days", random.Next(5, 120)), ("amount", 20_000)))
            .ToArray());

        var shifted = ShiftedIn(monitor, model, silentNow);

        Assert.Contains(shifted, drift => drift.Feature == "days_since_last_activity" && drift.Psi > 0.25);
        Assert.DoesNotContain(shifted, drift => drift.Feature == "amount");
        Assert.Empty(ShiftedIn(monitor, model, Computed(silentNow.Deals.Take(50).ToArray())));
    }

    [Fact]
    public void The_drift_reference_is_the_open_deals_the_model_was_trained_to_serve_so_scoring_them_finds_no_drift()
    {
        // Open deals differ from the closed deals' snapshots (here: longer silences, within the range training saw).
        var random = new Random(3);
        var openNow = Enumerable.Range(0, 400)
            .Select(i => Vector(Deal(id: $"O-{i}"), ("days_since_last_activity", 30 + random.Next(0, 30)), ("close_date_pushes", random.Next(0, 5)),
                ("contact_count", random.Next(1, 6)), ("deal_age_days", random.Next(5, 120)), ("amount", random.Next(5, 90) * 1000)))
            .ToArray();
        var monitor = new DriftMonitor(PsiThreshold: 0.25, WatchedFeatures: 5, MinimumDeals: 100);

        var model = TrainingData.Job().Run(Guid.NewGuid(), Names, TrainingData.Examples(1200),
            openNow: openNow.Select(vector => new Contracts.PopulationSnapshot { At = TrainingData.Start.AddYears(1), Values = vector.Values }).ToList()).Promoted!;
        var withoutOpenDeals = TrainingData.Job().Run(Guid.NewGuid(), Names, TrainingData.Examples(1200)).Promoted!;

        Assert.Empty(ShiftedIn(monitor, model, Computed(openNow)));
        Assert.Contains(ShiftedIn(monitor, withoutOpenDeals, Computed(openNow)), drift => drift.Feature == "days_since_last_activity");
    }

    [Fact]
    public void The_tallies_of_a_batch_s_chunks_add_up_to_the_drift_of_the_whole_batch()
    {
        var model = TrainingData.Model;
        var monitor = new DriftMonitor(PsiThreshold: 0.25, WatchedFeatures: 5, MinimumDeals: 100);
        var random = new Random(4);
        var book = TrainingData.Examples(900, seed: 13).Select(e => e.Vector)
            .Concat(Enumerable.Range(0, 300).Select(i => Vector(Deal(id: $"Q-{i}"), ("days_since_last_activity", 100 + random.Next(0, 50)), ("amount", 20_000))))
            .ToArray();

        var whole = monitor.Measure(model, monitor.Tally(model, Computed(book)));
        var chunked = monitor.Measure(model, FeatureTally.Sum(book.Chunk(250).SelectMany(chunk => monitor.Tally(model, Computed(chunk)))));

        Assert.NotEmpty(whole);
        Assert.Equal(whole.Select(m => (m.Feature, m.State)), chunked.Select(m => (m.Feature, m.State)));
        Assert.All(whole.Zip(chunked), pair => Assert.Equal(pair.First.Psi, pair.Second.Psi, 12));
        Assert.Empty(monitor.Measure(model, FeatureTally.Sum(book.Take(50).Chunk(25).SelectMany(chunk => monitor.Tally(model, Computed(chunk))))));
    }

    private static IReadOnlyList<Contracts.FeatureDrift> ShiftedIn(DriftMonitor monitor, ModelRecord model, Contracts.FeaturesComputed computed) =>
        DriftMonitor.Shifted(monitor.Measure(model, monitor.Tally(model, computed)));
}
