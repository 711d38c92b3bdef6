using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>A retrain was requested: builds the labelled set from the deal copies and sends it to scoring in chunks.</summary>
public sealed class BuildTrainingSetConsumer(FeatureStore store, ILogger<BuildTrainingSetConsumer> logger) : IConsumer<RetrainModel>
{
    public const int ExamplesPerChunk = 2000;

    public async Task Consume(ConsumeContext<RetrainModel> context)
    {
        var deals = new List<DealSnapshot>();
        await foreach (var deal in store.Deals.ScanAsync(context.CancellationToken))
            deals.Add(deal);
        var examples = TrainingSetBuilder.Build(deals);
        var population = TrainingSetBuilder.Population(deals);
        var openNow = TrainingSetBuilder.OpenNow(deals, context.Message.AsOf);
        var chunkCount = Math.Max(1, (new[] { examples.Count, population.Count, openNow.Count }.Max() + ExamplesPerChunk - 1) / ExamplesPerChunk);
        logger.LogInformation("Retrain {CorrelationId} ({Reason}): {Examples} examples from {Deals} deals in {Chunks} chunks",
            context.Message.CorrelationId, context.Message.Reason, examples.Count, deals.Count, chunkCount);

        for (var index = 0; index < chunkCount; index++)
        {
            await context.Publish(new TrainingSetChunk
            {
                CorrelationId = context.Message.CorrelationId,
                ChunkIndex = index,
                ChunkCount = chunkCount,
                FeatureNames = FeatureNames.All,
                DryRun = context.Message.DryRun,
                Examples = examples.Skip(index * ExamplesPerChunk).Take(ExamplesPerChunk).ToList(),
                Population = population.Skip(index * ExamplesPerChunk).Take(ExamplesPerChunk).ToList(),
                OpenNow = openNow.Skip(index * ExamplesPerChunk).Take(ExamplesPerChunk).ToList(),
            }, context.CancellationToken);
        }
    }
}
