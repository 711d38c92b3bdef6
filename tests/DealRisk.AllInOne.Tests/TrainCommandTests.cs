using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Notification.Storage;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Storage;
using DealRisk.SyntheticCrm;
using DealRisk.Contracts.Json;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.AllInOne.Tests;

/// <summary>The train job through the embedded host: features build the set, scoring trains and gates, and the next batch is scored by the served model.</summary>
[Collection(ImportingCollection.Name)]
public sealed class TrainCommandTests
{
    private static readonly SyntheticCrmOptions Options = new() { Seed = 99, DealCount = 3000, AsOf = new DateOnly(2025, 6, 30) };

    [Fact]
    public async Task With_enough_closed_history_and_no_model_the_engine_trains_by_itself_and_the_batch_says_it_was_scored_by_the_model()
    {
        await using var run = await EmbeddedRun.StartAsync("train");
        var sample = Path.Combine(run.Root, "sample.jsonl");
        await using (var stream = File.Create(sample))
            await DealJsonLines.WriteAsync(SyntheticCrmGenerator.Generate(Options), stream);
        Assert.Equal("completed", (await run.ImportAsync(sample, DealJsonLinesFormat.FormatName)).Status);
        // The export stops at midnight starting AsOf, so the last complete day of data is the day before.
        var batchDay = Options.AsOf.AddDays(-1);
        var trained = await TrainJob.TrainIfDueAsync(run.Host.Services, batchDay, CancellationToken.None);
        Assert.NotNull(trained);
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

        var report = await run.RunBatchAsync(batchDay);

        var chunks = new List<DealScored>();
        var notificationStore = run.Host.Services.GetRequiredService<NotificationStore>();
        var batch = await notificationStore.Batches.GetAsync(report.BatchId.ToString("N"));
        for (var index = 0; index < batch!.OpenChunkCount; index++)
            chunks.Add((await notificationStore.ScoredChunks.GetAsync(report.BatchId, index, CancellationToken.None))!.ToDealScored());
        Assert.NotEmpty(chunks);
        var choice = await run.Host.Services.GetRequiredService<ScoreStore>().ServedChoice.GetAsync(ScoreStore.CurrentChoiceId);
        Assert.True(choice!.ModelVersion == trained.ServedModelVersion, choice.Reason);
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Equal(("model", trained.ServedModelVersion), (chunk.Scorer, chunk.ModelVersion)));
        Assert.Contains(chunks.SelectMany(c => c.Scores), score => score.Scorer == "model" && score.Reasons.Count > 0);
        // A generated sample carries no drift: the batch's own kind of population is the drift reference, so nothing falls back.
        Assert.Matches(@$"^{trained.ServedModelVersion} \(holdout ROC-AUC 0\.\d\d vs rules 0\.\d\d\)$", report.ScoredBy);
        var status = await run.Host.Services.GetRequiredService<NotificationStore>().ModelStatus.GetAsync(ModelStatus.CurrentId);
        Assert.False(status?.ServingRules == true, status?.FallbackReason);
        Assert.Null(await TrainJob.TrainIfDueAsync(run.Host.Services, batchDay, CancellationToken.None));
    }
}
