using System.ComponentModel.DataAnnotations;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Ingestion;
using DealRisk.Storage;

namespace DealRisk.Deployment.Tests;

/// <summary>
/// A batch chunk travels as one message and notification stores its scores as one document: the largest chunk allowed
/// must fit MongoDB's document limit and stay well under RabbitMQ's message size limit.
/// </summary>
public sealed class BatchChunkLimitTests
{
    [Fact]
    public void A_chunk_size_above_the_largest_that_fits_one_document_is_refused_naming_the_setting()
    {
        var tooLarge = new IngestionOptions { BatchChunkSize = IngestionOptions.MaxBatchChunkSize + 1 };
        var largest = new IngestionOptions { BatchChunkSize = IngestionOptions.MaxBatchChunkSize };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(tooLarge, new ValidationContext(tooLarge), results, validateAllProperties: true));
        Assert.Contains(nameof(IngestionOptions.BatchChunkSize), Assert.Single(results).MemberNames);
        Assert.True(Validator.TryValidateObject(largest, new ValidationContext(largest), [], validateAllProperties: true));
    }

    [Fact]
    public async Task The_features_and_the_scores_of_the_largest_chunk_with_long_names_and_reasons_each_fit_one_message_and_one_stored_document()
    {
        var deals = Enumerable.Range(0, IngestionOptions.MaxBatchChunkSize).Select(Profile).ToList();
        var features = new FeaturesComputed
        {
            CorrelationId = Guid.NewGuid(),
            AsOf = DateTimeOffset.UtcNow,
            Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = DateOnly.FromDateTime(DateTime.UtcNow), ChunkIndex = 0 },
            FeatureNames = RiskSignals.Names,
            Deals = deals.Select(deal => new DealFeatureVector { Deal = deal, Values = RiskSignals.Names.Select(_ => (double?)Random.Shared.NextDouble()).ToList() }).ToList(),
        };
        var scores = new DealScored
        {
            CorrelationId = Guid.NewGuid(),
            AsOf = DateTimeOffset.UtcNow,
            Batch = features.Batch,
            Scorer = "model",
            ModelVersion = "fasttree-20261201-abcdef",
            Scores = deals.Select(HeavyDayScore).ToList(),
        };

        var featureChunk = FeatureChunkComputed.Of(features);
        var scoreChunk = DealChunkScored.Of(scores);
        Assert.InRange(MessageBytes(featureChunk), 1, MessageBudget);
        Assert.InRange(MessageBytes(scoreChunk), 1, MessageBudget);

        var directory = Path.Combine(Path.GetTempPath(), "dealrisk-chunk-limit-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new SqliteDocumentStore(Path.Combine(directory, "chunks.db"));
            await store.GetCollection<DealChunkScored>("scored-chunk-blocks").UpsertAsync("largest", scoreChunk);
            Assert.Equal(scoreChunk.Payload, (await store.GetCollection<DealChunkScored>("scored-chunk-blocks").GetAsync("largest"))!.Payload);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_deal_references_of_the_largest_chunk_with_long_ids_fit_one_message()
    {
        var chunk = new DealChunkSynced
        {
            BatchId = Guid.NewGuid(),
            CorrelationId = Guid.NewGuid(),
            AsOf = DateOnly.FromDateTime(DateTime.UtcNow),
            Part = DealChunkParts.Open,
            ChunkIndex = 0,
            HistoryChunkCount = 10,
            Deals = Enumerable.Range(0, IngestionOptions.MaxBatchChunkSize)
                .Select(index => new DealRef { Source = "salesforce", ExternalId = $"0065e00000{index:D8}" + new string('x', 100), Version = long.MaxValue })
                .ToList(),
        };

        Assert.InRange(MessageBytes(chunk), 1, MessageBudget);
    }

    /// <summary>The message body as it travels: MassTransit's JSON envelope wraps the message as System.Text.Json writes it (a binary payload in base64).</summary>
    private static int MessageBytes(object message) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, message.GetType()).Length;

    [Fact]
    public void Movements_come_back_from_a_chunk_as_they_went_in_and_deals_without_one_have_none()
    {
        var scores = Enumerable.Range(0, 4).Select(Profile).Select(HeavyDayScore).ToList();
        scores[1] = scores[1] with { Movement = null };
        scores[2] = scores[2] with { Movement = scores[2].Movement! with { Added = [], Changes = [], Contributions = [], Summary = "Rose by 3" } };

        var read = DealChunkScored.Of(new DealScored
        {
            CorrelationId = Guid.NewGuid(),
            AsOf = DateTimeOffset.UtcNow,
            Batch = new BatchChunk { BatchId = Guid.NewGuid(), AsOf = DateOnly.FromDateTime(DateTime.UtcNow), ChunkIndex = 0 },
            Scorer = "model",
            Scores = scores,
        }).ReadScores().All().ToList();

        Assert.Equal(scores.Select(score => Json(score.Movement)), read.Select(score => Json(score.Movement)));
        Assert.Null(read[1].Movement);
        Assert.NotEmpty(read[0].Movement!.Changed);
    }

    private static string Json(ScoreMovement? movement) => System.Text.Json.JsonSerializer.Serialize(movement);

    /// <summary>
    /// A batch score on a heavy day, when a new model or rule set moved everything: three long reasons, fifteen
    /// factors (about the most a model's positive contributions or the rules give), and a movement since the previous
    /// score in which each of them was added, removed or changed and every model contribution moved, with the CRM
    /// changes that came with it.
    /// </summary>
    private static DealRiskScore HeavyDayScore(DealProfile deal)
    {
        var signals = RiskSignals.Names.Take(15).ToList();
        var moved = signals.Select((signal, i) => new SignalMovement
        {
            Signal = signal, Reason = $"Reason phrase for {signal} " + new string('m', 40), From = 1.5 + i, To = 2.5, PointsFrom = 10, PointsTo = i % 2 == 0 ? null : 20,
        }).ToList();
        return new DealRiskScore
        {
            Deal = deal,
            Score = 88,
            Level = "CRITICAL",
            Reasons = Enumerable.Range(0, 3).Select(i => $"Reason {i}: " + new string('r', 110)).ToList(),
            Factors = signals.Select(signal => new ScoreReason { Signal = signal, Value = 12.5, Points = 7.25, Rule = "Rule " + new string('u', 40) }).ToList(),
            Action = "Action: " + new string('a', 120),
            Scorer = "model",
            ModelVersion = "fasttree-20261201-abcdef",
            Movement = new ScoreMovement
            {
                PreviousScore = 40,
                PreviousLevel = "MEDIUM",
                PreviousAsOf = new DateTimeOffset(2026, 12, 1, 23, 59, 59, TimeSpan.Zero),
                Delta = 48,
                Added = moved.Take(5).ToList(),
                Removed = moved.Skip(5).Take(5).ToList(),
                Changed = moved.Skip(10).ToList(),
                Contributions = RiskSignals.Names.Select((signal, i) => new ContributionDelta { Feature = signal, From = 0.01 * i, To = 0.2 }).ToList(),
                Changes = Enumerable.Range(0, 3).Select(i => new DealChange
                {
                    At = new DateTimeOffset(2026, 12, 1, 9, i, 0, TimeSpan.Zero), Field = "stage", From = "Value " + new string('f', 40), To = i == 1 ? null : "Value " + new string('t', 40),
                }).ToList(),
                Summary = $"Rose by 48 to CRITICAL for deal {deal.ExternalId}: " + new string('s', 150),
            },
        };
    }

    /// <summary>An eighth of RabbitMQ's default 128 MiB message size limit.</summary>
    private const int MessageBudget = 16 * 1024 * 1024;

    /// <summary>A deal with every text field well above what CRMs usually hold, and every data-quality field missing.</summary>
    private static DealProfile Profile(int index) => new()
    {
        Source = "salesforce",
        ExternalId = $"0065e00000{index:D8}",
        Version = 12,
        Name = $"Deal {index} " + new string('n', 90),
        Account = "Account " + new string('c', 60),
        Owner = "Owner " + new string('o', 40),
        Amount = 125_000.50m,
        Stage = "Negotiation",
        DaysInStage = 45,
        Industry = "Industry " + new string('i', 30),
        Region = "Region " + new string('g', 20),
        LeadSource = "Lead source " + new string('l', 20),
        Product = "Product " + new string('p', 30),
        DataQualityFlag = true,
        MissingFields = ["amount", "closeDate", "owner", "industry", "region", "leadSource", "nextStep", "contacts", "lastActivity"],
    };
}
