using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Contracts.Json;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.AllInOne.Tests;

/// <summary>A changed deal goes through ingestion, features, scoring and back to <c>GET /deals</c>'s latest score (asked of scoring over the bus) in one process.</summary>
public sealed class RealTimeRescoreTests : IAsyncLifetime
{
    private EmbeddedRun _run = null!;

    public async Task InitializeAsync() => _run = await EmbeddedRun.StartAsync("realtime");

    public async Task DisposeAsync() => await _run.DisposeAsync();

    [Fact]
    public async Task A_stage_move_the_CRM_dated_two_seconds_ahead_of_our_clock_is_scored_on_the_new_stage()
    {
        var now = DateTimeOffset.UtcNow;
        var created = now.AddDays(-45);
        var negotiating = new DealSnapshot
        {
            Source = "crm",
            ExternalId = "RT-1",
            Version = 1,
            Name = "Acme expansion",
            Amount = 20_000m,
            Stage = DealStages.Negotiation,
            CreatedAt = created,
            CloseDate = DateOnly.FromDateTime(now.AddDays(30).UtcDateTime),
            NextStep = "Pricing call",
            NextStepUpdatedAt = now.AddDays(-2),
            LastActivityAt = now.AddDays(-1),
            ContactCount = 3,
            History =
            [
                new DealChange { At = created, Field = DealFields.Stage, To = DealStages.Qualified },
                new DealChange { At = now.AddDays(-30), Field = DealFields.Stage, From = DealStages.Qualified, To = DealStages.Negotiation },
            ],
        };
        var movedBack = negotiating with
        {
            Stage = DealStages.Demo,
            History = [.. negotiating.History, new DealChange { At = now.AddSeconds(2), Field = DealFields.Stage, From = DealStages.Negotiation, To = DealStages.Demo }],
        };

        await ImportAsync(negotiating);
        var before = await LatestScoreAsync(version: 1);
        await ImportAsync(movedBack);
        var after = await LatestScoreAsync(version: 2);

        Assert.Equal((DealStages.Negotiation, 30), (before.Stage, before.DaysInStage));
        Assert.Equal((DealStages.Demo, 0), (after.Stage, after.DaysInStage));
        Assert.True(after.AsOf >= TruncatedToMilliseconds(now.AddSeconds(2)), $"Scored as of {after.AsOf:O}, before the change it includes ({now.AddSeconds(2):O}).");
        Assert.Contains("Moved back a stage", after.Reasons);
        Assert.Contains(after.Reasons, reason => reason.StartsWith("Demo stage", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Reasons, reason => reason.Contains(DealStages.Negotiation, StringComparison.Ordinal));
        Assert.False(string.IsNullOrWhiteSpace(after.Action));
    }

    /// <summary>Change times are stored to the millisecond, so a rescore that includes the change is dated no earlier than that.</summary>
    private static DateTimeOffset TruncatedToMilliseconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private async Task ImportAsync(DealSnapshot deal)
    {
        var file = Path.Combine(_run.Root, $"{deal.ExternalId}-{deal.Stage}.jsonl");
        await using (var stream = File.Create(file))
            await DealJsonLines.WriteAsync([deal], stream);
        var result = await _run.ImportAsync(file, DealJsonLinesFormat.FormatName);
        Assert.Equal(1, result.Created + result.Updated);
    }

    private async Task<HistoricScore> LatestScoreAsync(long version)
    {
        await using var scope = _run.Host.Services.CreateAsyncScope();
        var scoring = scope.ServiceProvider.GetRequiredService<ScoreHistoryClient>();
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await scoring.GetLatestAsync("crm", "RT-1", CancellationToken.None) is { Score: { } score } && score.DealVersion >= version)
                return score;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No score of version {version} of crm:RT-1 within a minute: the change was not rescored.");
    }
}
