using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ModelBatchScoringTests
{
    private static readonly Lazy<TrainingRun> Run = new(() => TrainingData.Job().Run(Guid.NewGuid(), Names, TrainingData.Examples(1200)));

    private static RiskModel Load(ModelRecord record) =>
        RiskModel.Load(record.ModelBytes, new PlattCalibration(record.CalibrationA, record.CalibrationB), record.FeatureNames, record.Seed);

    private static ServedRiskModel Served => new(TrainingData.Model, Load(TrainingData.Model));

    private static IReadOnlyList<DealFeatureVector> OpenDeals(int count) =>
        TrainingData.Examples(count, seed: 31).Select((example, i) => example.Vector with { Deal = example.Vector.Deal with { ExternalId = $"O-{i}" } }).ToList();

    /// <summary>The trainer's model of the shared run, loaded, and that many open deals as its input rows.</summary>
    private static (ModelRecord Record, RiskModel Model, List<float[]> Rows) TrainedWithOpenDeals(string trainer, int deals)
    {
        var record = Run.Value.Models.Single(model => model.Trainer == trainer);
        var rows = OpenDeals(deals).Select(vector => ModelRows.Pick(vector.Values, ModelRows.Positions(record.FeatureNames, Names))).ToList();
        return (record, Load(record), rows);
    }

    [Theory]
    [InlineData(ModelTrainer.FastForest)]
    [InlineData(ModelTrainer.FastTree)]
    public void Trees_evaluated_directly_give_the_scores_and_contributions_of_MLNET_Transform(string trainer)
    {
        var (record, model, rows) = TrainedWithOpenDeals(trainer, 500);

        Assert.True(model.Trees is not null, model.TreesRefusal);
        var direct = model.RawScores([.. rows.SelectMany(row => row)], rows.Count);
        var transformed = model.TransformScores(rows);
        Assert.Equal(transformed.Count, direct.Length);
        for (var i = 0; i < direct.Length; i++)
            Assert.Equal(transformed[i], direct[i], 5);
        Assert.True(direct.Distinct().Count() > 20, "the probe rows should spread over many leaves");

        var directContributions = model.Contributions(rows);
        var transformedContributions = model.TransformPredictions(rows).Select(prediction => prediction.Contributions).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            for (var f = 0; f < record.FeatureNames.Count; f++)
                Assert.Equal(transformedContributions[i][f], directContributions[i][f], 4);
        }
        Assert.Contains(directContributions, contributions => contributions.Count(c => c != 0) >= 3);
    }

    [Theory]
    [InlineData(ModelTrainer.FastForest)]
    [InlineData(ModelTrainer.FastTree)]
    public void Rows_scored_eight_at_a_time_get_exactly_the_score_each_row_gets_alone(string trainer)
    {
        var (_, model, rows) = TrainedWithOpenDeals(trainer, 203);
        for (var i = 0; i < rows.Count; i += 3)
            rows[i][i % rows[i].Length] = i % 2 == 0 ? ModelRows.Missing : float.NaN;

        Assert.True(model.Trees is not null, model.TreesRefusal);
        var together = model.RawScores([.. rows.SelectMany(row => row)], rows.Count);

        Assert.Equal(rows.Select(row => model.Trees.Score(row)), together);
        Assert.True(together.Distinct().Count() > 20, "the rows should spread over many leaves");
    }

    [Fact]
    public void A_chunk_scored_as_a_batch_matches_each_deal_scored_alone_and_only_HIGH_and_CRITICAL_deals_carry_contributions()
    {
        var scorer = new ModelScorer(new RuleScorer(RuleSet.Default()));
        var deals = OpenDeals(400);
        var computed = Computed([.. deals]);

        var batch = scorer.Score(computed, Served, batch: true);
        var alone = scorer.Score(computed, Served, batch: false);

        Assert.Equal(deals.Count, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            Assert.Equal((alone[i].Score, alone[i].Level, alone[i].Action), (batch[i].Score, batch[i].Level, batch[i].Action));
            Assert.Equal(alone[i].Reasons, batch[i].Reasons);
            Assert.Equal(alone[i].Factors.Select(f => (f.Signal, f.Points)), batch[i].Factors.Select(f => (f.Signal, f.Points)));
        }
        var flagged = batch.Where(score => score.Level is RiskLevels.High or RiskLevels.Critical).ToList();
        Assert.NotEmpty(flagged);
        Assert.Contains(batch, score => score.Level is RiskLevels.Low or RiskLevels.Medium);
        Assert.All(flagged, score => Assert.NotEmpty(score.Factors));
        Assert.All(batch.Except(flagged), score => Assert.Empty(score.Factors));
    }

    [Fact]
    public void A_chunk_given_as_a_float_matrix_scores_as_the_same_chunk_given_as_vectors()
    {
        var scorer = new ModelScorer(new RuleScorer(RuleSet.Default()));
        var deals = OpenDeals(200).ToList();
        deals[3] = deals[3] with { Values = [.. deals[3].Values.Select((value, f) => Names[f] == "days_since_last_activity" ? null : value)] };
        var computed = Computed([.. deals]);

        var fromVectors = scorer.Score(computed, Served, batch: true);
        var fromMatrix = scorer.Score(FeatureMatrix.FromVectors(Names, deals), deals.Select(d => d.Deal).ToList(), Served);

        Assert.Equal(fromVectors.Select(s => (s.Score, s.Level, s.Scorer, string.Join("|", s.Reasons))), fromMatrix.Select(s => (s.Score, s.Level, s.Scorer, string.Join("|", s.Reasons))));
        Assert.Equal("rules", fromMatrix[3].Scorer);
        Assert.Contains("Scored by rules: missing days_since_last_activity", fromMatrix[3].Reasons);
    }

    [Fact]
    public void A_matrix_whose_size_does_not_fit_its_rows_and_features_is_refused_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureMatrix(["a", "b"], 3, new float[5]));
        Assert.Contains("3 rows of 2 features need 6 values, not 5", error.Message);
    }
}
