using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

/// <summary>
/// Seeded labelled examples where silence and pushed close dates drive the odds of a loss (drawn, not decided, as in
/// real pipelines, so no field predicts the outcome outright), and a model trained on them.
/// </summary>
internal static class TrainingData
{
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<TrainingExample> Examples(int deals, int seed = 7, Func<bool, Random, double?>? amountByOutcome = null)
    {
        var random = new Random(seed);
        var examples = new List<TrainingExample>(deals);
        for (var i = 0; i < deals; i++)
        {
            var silentDays = random.Next(0, 60);
            var pushes = random.Next(0, 5);
            var contacts = random.Next(1, 6);
            var lossOdds = -2.0 + silentDays / 12.0 + 0.6 * pushes + (random.NextDouble() - 0.5) * 2;
            var closedAt = Start.AddHours(i * 6);
            var lost = random.NextDouble() < 1 / (1 + Math.Exp(-lossOdds));
            var amount = random.Next(5, 90) * 1000;
            examples.Add(new TrainingExample
            {
                Vector = Vector(Deal(DealStages.Proposal, $"T-{i}"),
                    ("days_since_last_activity", silentDays), ("close_date_pushes", pushes), ("contact_count", contacts),
                    ("deal_age_days", random.Next(5, 120)), ("amount", amountByOutcome is null ? amount : amountByOutcome(lost, random))),
                At = closedAt.AddDays(-10),
                ClosedAt = closedAt,
                Lost = lost,
            });
        }
        return examples;
    }

    public static TrainingJob Job(int minimumWon = 50, int minimumLost = 50) =>
        new(new RuleScorer(RuleSet.Default()), new ModelGate(minimumWon, minimumLost), seed: 42, holdoutShare: 0.25, TimeProvider.System);

    private static readonly Lazy<ModelRecord> Trained = new(() =>
        Job().Run(Guid.NewGuid(), Names, Examples(1200)).Promoted ?? throw new InvalidOperationException("No model passed the gate on planted data."));

    public static ModelRecord Model => Trained.Value;
}
