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
            Scores = deals.Select(deal => new DealRiskScore
            {
                Deal = deal,
                Score = 88,
                Level = "CRITICAL",
                Reasons = Enumerable.Range(0, 3).Select(i => $"Reason {i}: " + new string('r', 110)).ToList(),
                Action = "Action: " + new string('a', 120),
                Scorer = "model",
                ModelVersion = "fasttree-20261201-abcdef",
            }).ToList(),
        };

        var featureChunk = FeatureChunkComputed.Of(features);
        var scoreChunk = DealChunkScored.Of(scores);
        Assert.InRange(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(featureChunk).Length, 1, MessageBudget);
        Assert.InRange(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(scoreChunk).Length, 1, MessageBudget);

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
