using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Storage;
using DealRisk.Scoring.TrackRecord;
using MassTransit;

namespace DealRisk.Scoring.Consumers;

/// <summary>
/// Collects the training set's chunks; when the last one is in, trains and evaluates the candidates, keeps every
/// model, promotes one only when the gate lets it, and announces the outcome.
/// </summary>
public sealed class TrainModelConsumer(
    ScoreStore store,
    TrainingRunClaims claims,
    TrainingJob job,
    ServedModels served,
    ModelReportWriter reports,
    ServedModelHealth health,
    TrackRecordKeeper trackRecord,
    TimeProvider time,
    ILogger<TrainModelConsumer> logger) : IConsumer<TrainingSetChunk>
{
    public async Task Consume(ConsumeContext<TrainingSetChunk> context)
    {
        var chunk = context.Message;
        await store.TrainingChunks.UpsertAsync($"{chunk.CorrelationId:N}:{chunk.ChunkIndex}", chunk, context.CancellationToken);
        if (await store.TrainingChunks.CountAsync("correlationId", chunk.CorrelationId, context.CancellationToken) < chunk.ChunkCount)
            return;
        await using var lease = await claims.TryClaimAsync(chunk.CorrelationId.ToString("N"), context.CancellationToken);
        if (lease is null)
            return;

        IReadOnlyList<TrainingSetChunk> chunks;
        try
        {
            chunks = await TrainAsync(context, chunk);
        }
        catch
        {
            // A claim left behind would make the retry find it and report success with nothing promoted or announced.
            await lease.ReleaseAsync();
            throw;
        }

        await lease.FinishAsync(context.CancellationToken);
        foreach (var part in chunks)
            await store.TrainingChunks.DeleteAsync($"{part.CorrelationId:N}:{part.ChunkIndex}", context.CancellationToken);
    }

    /// <summary>Trains, keeps and announces the run; returns the chunks it was trained on.</summary>
    private async Task<IReadOnlyList<TrainingSetChunk>> TrainAsync(ConsumeContext<TrainingSetChunk> context, TrainingSetChunk chunk)
    {
        var chunks = new List<TrainingSetChunk>();
        await foreach (var part in store.TrainingChunks.FindAsync("correlationId", chunk.CorrelationId, context.CancellationToken))
            chunks.Add(part);
        var ordered = chunks.OrderBy(c => c.ChunkIndex).ToList();
        var examples = ordered.SelectMany(c => c.Examples).ToList();
        if (!chunk.DryRun)
            await CheckServedModelAsync(context, chunk.FeatureNames, examples);
        var run = job.Run(chunk.CorrelationId, chunk.FeatureNames, examples, ordered.SelectMany(c => c.Population).ToList(), chunk.DryRun,
            ordered.SelectMany(c => c.OpenNow).ToList());
        foreach (var model in run.Models)
        {
            await store.Models.UpsertAsync(model.ModelVersion, model, context.CancellationToken);
            reports.Write(model);
        }

        var result = run.Result;
        if (run.Promoted is { } promoted)
        {
            await served.ServeAsync(promoted, result.Decision, context.CancellationToken);
            await context.Publish(new ModelPromoted
            {
                CorrelationId = chunk.CorrelationId,
                ModelVersion = promoted.ModelVersion,
                Trainer = promoted.Trainer,
                Metrics = promoted.Metrics,
                RulesMetrics = promoted.RulesMetrics,
                TrainedFrom = promoted.TrainedFrom,
                TrainedTo = promoted.TrainedTo,
                TrainingDeals = promoted.WonDeals + promoted.LostDeals,
                FeatureImportances = promoted.FeatureImportances,
                PromotedAt = time.GetUtcNow(),
            }, context.CancellationToken);
        }
        else if ((await served.CurrentAsync(context.CancellationToken)).Model is { } current)
        {
            result = result with { Served = ModelScorer.ScorerName, ServedModelVersion = current.Record.ModelVersion };
        }
        else if (!chunk.DryRun)
        {
            await served.KeepRulesBecauseAsync(result.Decision, context.CancellationToken);
        }

        logger.LogInformation("Training {CorrelationId}: {Decision}", chunk.CorrelationId, result.Decision);
        await store.TrainingRuns.UpsertAsync(chunk.CorrelationId.ToString("N"), result, context.CancellationToken);
        await context.Publish(result, context.CancellationToken);
        if (!chunk.DryRun)
        {
            var servedNow = run.Promoted is null ? (await served.CurrentAsync(context.CancellationToken)).Model : null;
            await context.Publish(await trackRecord.AfterTrainingAsync(run, chunk.FeatureNames, examples, servedNow, context.CancellationToken), context.CancellationToken);
        }
        return chunks;
    }

    /// <summary>A served model that no longer beats the rules on deals closed since its training hands over to them.</summary>
    private async Task CheckServedModelAsync(ConsumeContext context, IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> examples)
    {
        if ((await served.CurrentAsync(context.CancellationToken)).Model is not { } current)
            return;
        if (health.Check(current, featureNames, examples) is not { FellBelowRules: true } verdict)
            return;
        var message = $"Model {current.Record.ModelVersion} fell below the rules on {verdict.WonDeals + verdict.LostDeals} deals closed since its training "
                      + $"(ROC-AUC {verdict.ModelAuc:0.000} against {verdict.RulesAuc:0.000}): scoring fell back to rules.";
        if (!await served.ServeRulesInsteadOfAsync(current.Record.ModelVersion, message, context.CancellationToken))
            return;
        logger.LogWarning("Model {ModelVersion} fell below the rules on newly closed deals; rules take over", current.Record.ModelVersion);
        await RulesFallback.AnnounceAsync(context, current.Record.ModelVersion, message, "scoring-degraded", [], time.GetUtcNow());
    }
}

public sealed class TrainModelConsumerDefinition : ConsumerDefinition<TrainModelConsumer>
{
    public TrainModelConsumerDefinition() => ConcurrentMessageLimit = 1;
}
