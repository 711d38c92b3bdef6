using System.Net.Http.Json;
using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DealRisk.Ingestion.Tests.SkyGeniCsv;

namespace DealRisk.Ingestion.Tests;

public sealed class DealReadTests : IngestionApiTest
{
    [Fact]
    public async Task A_deal_answers_with_its_history_its_data_quality_flags_and_no_score_before_it_is_scored()
    {
        await ImportAsync();

        var deal = await GetAsync("D00002");

        Assert.Equal("D00002", deal.GetProperty("externalId").GetString());
        Assert.True(deal.GetProperty("history").GetArrayLength() > 0);
        Assert.True(deal.GetProperty("dataQualityFlag").GetBoolean());
        // Judged only on the fields a SkyGeni export has: no next step, contacts or activity are asked of it.
        Assert.Equal(["amount", "owner", "industry", "region"], deal.GetProperty("missingFields").EnumerateArray().Select(field => field.GetString()));
        Assert.Equal(JsonValueKind.Null, deal.GetProperty("latestScore").ValueKind);
    }

    [Fact]
    public async Task The_latest_score_published_by_scoring_is_shown_with_the_deal_and_an_older_one_does_not_replace_it()
    {
        await ImportAsync();
        var newer = Scored(new DateTimeOffset(2026, 11, 3, 14, 0, 0, TimeSpan.Zero), 81, RiskLevels.Critical);
        var older = Scored(new DateTimeOffset(2026, 11, 2, 14, 0, 0, TimeSpan.Zero), 20, RiskLevels.Low);

        await PublishAndWaitAsync(newer);
        await PublishAndWaitAsync(older);

        var score = (await GetAsync("D00002")).GetProperty("latestScore");
        Assert.Equal(81, score.GetProperty("score").GetInt32());
        Assert.Equal(RiskLevels.Critical, score.GetProperty("level").GetString());
        Assert.Equal("Stalled in Demo", score.GetProperty("reasons")[0].GetString());
        Assert.Equal("rules", score.GetProperty("scorer").GetString());
    }

    [Fact]
    public async Task The_latest_score_says_which_deal_version_stage_and_days_in_stage_it_was_computed_on()
    {
        await ImportAsync();

        await PublishAndWaitAsync(Scored(new DateTimeOffset(2026, 11, 3, 14, 0, 0, TimeSpan.Zero), 81, RiskLevels.Critical, version: 1, DealStages.Demo, daysInStage: 12));

        var score = (await GetAsync("D00002")).GetProperty("latestScore");
        Assert.Equal(1, score.GetProperty("dealVersion").GetInt64());
        Assert.Equal(DealStages.Demo, score.GetProperty("stage").GetString());
        Assert.Equal(12, score.GetProperty("daysInStage").GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 14, 0, 0, TimeSpan.Zero), score.GetProperty("asOf").GetDateTimeOffset());
        Assert.False(score.TryGetProperty("deal", out _));
        var factor = Assert.Single(score.GetProperty("factors").EnumerateArray());
        Assert.Equal((RiskSignals.DaysInStageRatio, 15.0, "stalled-in-stage"), (factor.GetProperty("signal").GetString(), factor.GetProperty("points").GetDouble(), factor.GetProperty("rule").GetString()));
    }

    [Fact]
    public async Task A_score_of_a_later_deal_version_stays_latest_even_when_a_batch_of_the_older_version_has_a_later_as_of()
    {
        await ImportAsync();
        var realTime = Scored(new DateTimeOffset(2026, 11, 3, 14, 0, 0, TimeSpan.Zero), 81, RiskLevels.Critical, version: 2, DealStages.Proposal, daysInStage: 0);
        var batchOfOlderVersion = Scored(new DateTimeOffset(2026, 11, 3, 23, 59, 59, TimeSpan.Zero), 20, RiskLevels.Low, version: 1, DealStages.Demo, daysInStage: 30);

        await PublishAndWaitAsync(realTime);
        await PublishChunkAndWaitAsync(batchOfOlderVersion);

        var score = (await GetAsync("D00002")).GetProperty("latestScore");
        Assert.Equal((81, 2L, DealStages.Proposal), (score.GetProperty("score").GetInt32(), score.GetProperty("dealVersion").GetInt64(), score.GetProperty("stage").GetString()));
    }

    private async Task PublishAndWaitAsync(DealScored scored)
    {
        await Deliveries.DeliverAsync(scored);
    }

    [Fact]
    public async Task A_batch_chunk_score_becomes_the_latest_score_of_a_deal_scored_only_by_the_batch()
    {
        await ImportAsync();

        await PublishChunkAndWaitAsync(Scored(new DateTimeOffset(2026, 11, 3, 23, 59, 59, TimeSpan.Zero), 64, RiskLevels.High, version: 1, DealStages.Demo, daysInStage: 30));

        var score = (await GetAsync("D00002")).GetProperty("latestScore");
        Assert.Equal((64, RiskLevels.High, 30), (score.GetProperty("score").GetInt32(), score.GetProperty("level").GetString(), score.GetProperty("daysInStage").GetInt32()));
        Assert.Equal(["Stalled in Demo"], score.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()));
    }

    private async Task PublishChunkAndWaitAsync(DealScored scored)
    {
        var chunk = DealChunkScored.Of(scored with { Batch = new BatchChunk { BatchId = NewId.NextGuid(), AsOf = DateOnly.FromDateTime(scored.AsOf.UtcDateTime), ChunkIndex = 0 } });
        await Factory.Services.GetRequiredService<IBus>().Publish(chunk);
        await Deliveries.ConsumedAsync<DealChunkScored>(message => message.CorrelationId == chunk.CorrelationId);
    }

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

    private async Task ImportAsync()
    {
        var response = await Client.PostAsync("/imports?format=skygeni",
            new StringContent(File(Row("D00002", closed: "", stage: "Demo", outcome: "", amount: "", rep: "", industry: "", region: "")), System.Text.Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> GetAsync(string id) => await Client.GetFromJsonAsync<JsonElement>($"/deals/skygeni/{id}");
}
