using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Storage;
using DealRisk.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DealRisk.Ingestion.Tests;

public sealed class LatestScoresTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 2, 14, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly SqliteDocumentStore _store;

    public LatestScoresTests() => _store = new SqliteDocumentStore(Path.Combine(_directory.Path, "ingestion.db"));

    [Fact]
    public async Task Of_an_older_and_a_newer_score_saved_at_once_by_two_replicas_the_newer_is_kept_every_time()
    {
        var replicas = new[] { new LatestScores(_store, NullLogger<LatestScores>.Instance), new LatestScores(_store, NullLogger<LatestScores>.Instance) };
        for (var round = 0; round < 40; round++)
        {
            var dealId = $"D-{round}";
            var older = Scored(dealId, Morning, dealVersion: 3, score: 20);
            var newer = Scored(dealId, Morning.AddMinutes(1), dealVersion: 3, score: 90);

            await Task.WhenAll(Task.Run(() => replicas[0].SaveNewerAsync(newer, CancellationToken.None)), Task.Run(() => replicas[1].SaveNewerAsync(older, CancellationToken.None)));

            Assert.Equal(90, (await replicas[0].GetAsync("hubspot", dealId, CancellationToken.None))!.Score.Score);
        }
    }

    [Fact]
    public async Task A_later_deal_version_is_newer_whatever_its_as_of_and_the_same_version_only_with_a_later_as_of()
    {
        var scores = new LatestScores(_store, NullLogger<LatestScores>.Instance);

        Assert.Equal(1, await scores.SaveNewerAsync(Scored("D-1", Morning, dealVersion: 4, score: 40), CancellationToken.None));
        Assert.Equal(0, await scores.SaveNewerAsync(Scored("D-1", Morning.AddDays(1), dealVersion: 3, score: 10), CancellationToken.None));
        Assert.Equal(0, await scores.SaveNewerAsync(Scored("D-1", Morning.AddMinutes(-1), dealVersion: 4, score: 10), CancellationToken.None));
        Assert.Equal(1, await scores.SaveNewerAsync(Scored("D-1", Morning.AddMinutes(-5), dealVersion: 5, score: 60), CancellationToken.None));

        var kept = await scores.GetAsync("hubspot", "D-1", CancellationToken.None);
        Assert.Equal((60, 5L), (kept!.Score.Score, kept.Score.Deal.Version));
    }

    [Fact]
    public async Task A_scored_batch_chunk_fills_the_latest_scores_and_delivered_again_changes_nothing()
    {
        var scores = new LatestScores(_store, NullLogger<LatestScores>.Instance);
        var chunk = Chunk(Morning, Enumerable.Range(0, 300).Select(i => Score($"D-{i}", dealVersion: 2, score: i % 100)).ToList());

        Assert.Equal(300, await scores.SaveNewerAsync(chunk.ReadScores().All(), chunk.AsOf, CancellationToken.None));
        Assert.Equal(0, await scores.SaveNewerAsync(chunk.ReadScores().All(), chunk.AsOf, CancellationToken.None));

        var kept = await scores.GetAsync("hubspot", "D-142", CancellationToken.None);
        Assert.Equal((42, 2L, Morning), (kept!.Score.Score, kept.Score.Deal.Version, kept.AsOf));
    }

    [Fact]
    public async Task A_real_time_score_newer_than_the_batch_wins_whichever_is_stored_first()
    {
        var scores = new LatestScores(_store, NullLogger<LatestScores>.Instance);
        var batch = Chunk(Morning, [Score("D-1", dealVersion: 3, score: 30), Score("D-2", dealVersion: 3, score: 30)]);
        var rescoredLater = Scored("D-1", Morning.AddHours(2), dealVersion: 3, score: 80);
        var changedDeal = Scored("D-2", Morning.AddMinutes(-30), dealVersion: 4, score: 90);

        await scores.SaveNewerAsync(rescoredLater, CancellationToken.None);
        await scores.SaveNewerAsync(batch.ReadScores().All(), batch.AsOf, CancellationToken.None);
        await scores.SaveNewerAsync(changedDeal, CancellationToken.None);
        await scores.SaveNewerAsync(batch.ReadScores().All(), batch.AsOf, CancellationToken.None);

        Assert.Equal(80, (await scores.GetAsync("hubspot", "D-1", CancellationToken.None))!.Score.Score);
        Assert.Equal(90, (await scores.GetAsync("hubspot", "D-2", CancellationToken.None))!.Score.Score);
    }

    [Fact]
    public async Task A_score_with_reasons_factors_trigger_and_movement_reads_back_as_it_was_published()
    {
        var scores = new LatestScores(_store, NullLogger<LatestScores>.Instance);
        var asOf = new DateTimeOffset(2026, 11, 2, 7, 0, 0, TimeSpan.FromHours(-8));
        var score = Score("D-9", dealVersion: 7, score: 81) with
        {
            Reasons = ["No activity for 31 days", "Close date pushed 3 times"],
            Factors =
            [
                new ScoreReason { Signal = "days_since_last_activity", Value = 31, Points = 25, Rule = "stale-activity" },
                new ScoreReason { Signal = "close_date_pushes", Value = null, Points = 15 },
            ],
            ModelVersion = "fasttree-1",
            Trigger = new ScoreTrigger { Kind = ScoreTrigger.CrmChangeKind, Source = "hubspot-webhook", EventId = "e-1", At = asOf },
            Movement = new ScoreMovement
            {
                PreviousScore = 40, PreviousLevel = "MEDIUM", PreviousAsOf = asOf.AddDays(-1), Delta = 41,
                Added = [new SignalMovement { Signal = "close_date_pushes", To = 3 }], Removed = [], Changed = [], Summary = "Up 41 to CRITICAL",
            },
        };

        await scores.SaveNewerAsync([score], asOf, CancellationToken.None);
        var kept = await scores.GetAsync("hubspot", "D-9", CancellationToken.None);

        Assert.Equal(asOf, kept!.AsOf);
        Assert.Equal(asOf.Offset, kept.AsOf.Offset);
        Assert.Equivalent(score, kept.Score, strict: true);
    }

    [Fact]
    public async Task Upgrading_a_store_that_kept_latest_scores_as_bson_documents_moves_them_and_the_newer_score_still_wins()
    {
        var legacy = _store.GetCollection<LatestScore>(LatestScores.LegacyCollection);
        var old = new LatestScore(Morning, Score("D-1", dealVersion: 5, score: 55));
        var older = new LatestScore(Morning, Score("D-2", dealVersion: 5, score: 10));
        await legacy.UpsertIfNewerAsync("hubspot:D-1", LatestScores.Recency(old), old);
        await legacy.UpsertIfNewerAsync("hubspot:D-2", LatestScores.Recency(older), older);
        var scores = new LatestScores(_store, NullLogger<LatestScores>.Instance);
        await scores.SaveNewerAsync(Scored("D-2", Morning.AddHours(1), dealVersion: 5, score: 70), CancellationToken.None);

        await scores.MigrateAsync(CancellationToken.None);

        Assert.Equal(55, (await scores.GetAsync("hubspot", "D-1", CancellationToken.None))!.Score.Score);
        Assert.Equal(70, (await scores.GetAsync("hubspot", "D-2", CancellationToken.None))!.Score.Score);
        Assert.Equal(0, await legacy.CountAsync());
    }

    private static DealChunkScored Chunk(DateTimeOffset asOf, IReadOnlyList<DealRiskScore> scores) => DealChunkScored.Of(new DealScored
    {
        CorrelationId = Guid.NewGuid(),
        AsOf = asOf,
        Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = DateOnly.FromDateTime(asOf.UtcDateTime), ChunkIndex = 0 },
        Scorer = "rules",
        Scores = scores,
    });

    private static DealRiskScore Score(string dealId, long dealVersion, int score) => new()
    {
        Deal = new DealProfile { Source = "hubspot", ExternalId = dealId, Version = dealVersion, Stage = "Demo", DaysInStage = 12, Amount = 1200.50m },
        Score = score,
        Level = score >= 75 ? "CRITICAL" : "LOW",
        Reasons = ["test"],
        Action = "none",
        Scorer = "rules",
    };

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private static DealScored Scored(string dealId, DateTimeOffset asOf, long dealVersion, int score) => new()
    {
        CorrelationId = Guid.NewGuid(),
        AsOf = asOf,
        Scorer = "rules",
        Scores =
        [
            new DealRiskScore
            {
                Deal = new DealProfile { Source = "hubspot", ExternalId = dealId, Version = dealVersion, Stage = "Demo" },
                Score = score,
                Level = score >= 75 ? "CRITICAL" : "LOW",
                Reasons = ["test"],
                Action = "none",
                Scorer = "rules",
            },
        ],
    };
}
