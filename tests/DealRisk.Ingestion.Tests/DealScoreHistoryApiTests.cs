using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.SkyGeniCsv;

namespace DealRisk.Ingestion.Tests;

/// <summary>The API reads each deal's history from scoring over the bus: here scoring's own history and responder on the test bus.</summary>
public sealed class DealScoreHistoryApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 14, 0, 0, TimeSpan.Zero);
    private readonly IngestionApiFactory _factory = new();
    private HttpClient _client = null!;
    private IScoreHistory _scoring = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateAuthorizedClient();
        _scoring = _factory.Services.GetRequiredService<IScoreHistory>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task The_score_history_is_newest_first_with_exactly_the_named_fields_and_a_movement_after_the_first()
    {
        await ImportAsync();
        var change = new DealChange { At = Monday.AddHours(2), Field = DealFields.Stage, From = DealStages.Proposal, To = DealStages.Demo };
        await _scoring.RecordAsync(Scored(Monday, 40, RiskLevels.Medium, 1, ScoreTrigger.ForBatch(new BatchChunk { BatchId = Guid.NewGuid(), AsOf = new DateOnly(2026, 11, 2), ChunkIndex = 0 }, Monday), null));
        await _scoring.RecordAsync(Scored(Monday.AddHours(3), 78, RiskLevels.Critical, 2,
            new ScoreTrigger { Kind = ScoreTrigger.CrmChangeKind, Source = "hubspot-webhook", EventId = "delivery-1", At = Monday.AddHours(3), Changes = [change] },
            new ScoreMovement
            {
                PreviousScore = 40, PreviousLevel = RiskLevels.Medium, PreviousAsOf = Monday, Delta = 38,
                Added = [new SignalMovement { Signal = "stage_regressions", Reason = "Moved back a stage", To = 1, PointsTo = 10 }],
                Removed = [], Changed = [], Changes = [change],
                Summary = "Up 38 to CRITICAL: moved back a stage (new), moved back from Proposal to Demo on Nov 2",
            }));

        var response = await _client.GetAsync("/deals/skygeni/D00002/scores");
        response.EnsureSuccessStatusCode();
        var entries = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        Assert.Equal([78, 40], entries.Select(entry => entry.GetProperty("score").GetInt32()));
        Assert.All(entries, entry => Assert.Equal(
            ["score", "level", "stage", "dealVersion", "scorer", "reasons", "trigger", "movement"],
            entry.EnumerateObject().Select(property => property.Name)));
        Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("movement").ValueKind);
        Assert.Equal("batch", entries[1].GetProperty("trigger").GetProperty("kind").GetString());

        var movement = entries[0].GetProperty("movement");
        Assert.Equal(["previousScore", "previousLevel", "added", "removed", "changes", "summary"], movement.EnumerateObject().Select(property => property.Name));
        Assert.Equal((40, "MEDIUM"), (movement.GetProperty("previousScore").GetInt32(), movement.GetProperty("previousLevel").GetString()));
        Assert.Equal("stage_regressions", movement.GetProperty("added")[0].GetProperty("signal").GetString());
        var changed = Assert.Single(movement.GetProperty("changes").EnumerateArray());
        Assert.Equal(["field", "from", "to", "at"], changed.EnumerateObject().Select(property => property.Name));
        Assert.Equal(("stage", "Proposal", "Demo"), (changed.GetProperty("field").GetString(), changed.GetProperty("from").GetString(), changed.GetProperty("to").GetString()));
        Assert.StartsWith("Up 38 to CRITICAL", movement.GetProperty("summary").GetString());
        var trigger = entries[0].GetProperty("trigger");
        Assert.Equal(("crm-change", "hubspot-webhook", "delivery-1"), (trigger.GetProperty("kind").GetString(), trigger.GetProperty("source").GetString(), trigger.GetProperty("eventId").GetString()));
        var reason = entries[0].GetProperty("reasons")[0];
        Assert.Equal(("Moved back a stage", "stage_regressions", 10.0), (reason.GetProperty("text").GetString(), reason.GetProperty("signal").GetString(), reason.GetProperty("points").GetDouble()));
    }

    [Fact]
    public async Task A_redelivered_score_is_kept_once()
    {
        await ImportAsync();
        var scored = Scored(Monday, 40, RiskLevels.Medium, 1, null, null);
        await _scoring.RecordAsync(scored);
        await _scoring.RecordAsync(scored with { CorrelationId = NewId.NextGuid() });

        var entries = await _client.GetFromJsonAsync<JsonElement>("/deals/skygeni/D00002/scores");
        Assert.Equal(1, entries.GetArrayLength());
    }

    [Fact]
    public async Task The_score_history_needs_the_api_key_and_an_unknown_deal_is_not_found()
    {
        using var anonymous = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/deals/skygeni/D00002/scores")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/deals/skygeni/NOPE/scores")).StatusCode);
    }

    [Fact]
    public async Task When_scoring_does_not_answer_in_time_the_history_is_503_with_retry_after_and_no_hang()
    {
        await using var factory = new IngestionApiFactory { ScoringAnswers = false, ScoreHistoryTimeout = TimeSpan.FromMilliseconds(500) };
        using var client = factory.CreateAuthorizedClient();
        var import = await client.PostAsync("/imports?format=skygeni",
            new StringContent(File(Row("D00002", closed: "", stage: "Demo", outcome: "", amount: "", rep: "", industry: "", region: "")), System.Text.Encoding.UTF8, "text/csv"));
        import.EnsureSuccessStatusCode();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.GetAsync("/deals/skygeni/D00002/scores");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("did not answer in time", await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task The_deal_and_its_history_both_come_from_scoring_a_score_published_to_ingestion_is_not_kept_there()
    {
        await ImportAsync();
        await _scoring.RecordAsync(Scored(Monday, 40, RiskLevels.Medium, 1, null, null));
        await _factory.Services.GetRequiredService<MassTransit.IBus>().Publish(Scored(Monday.AddHours(1), 90, RiskLevels.Critical, 2, null, null));

        var deal = await _client.GetFromJsonAsync<JsonElement>("/deals/skygeni/D00002");
        var history = await _client.GetFromJsonAsync<JsonElement>("/deals/skygeni/D00002/scores");

        Assert.Equal(40, deal.GetProperty("latestScore").GetProperty("score").GetInt32());
        Assert.Equal([40], history.EnumerateArray().Select(entry => entry.GetProperty("score").GetInt32()));
        Assert.Empty(_factory.Services.GetRequiredService<MassTransit.Testing.ITestHarness>().Consumed.Select<DealScored>(HarnessDeliveries.Now));
    }

    private static DealScored Scored(DateTimeOffset asOf, int score, string level, long version, ScoreTrigger? trigger, ScoreMovement? movement) => new()
    {
        CorrelationId = NewId.NextGuid(),
        AsOf = asOf,
        Scorer = "rules",
        Scores =
        [
            new DealRiskScore
            {
                Deal = new DealProfile { Source = "skygeni", ExternalId = "D00002", Version = version, Stage = DealStages.Demo },
                Score = score,
                Level = level,
                Reasons = ["Moved back a stage"],
                Factors = [new ScoreReason { Signal = "stage_regressions", Value = 1, Points = 10, Rule = "stage-regressed" }],
                Action = "Executive sponsor call",
                Scorer = "rules",
                Trigger = trigger,
                Movement = movement,
            },
        ],
    };

    private async Task ImportAsync()
    {
        var response = await _client.PostAsync("/imports?format=skygeni",
            new StringContent(File(Row("D00002", closed: "", stage: "Demo", outcome: "", amount: "", rep: "", industry: "", region: "")), System.Text.Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
    }
}
