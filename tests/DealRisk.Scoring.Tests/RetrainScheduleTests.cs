using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Scoring.Tests;

public sealed class RetrainScheduleTests
{
    private static readonly Dictionary<string, string?> Daily = new() { ["Scoring:RetrainEvery"] = "1.00:00:00" };

    [Fact]
    public async Task Two_replicas_ticking_in_the_same_interval_request_one_retrain_and_one_again_in_the_next()
    {
        await using var first = await ScoringHost.StartAsync(Daily);
        await using var second = await ScoringHost.StartAsync(Daily, first.DataDirectory);
        var replicas = new[] { first, second }.Select(host => host.Services.GetRequiredService<RetrainSchedule>()).ToList();
        var monday = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

        var today = await Task.WhenAll(replicas.Select((replica, i) => replica.RequestIfUnclaimedAsync(monday.AddMinutes(i * 7), CancellationToken.None)));
        var tomorrow = await Task.WhenAll(replicas.Select((replica, i) => replica.RequestIfUnclaimedAsync(monday.AddDays(1).AddMinutes(i * 7), CancellationToken.None)));

        Assert.Single(today, requested => requested);
        Assert.Single(tomorrow, requested => requested);
        var requests = first.SentSoFar<RetrainModel>().Concat(second.SentSoFar<RetrainModel>()).Where(r => r.Reason == "schedule").ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal([monday.Date, monday.AddDays(1).Date], requests.Select(r => r.RequestedAt.UtcDateTime.Date).Order());
    }
}
