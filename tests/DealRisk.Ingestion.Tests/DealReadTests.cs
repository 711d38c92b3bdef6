using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Ingestion.Batch;
using DealRisk.ScoreHistory;
using DealRisk.ServiceDefaults;
using DealRisk.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.SkyGeniCsv;

namespace DealRisk.Ingestion.Tests;

/// <summary>
/// <c>GET /deals/{source}/{externalId}</c>: the deal is ingestion's, its latest score scoring's, asked for over the bus
/// (here scoring's own history and responder on the test bus).
/// </summary>
public sealed class DealReadTests : IngestionApiTest
{
    private static readonly DateTimeOffset Tuesday = new(2026, 11, 3, 14, 0, 0, TimeSpan.Zero);

    private IScoreHistory Scoring => Factory.Services.GetRequiredService<IScoreHistory>();

    [Fact]
    public async Task A_deal_answers_with_its_history_its_data_quality_flags_and_no_score_before_it_is_scored()
    {
        await ImportAsync(Factory);

        var deal = await GetAsync("D00002");

        Assert.Equal("D00002", deal.GetProperty("externalId").GetString());
        Assert.True(deal.GetProperty("history").GetArrayLength() > 0);
        Assert.True(deal.GetProperty("dataQualityFlag").GetBoolean());
        // Judged only on the fields a SkyGeni export has: no next step, contacts or activity are asked of it.
        Assert.Equal(["amount", "owner", "industry", "region"], deal.GetProperty("missingFields").EnumerateArray().Select(field => field.GetString()));
        Assert.Equal(JsonValueKind.Null, deal.GetProperty("latestScore").ValueKind);
    }

    [Fact]
    public async Task The_newest_score_scoring_keeps_is_shown_with_the_deal_and_an_older_one_does_not_replace_it()
    {
        await ImportAsync(Factory);

        await Scoring.RecordAsync(Scored(Tuesday, 81, RiskLevels.Critical));
        await Scoring.RecordAsync(Scored(Tuesday.AddDays(-1), 20, RiskLevels.Low));

        var score = (await GetAsync("D00002")).GetProperty("latestScore");
        Assert.Equal(81, score.GetProperty("score").GetInt32());
        Assert.Equal(RiskLevels.Critical, score.GetProperty("level").GetString());
        Assert.Equal("Stalled in Demo", score.GetProperty("reasons")[0].GetString());
        Assert.Equal("rules", score.GetProperty("scorer").GetString());
        Assert.Equal("Executive sponsor call", score.GetProperty("action").GetString());
    }

    [Fact]
    public async Task The_latest_score_keeps_its_fields_and_says_which_deal_version_stage_and_days_in_stage_it_was_computed_on()
    {
        await ImportAsync(Factory);

        await Scoring.RecordAsync(Scored(Tuesday, 81, RiskLevels.Critical, version: 1, DealStages.Demo, daysInStage: 12));

        var score = (await GetAsync("D00002")).GetProperty("latestScore");
        Assert.Equal(
            ["score", "level", "reasons", "factors", "action", "scorer", "modelVersion", "contributions", "rawScore", "trigger", "movement", "asOf", "dealVersion", "stage", "daysInStage"],
            score.EnumerateObject().Select(property => property.Name));
        Assert.Equal(1, score.GetProperty("dealVersion").GetInt64());
        Assert.Equal(DealStages.Demo, score.GetProperty("stage").GetString());
        Assert.Equal(12, score.GetProperty("daysInStage").GetInt32());
        Assert.Equal(Tuesday, score.GetProperty("asOf").GetDateTimeOffset());
        var factor = Assert.Single(score.GetProperty("factors").EnumerateArray());
        Assert.Equal((RiskSignals.DaysInStageRatio, 15.0, "stalled-in-stage"), (factor.GetProperty("signal").GetString(), factor.GetProperty("points").GetDouble(), factor.GetProperty("rule").GetString()));
        Assert.Equal(ScoreTrigger.CrmChangeKind, score.GetProperty("trigger").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_score_of_a_later_deal_version_stays_latest_even_when_a_batch_of_the_older_version_has_a_later_as_of()
    {
        await ImportAsync(Factory);
        var realTime = Scored(Tuesday, 81, RiskLevels.Critical, version: 2, DealStages.Proposal, daysInStage: 0);
        var batchOfOlderVersion = Scored(Tuesday.AddHours(9), 20, RiskLevels.Low, version: 1, DealStages.Demo, daysInStage: 30);

        await Scoring.RecordAsync(realTime);
        await Scoring.RecordAsync(DealChunkScored.Of(batchOfOlderVersion with { Batch = Batch(batchOfOlderVersion.AsOf) }));

        var score = (await GetAsync("D00002")).GetProperty("latestScore");
        Assert.Equal((81, 2L, DealStages.Proposal), (score.GetProperty("score").GetInt32(), score.GetProperty("dealVersion").GetInt64(), score.GetProperty("stage").GetString()));
    }

    [Fact]
    public async Task When_scoring_does_not_answer_in_time_the_deal_is_503_with_retry_after_not_a_deal_that_looks_unscored()
    {
        await using var factory = new IngestionApiFactory { ScoringAnswers = false, ScoreHistoryTimeout = TimeSpan.FromMilliseconds(500) };
        using var client = factory.CreateAuthorizedClient();
        await ImportAsync(factory);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.GetAsync("/deals/skygeni/D00002");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Latest score unavailable", problem.GetProperty("title").GetString());
        Assert.Contains("did not answer in time", problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("latestScore", out _));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/deals/skygeni/NOPE")).StatusCode);
    }

    [Fact]
    public async Task A_scored_chunk_is_recorded_as_a_receipt_without_its_payload_being_read()
    {
        var chunk = DealChunkScored.Of(Scored(Tuesday, 64, RiskLevels.High) with { Batch = Batch(Tuesday) }) with { Payload = [0xde, 0xad, 0xbe, 0xef] };

        await Deliveries.DeliverAsync(chunk);
        await Deliveries.DeliverAsync(chunk with { CorrelationId = NewId.NextGuid() });

        Deliveries.AssertNoFaults();
        Assert.Equal(1, await Factory.Services.GetRequiredService<ScoredChunkReceipts>().CountAsync(chunk.Batch.BatchId, CancellationToken.None));
    }

    [Fact]
    public void The_queue_that_fed_ingestions_old_copy_of_the_latest_scores_is_deleted_at_start_up_on_RabbitMQ()
    {
        Assert.Contains("record-deal-scores", Factory.Services.GetServices<RetiredQueueNames>().SelectMany(retired => retired.Names));
        Assert.Contains(Factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), service => service is RetiredQueues);
    }

    private static BatchChunk Batch(DateTimeOffset asOf) =>
        new() { BatchId = NewId.NextGuid(), AsOf = DateOnly.FromDateTime(asOf.UtcDateTime), ChunkIndex = 0 };

    private static DealScored Scored(DateTimeOffset asOf, int score, string level, long version = 1, string stage = DealStages.Demo, int? daysInStage = null) => new()
    {
        CorrelationId = NewId.NextGuid(),
        AsOf = asOf,
        Scorer = "rules",
        Scores =
        [
            new DealRiskScore
            {
                Deal = new DealProfile { Source = "skygeni", ExternalId = "D00002", Version = version, Stage = stage, DaysInStage = daysInStage },
                Score = score,
                Level = level,
                Reasons = ["Stalled in Demo"],
                Factors = [new ScoreReason { Signal = RiskSignals.DaysInStageRatio, Value = 3.5, Points = 15, Rule = "stalled-in-stage" }],
                Action = "Executive sponsor call",
                Scorer = "rules",
            },
        ],
    };

    private static async Task ImportAsync(IngestionApiFactory factory)
    {
        using var client = factory.CreateAuthorizedClient();
        var response = await client.PostAsync("/imports?format=skygeni",
            new StringContent(File(Row("D00002", closed: "", stage: "Demo", outcome: "", amount: "", rep: "", industry: "", region: "")), System.Text.Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> GetAsync(string id) => await Client.GetFromJsonAsync<JsonElement>($"/deals/skygeni/{id}");
}
