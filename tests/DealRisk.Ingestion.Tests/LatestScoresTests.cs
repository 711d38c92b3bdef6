using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Storage;
using DealRisk.Testing;

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
        var replicas = new[] { new LatestScores(_store), new LatestScores(_store) };
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
        var scores = new LatestScores(_store);

        Assert.Equal(1, await scores.SaveNewerAsync(Scored("D-1", Morning, dealVersion: 4, score: 40), CancellationToken.None));
        Assert.Equal(0, await scores.SaveNewerAsync(Scored("D-1", Morning.AddDays(1), dealVersion: 3, score: 10), CancellationToken.None));
        Assert.Equal(0, await scores.SaveNewerAsync(Scored("D-1", Morning.AddMinutes(-1), dealVersion: 4, score: 10), CancellationToken.None));
        Assert.Equal(1, await scores.SaveNewerAsync(Scored("D-1", Morning.AddMinutes(-5), dealVersion: 5, score: 60), CancellationToken.None));

        var kept = await scores.GetAsync("hubspot", "D-1", CancellationToken.None);
        Assert.Equal((60, 5L), (kept!.Score.Score, kept.Score.Deal.Version));
    }

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
