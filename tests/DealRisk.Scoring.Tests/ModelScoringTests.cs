using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Storage;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class ModelScoringTests() : ScoringHostTest(SmallTrainingGate)
{
    [Fact]
    public async Task With_a_served_model_every_score_names_the_model_and_explains_itself_in_sentences()
    {
        await ServeAsync(TrainingData.Model);
        var silent = Vector(Deal(DealStages.Proposal, "M-1"), ("days_since_last_activity", 45), ("close_date_pushes", 4), ("contact_count", 2), ("deal_age_days", 60), ("amount", 30_000));
        var busy = Vector(Deal(DealStages.Proposal, "M-2"), ("days_since_last_activity", 1), ("close_date_pushes", 0), ("contact_count", 4), ("deal_age_days", 60), ("amount", 30_000));

        var computed = Computed(silent, busy);
        await Host.DeliverAsync(computed);

        var scored = Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        Assert.Equal(("model", TrainingData.Model.ModelVersion), (scored.Scorer, scored.ModelVersion));
        Assert.NotEmpty(scored.Scores);
        Assert.Matches(@$"^{TrainingData.Model.ModelVersion} \(holdout ROC-AUC 0\.\d\d vs rules 0\.\d\d\)$", scored.ScoredBy);
        Assert.All(scored.Scores, score => Assert.Equal(("model", TrainingData.Model.ModelVersion), (score.Scorer, score.ModelVersion)));
        var (risky, safe) = (scored.Scores[0], scored.Scores[1]);
        Assert.True(risky.Score > safe.Score + 30, $"{risky.Score} vs {safe.Score}");
        Assert.Contains(risky.Level, new[] { RiskLevels.High, RiskLevels.Critical });
        Assert.Contains("No activity for 45 days", risky.Reasons);
        Assert.Equal("Re-engage the champion today; escalate if no reply", risky.Action);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_model_promoted_mid_batch_scores_the_next_batch_while_the_running_batch_keeps_its_model()
    {
        await ServeAsync(TrainingData.Model);
        var batch = Guid.NewGuid();
        var deal = Vector(Deal(DealStages.Proposal, "P-1"), ("days_since_last_activity", 20), ("deal_age_days", 60), ("amount", 30_000));
        var first = Computed(deal) with { Batch = new BatchChunk { BatchId = batch, AsOf = new DateOnly(2025, 6, 30), ChunkIndex = 0 } };
        await Host.DeliverAsync(first);

        var promoted = TrainingData.Model with { ModelVersion = "promoted-mid-batch" };
        await ServeAsync(promoted);
        var second = first with { CorrelationId = Guid.NewGuid(), Batch = first.Batch! with { ChunkIndex = 1 } };
        var next = first with { CorrelationId = Guid.NewGuid(), Batch = first.Batch! with { BatchId = Guid.NewGuid() } };
        await Host.DeliverAsync(second);
        await Host.DeliverAsync(next);

        Assert.Equal(TrainingData.Model.ModelVersion, ScoredBy(first));
        Assert.Equal(TrainingData.Model.ModelVersion, ScoredBy(second));
        Assert.Equal("promoted-mid-batch", ScoredBy(next));
        Host.AssertNoFaults();
    }

    private string? ScoredBy(FeaturesComputed computed) =>
        Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId)).ModelVersion;

    [Fact]
    public async Task A_deal_missing_a_feature_the_model_needs_is_scored_by_the_rules_and_says_what_was_missing()
    {
        await ServeAsync(TrainingData.Model);
        var computed = Computed(Vector(Deal(id: "M-3"), ("close_date_pushes", 4), ("contact_count", 2), ("deal_age_days", 95), ("amount", 30_000)));

        await Host.DeliverAsync(computed);

        var score = Assert.Single(Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId)).Scores);
        Assert.Equal("rules", score.Scorer);
        Assert.Contains("Scored by rules: missing days_since_last_activity", score.Reasons);
    }

    [Fact]
    public async Task A_corrupt_model_file_is_refused_with_an_alert_and_the_rules_take_over()
    {
        await ServeAsync(TrainingData.Model with { ModelVersion = "corrupt-1", ModelBytes = [1, 2, 3, 4] });
        var computed = Computed(Vector(("deal_age_days", 95)));

        await Host.DeliverAsync(computed);

        var scored = Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        Assert.Equal(("rules", null), (scored.Scorer, scored.ModelVersion));
        Assert.Equal(30, Assert.Single(scored.Scores).Score);
        Assert.Contains(Host.PublishedSoFar<ScoringFellBackToRules>(), fallback => fallback.ModelVersion == "corrupt-1");
        Assert.Contains(Host.PublishedSoFar<OperatorAlertRaised>(), alert => alert.Kind == "model-refused" && alert.Message.Contains("corrupt-1"));
        Assert.Null((await Host.Store.ServedChoice.GetAsync(ScoreStore.CurrentChoiceId))!.ModelVersion);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_stored_model_without_level_cutoffs_of_its_own_is_refused_and_the_rules_take_over()
    {
        await ServeAsync(TrainingData.Model with { ModelVersion = "before-cutoffs-1", LevelCutoffs = null });
        var computed = Computed(Vector(("deal_age_days", 95)));

        await Host.DeliverAsync(computed);

        var scored = Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        Assert.Equal(("rules", null), (scored.Scorer, scored.ModelVersion));
        Assert.Contains(Host.PublishedSoFar<OperatorAlertRaised>(), alert => alert.Kind == "model-refused" && alert.Message.Contains("level cut-offs"));
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_batch_whose_important_features_drifted_keeps_its_model_then_hands_the_next_batches_to_the_rules_with_one_alert_and_a_retrain_request()
    {
        await ServeAsync(TrainingData.Model);
        var random = new Random(4);
        var batch = Guid.NewGuid();
        var first = DriftedChunk(batch, 0, random);
        var second = DriftedChunk(batch, 1, random);

        await Host.DeliverAsync(first);
        await Host.DeliverAsync(second);
        Assert.Empty(Host.PublishedSoFar<ScoringFellBackToRules>());

        await Host.DeliverAsync(Manifest(batch, openChunks: 2, openDeals: 500));
        await Host.DeliverAsync(Manifest(batch, openChunks: 2, openDeals: 500));
        await Host.DeliverAsync(second);
        var next = DriftedChunk(Guid.NewGuid(), 0, random);
        await Host.DeliverAsync(next);

        Assert.Equal(("model", TrainingData.Model.ModelVersion), ScorerOf(first));
        Assert.All(Host.ScoredSoFar(message => message.CorrelationId == second.CorrelationId), scored => Assert.Equal("model", scored.Scorer));
        Assert.Equal(("rules", null), ScorerOf(next));
        var fallback = Assert.Single(Host.PublishedSoFar<ScoringFellBackToRules>());
        Assert.Equal(TrainingData.Model.ModelVersion, fallback.ModelVersion);
        Assert.Contains(fallback.Drift, drift => drift.Feature == "days_since_last_activity" && drift.Psi > 0.25);
        Assert.Contains("across the batch of 2025-06-30 (500 open deals)", fallback.Reason);
        Assert.Single(Host.PublishedSoFar<OperatorAlertRaised>(), alert => alert.Kind == "scoring-drift");
        var retrain = Assert.Single(Host.SentSoFar<RetrainModel>());
        Assert.Equal(new DateOnly(2025, 6, 30), retrain.AsOf);
        var judged = Host.PublishedSoFar<TrackRecordUpdated>().Last(t => t.BatchId == batch);
        Assert.Contains(judged.Drift, d => d is { Feature: "days_since_last_activity", State: FeatureDriftState.States.Shifted });
        Assert.Equal(0, await Host.Store.DriftParts.CountAsync("batchId", batch));
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_drifted_slice_of_an_ordinary_batch_is_judged_with_the_whole_batch_so_the_model_stays_served()
    {
        await ServeAsync(TrainingData.Model);
        var random = new Random(5);
        var batch = Guid.NewGuid();
        // In key order the first chunk can be one CRM's oldest deals: far from the book the model serves, though the book is not.
        var chunks = new List<FeaturesComputed> { DriftedChunk(batch, 0, random, deals: 250) };
        chunks.AddRange(TrainingData.Examples(4000, seed: 11).Select(e => e.Vector).Chunk(1000)
            .Select((vectors, i) => Computed(vectors) with { Batch = new BatchChunk { BatchId = batch, AsOf = new DateOnly(2025, 6, 30), ChunkIndex = i + 1 } }));
        var alone = TrainingData.Model;
        var monitor = Host.Services.GetRequiredService<DriftMonitor>();
        Assert.NotEmpty(DriftMonitor.Shifted(monitor.Measure(alone, monitor.Tally(alone, chunks[0]))));

        foreach (var chunk in chunks)
            await Host.DeliverAsync(chunk);
        await Host.DeliverAsync(Manifest(batch, openChunks: chunks.Count, openDeals: chunks.Sum(c => c.Deals.Count)));
        var next = Computed(TrainingData.Examples(300, seed: 12).Select(e => e.Vector).ToArray()) with { Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = new DateOnly(2025, 7, 1), ChunkIndex = 0 } };
        await Host.DeliverAsync(next);

        Assert.All(chunks, chunk => Assert.Equal(("model", TrainingData.Model.ModelVersion), ScorerOf(chunk)));
        Assert.Equal(("model", TrainingData.Model.ModelVersion), ScorerOf(next));
        Assert.Empty(Host.PublishedSoFar<ScoringFellBackToRules>());
        Assert.Empty(Host.SentSoFar<RetrainModel>());
        var judged = Host.PublishedSoFar<TrackRecordUpdated>().Last(t => t.BatchId == batch);
        Assert.NotEmpty(judged.Drift);
        Assert.DoesNotContain(judged.Drift, d => d.State == FeatureDriftState.States.Shifted);
        Host.AssertNoFaults();
    }

    private static FeaturesComputed DriftedChunk(Guid batch, int index, Random random, int deals = 250) => Computed(Enumerable.Range(0, deals)
        .Select(i => Vector(Deal(id: $"DR-{batch:N}-{index}-{i}"), ("days_since_last_activity", 100 + random.Next(0, 50)), ("close_date_pushes", random.Next(0, 5)),
            ("contact_count", random.Next(1, 6)), ("deal_age_days", random.Next(5, 120)), ("amount", 20_000)))
        .ToArray()) with { Batch = new BatchChunk { BatchId = batch, AsOf = new DateOnly(2025, 6, 30), ChunkIndex = index } };

    private static DailyBatchSynced Manifest(Guid batch, int openChunks, int openDeals) => new()
    {
        BatchId = batch, CorrelationId = Guid.NewGuid(), AsOf = new DateOnly(2025, 6, 30), Trigger = "test", HistoryChunkCount = 0, OpenChunkCount = openChunks,
        HistoryDeals = 0, OpenDeals = openDeals, SyncedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task A_served_model_that_no_longer_beats_the_rules_on_newly_closed_deals_hands_over_to_the_rules()
    {
        await ServeAsync(TrainingData.Model);
        var reversed = TrainingData.Examples(400, seed: 9)
            .Select(example => example with { Lost = !example.Lost, At = example.At.AddYears(2), ClosedAt = example.ClosedAt.AddYears(2) })
            .ToList();

        await Host.DeliverAsync(new TrainingSetChunk { CorrelationId = Guid.NewGuid(), ChunkIndex = 0, ChunkCount = 1, FeatureNames = Names, Examples = reversed });

        var fallback = Assert.Single(Host.PublishedSoFar<ScoringFellBackToRules>());
        Assert.Equal(TrainingData.Model.ModelVersion, fallback.ModelVersion);
        Assert.Contains("fell below the rules", fallback.Reason);
        Assert.Single(Host.PublishedSoFar<OperatorAlertRaised>(), alert => alert.Kind == "scoring-degraded");
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_training_set_arriving_in_chunks_is_trained_once_kept_and_promoted_through_the_gate()
    {
        var correlationId = Guid.NewGuid();
        var examples = TrainingData.Examples(800);
        for (var index = 0; index < 3; index++)
        {
            await Host.DeliverAsync(new TrainingSetChunk
            {
                CorrelationId = correlationId,
                ChunkIndex = index,
                ChunkCount = 3,
                FeatureNames = Names,
                Examples = examples.Skip(index * 300).Take(300).ToList(),
            });
        }

        var trained = Assert.Single(Host.PublishedSoFar<ModelTrained>(), message => message.CorrelationId == correlationId);
        var promoted = Assert.Single(Host.PublishedSoFar<ModelPromoted>(), message => message.CorrelationId == correlationId);
        Assert.Equal(("model", promoted.ModelVersion), (trained.Served, trained.ServedModelVersion));
        Assert.Equal(2, trained.Candidates.Count);
        Assert.NotEmpty(promoted.FeatureImportances);
        Assert.Equal(2, await Host.Store.Models.CountAsync());
        Assert.Equal(promoted.ModelVersion, (await Host.Store.ServedChoice.GetAsync(ScoreStore.CurrentChoiceId))!.ModelVersion);
        var folder = Host.Services.GetRequiredService<ModelReportWriter>().DirectoryOf(promoted.ModelVersion);
        Assert.True(File.Exists(Path.Combine(folder, ModelReportWriter.ImportanceCsvFile)));
        Assert.True(new FileInfo(Path.Combine(folder, ModelReportWriter.ImportancePngFile)).Length > 1000);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_training_run_that_fails_part_way_releases_its_claim_so_the_redelivery_trains_promotes_and_announces()
    {
        var reports = Host.Services.GetRequiredService<ModelReportWriter>();
        var modelDirectory = Path.GetDirectoryName(reports.DirectoryOf("any"))!;
        if (Directory.Exists(modelDirectory))
            Directory.Delete(modelDirectory, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(modelDirectory)!);
        await File.WriteAllTextAsync(modelDirectory, "a file where the model directory should be: nothing can be written under it");
        var chunk = new TrainingSetChunk { CorrelationId = Guid.NewGuid(), ChunkIndex = 0, ChunkCount = 1, FeatureNames = Names, Examples = TrainingData.Examples(800) };

        await Host.DeliverAsync(chunk);

        Assert.NotEmpty(Host.Harness.Consumed.Select<TrainingSetChunk>(consumed => consumed.Exception is not null, DealRisk.Testing.HarnessDeliveries.Now));
        Assert.Empty(Host.PublishedSoFar<ModelTrained>());
        Assert.Null(await Host.Store.TrainingClaims.GetAsync(chunk.CorrelationId.ToString("N")));

        File.Delete(modelDirectory);
        await Host.DeliverAsync(chunk);

        var trained = Assert.Single(Host.PublishedSoFar<ModelTrained>(), message => message.CorrelationId == chunk.CorrelationId);
        var promoted = Assert.Single(Host.PublishedSoFar<ModelPromoted>(), message => message.CorrelationId == chunk.CorrelationId);
        Assert.Equal(promoted.ModelVersion, trained.ServedModelVersion);
        Assert.True(File.Exists(Path.Combine(reports.DirectoryOf(promoted.ModelVersion), ModelReportWriter.MetricsFile)));
        Assert.Equal(0, await Host.Store.TrainingChunks.CountAsync("correlationId", chunk.CorrelationId));
    }

    private (string Scorer, string? ModelVersion) ScorerOf(FeaturesComputed computed)
    {
        var scored = Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId));
        return (scored.Scorer, scored.ModelVersion);
    }

    private string ScoredByOf(FeaturesComputed computed) => Assert.Single(Host.ScoredSoFar(message => message.CorrelationId == computed.CorrelationId)).ScoredBy ?? "";

    [Fact]
    public async Task A_claim_left_by_a_replica_that_died_mid_training_expires_so_the_redelivered_run_trains_promotes_and_announces()
    {
        var chunk = new TrainingSetChunk { CorrelationId = Guid.NewGuid(), ChunkIndex = 0, ChunkCount = 1, FeatureNames = Names, Examples = TrainingData.Examples(800) };
        var runId = chunk.CorrelationId.ToString("N");
        var killedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        await Host.Store.TrainingClaims.InsertIfAbsentAsync(runId, new TrainingClaim { At = killedAt, Owner = "killed-replica", LeaseUntil = killedAt.AddMinutes(2) });

        await Host.DeliverAsync(chunk);

        var trained = Assert.Single(Host.PublishedSoFar<ModelTrained>(), message => message.CorrelationId == chunk.CorrelationId);
        Assert.Single(Host.PublishedSoFar<ModelPromoted>(), message => message.CorrelationId == chunk.CorrelationId);
        Assert.Equal("model", trained.Served);
        var claim = (await Host.Store.TrainingClaims.GetAsync(runId))!;
        Assert.True(claim.Finished);
        Assert.NotEqual("killed-replica", claim.Owner);
        Host.AssertNoFaults();
    }

    [Fact]
    public async Task A_run_whose_claim_is_held_by_a_live_replica_is_not_trained_twice_but_retried_and_a_finished_run_redelivered_is_a_no_op()
    {
        var chunk = new TrainingSetChunk { CorrelationId = Guid.NewGuid(), ChunkIndex = 0, ChunkCount = 1, FeatureNames = Names, Examples = TrainingData.Examples(800) };
        var runId = chunk.CorrelationId.ToString("N");
        var live = new TrainingClaim { At = DateTimeOffset.UtcNow, Owner = "live-replica", LeaseUntil = DateTimeOffset.UtcNow.AddMinutes(10) };
        await Host.Store.TrainingClaims.InsertIfAbsentAsync(runId, live);

        await Host.DeliverAsync(chunk);

        Assert.Contains(Host.Harness.Consumed.Select<TrainingSetChunk>(consumed => consumed.Exception is TrainingRunInProgressException, DealRisk.Testing.HarnessDeliveries.Now),
            consumed => consumed.Context.Message.CorrelationId == chunk.CorrelationId);
        Assert.DoesNotContain(Host.PublishedSoFar<ModelTrained>(), message => message.CorrelationId == chunk.CorrelationId);
        Assert.Equal("live-replica", (await Host.Store.TrainingClaims.GetAsync(runId))!.Owner);

        await Host.Store.TrainingClaims.UpsertAsync(runId, live with { LeaseUntil = null, Finished = true });
        await Host.DeliverAsync(chunk);

        Assert.DoesNotContain(Host.PublishedSoFar<ModelTrained>(), message => message.CorrelationId == chunk.CorrelationId);
        Assert.Single(Host.Harness.Consumed.Select<TrainingSetChunk>(consumed => consumed.Exception is null, DealRisk.Testing.HarnessDeliveries.Now),
            consumed => consumed.Context.Message.CorrelationId == chunk.CorrelationId);
    }

    [Fact]
    public async Task A_training_lease_is_renewed_while_the_run_lasts_and_cleared_when_it_finishes()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Microsoft.Extensions.Options.Options.Create(new ScoringOptions { TrainingLease = TimeSpan.FromMinutes(3) });
        var claims = new TrainingRunClaims(Host.Store, options, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<TrainingRunClaims>.Instance);
        var runId = Guid.NewGuid().ToString("N");

        await using var lease = await claims.TryClaimAsync(runId, CancellationToken.None);
        Assert.NotNull(lease);
        var claimedUntil = (await Host.Store.TrainingClaims.GetAsync(runId))!.LeaseUntil;

        DateTimeOffset? renewedUntil = claimedUntil;
        for (var tick = 0; tick < 100 && renewedUntil == claimedUntil; tick++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
            renewedUntil = (await Host.Store.TrainingClaims.GetAsync(runId))!.LeaseUntil;
        }
        Assert.True(renewedUntil > claimedUntil, $"The lease stayed at {claimedUntil:O}.");
        await Assert.ThrowsAsync<TrainingRunInProgressException>(() => claims.TryClaimAsync(runId, CancellationToken.None));

        await lease!.FinishAsync(CancellationToken.None);

        var finished = (await Host.Store.TrainingClaims.GetAsync(runId))!;
        Assert.True(finished.Finished);
        Assert.Null(finished.LeaseUntil);
        Assert.Null(await claims.TryClaimAsync(runId, CancellationToken.None));
    }

    [Fact]
    public async Task Of_replicas_handing_the_same_model_over_to_the_rules_at_once_exactly_one_does()
    {
        for (var round = 0; round < 10; round++)
        {
            await ServeAsync(TrainingData.Model);
            var replicas = Enumerable.Range(0, 8)
                .Select(_ => new ServedModels(Host.Store, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ServedModels>.Instance))
                .ToList();
            using var start = new ManualResetEventSlim();

            var handing = replicas.Select(replica => Task.Run(() =>
            {
                start.Wait();
                return replica.ServeRulesInsteadOfAsync(TrainingData.Model.ModelVersion, "drift", CancellationToken.None);
            })).ToList();
            start.Set();
            var handedOver = await Task.WhenAll(handing);

            Assert.Single(handedOver, handed => handed);
            Assert.Null((await Host.Store.ServedChoice.GetAsync(ScoreStore.CurrentChoiceId))!.ModelVersion);
        }
    }

    private async Task ServeAsync(ModelRecord model)
    {
        await Host.Store.Models.UpsertAsync(model.ModelVersion, model);
        await Host.Services.GetRequiredService<ServedModels>().ServeAsync(model, "test", CancellationToken.None);
    }
}
