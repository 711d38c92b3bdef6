using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Storage;
using DealRisk.SyntheticCrm;
using DealRisk.SyntheticCrm.Json;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.AllInOne.Tests;

/// <summary>The train job through the embedded host: features build the set, scoring trains and gates, and the next batch is scored by the served model.</summary>
[Collection(ImportingCollection.Name)]
public sealed class TrainCommandTests
{
    private static readonly SyntheticCrmOptions Options = new() { Seed = 99, DealCount = 3000, AsOf = new DateOnly(2025, 6, 30) };

    [Fact]
    public async Task Training_on_synthetic_history_promotes_a_model_that_then_scores_the_daily_batch()
    {
        await using var run = await EmbeddedRun.StartAsync("train");
        var sample = Path.Combine(run.Root, "sample.jsonl");
        await using (var stream = File.Create(sample))
            await DealJsonLines.WriteAsync(SyntheticCrmGenerator.Generate(Options), stream);
        Assert.Equal("completed", (await run.ImportAsync(sample, DealJsonLinesFormat.FormatName)).Status);
        var job = ActivatorUtilities.CreateInstance<TrainJob>(run.Host.Services);

        var trained = await job.TrainAsync("test", TimeSpan.FromMinutes(5), CancellationToken.None);
        var json = Path.Combine(run.Root, "train.json");
        await TrainJob.WriteJsonAsync(trained, json, CancellationToken.None);

        Assert.False(trained.Refused, trained.Decision);
        Assert.Equal(["FastForest", "FastTree"], trained.Candidates.Select(c => c.Trainer));
        Assert.Equal("model", trained.Served);
        Assert.NotNull(trained.ServedModelVersion);
        Assert.True(trained.Candidates.Single(c => c.ModelVersion == trained.ServedModelVersion).Metrics.RocAuc > trained.RulesMetrics!.RocAuc);
        Assert.Equal(["rules", .. trained.Candidates.Select(c => c.ModelVersion)], trained.Backtests.Select(b => b.Scorer));
        Assert.NotEmpty(trained.Backtests);
        Assert.All(trained.Backtests, backtest => Assert.True(backtest.LostDeals > 0 && backtest.LostDealsFlagged <= backtest.LostDeals));
        var written = JsonSerializer.Deserialize<ModelTrained>(await File.ReadAllTextAsync(json), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(trained.ServedModelVersion, written.ServedModelVersion);
        var folder = run.Host.Services.GetRequiredService<ModelReportWriter>().DirectoryOf(trained.ServedModelVersion!);
        Assert.True(File.Exists(Path.Combine(folder, ModelReportWriter.ImportancePngFile)));
        Assert.True(File.Exists(Path.Combine(folder, ModelReportWriter.MetricsFile)));

        // The export stops at midnight starting AsOf, so the last complete day of data is the day before.
        var report = await run.RunBatchAsync(Options.AsOf.AddDays(-1));

        var chunks = new List<DealScored>();
        await foreach (var chunk in run.Host.Services.GetRequiredService<ScoreStore>().ScoreChunks.ScanAsync())
            if (chunk.Batch?.BatchId == report.BatchId) chunks.Add(chunk);
        Assert.NotEmpty(chunks);
        var choice = await run.Host.Services.GetRequiredService<ScoreStore>().ServedChoice.GetAsync(ScoreStore.CurrentChoiceId);
        Assert.True(choice!.ModelVersion == trained.ServedModelVersion, choice.Reason);
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Equal(("model", trained.ServedModelVersion), (chunk.Scorer, chunk.ModelVersion)));
        Assert.Contains(chunks.SelectMany(c => c.Scores), score => score.Scorer == "model" && score.Reasons.Count > 0);
    }
}
