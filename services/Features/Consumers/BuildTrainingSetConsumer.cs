using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using MassTransit;

namespace DealRisk.Features.Consumers;

/// <summary>
/// A retrain was requested: builds the labelled set from the deal copies and sends it to scoring in chunks. The deals
/// are streamed, never held: one pass gathers the monthly statistics, one counts the chunks scoring must wait for, and
/// one featurizes and sends a chunk whenever one fills.
/// </summary>
public sealed class BuildTrainingSetConsumer(DealCopyStore copies, ILogger<BuildTrainingSetConsumer> logger) : IConsumer<RetrainModel>
{
    public const int ExamplesPerChunk = 2000;

    public async Task Consume(ConsumeContext<RetrainModel> context)
    {
        var ct = context.CancellationToken;
        var outcomes = new MonthlyOutcomes();
        var openNow = new OpenNowSampler(context.Message.AsOf);
        await foreach (var deal in copies.ScanAsync(ct))
        {
            outcomes.Add(deal);
            openNow.Observe(deal);
        }

        long examples = 0, population = 0, deals = 0;
        await foreach (var deal in copies.ScanAsync(ct))
        {
            deals++;
            examples += TrainingSetBuilder.ExampleInstants(deal).Count;
            population += TrainingSetBuilder.PopulationInstants(deal, outcomes).Count;
            openNow.Tally(deal);
        }
        var chunks = new TrainingChunkSender(context, ChunksFor(examples) + ChunksFor(population) + ChunksFor(openNow.SampleCount));
        logger.LogInformation("Retrain {CorrelationId} ({Reason}): {Examples} examples from {Deals} deals in {Chunks} chunks",
            context.Message.CorrelationId, context.Message.Reason, examples, deals, chunks.ChunkCount);

        await foreach (var deal in copies.ScanAsync(ct))
        {
            foreach (var example in TrainingSetBuilder.Examples(deal, outcomes))
                await chunks.AddAsync(example);
            foreach (var snapshot in TrainingSetBuilder.Population(deal, outcomes))
                await chunks.AddAsync(snapshot);
            foreach (var snapshot in openNow.Sample(deal))
                await chunks.AddOpenNowAsync(snapshot);
        }
        await chunks.FlushAsync();
        if (chunks.Dropped > 0)
            logger.LogWarning("Retrain {CorrelationId}: {Dropped} examples or snapshots of deals that changed during the build were left out",
                context.Message.CorrelationId, chunks.Dropped);
    }

    private static int ChunksFor(long items) => (int)((items + ExamplesPerChunk - 1) / ExamplesPerChunk);

    /// <summary>Sends examples, population and the open-now sample in chunks of their own, numbered in the order they fill.</summary>
    private sealed class TrainingChunkSender(ConsumeContext<RetrainModel> context, int chunkCount)
    {
        private readonly List<TrainingExample> _examples = new(ExamplesPerChunk);
        private readonly List<PopulationSnapshot> _population = new(ExamplesPerChunk);
        private readonly List<PopulationSnapshot> _openNow = new(ExamplesPerChunk);
        private int _sent;

        /// <summary>Items beyond the chunks announced: deals that closed between the counting and the featurizing pass.</summary>
        public long Dropped { get; private set; }

        /// <summary>At least one, so an empty training set still reaches scoring and is refused there by name.</summary>
        public int ChunkCount { get; } = Math.Max(1, chunkCount);

        public async Task AddAsync(TrainingExample example)
        {
            _examples.Add(example);
            if (_examples.Count == ExamplesPerChunk)
                await SendAsync();
        }

        public async Task AddAsync(PopulationSnapshot snapshot)
        {
            _population.Add(snapshot);
            if (_population.Count == ExamplesPerChunk)
                await SendAsync();
        }

        public async Task AddOpenNowAsync(PopulationSnapshot snapshot)
        {
            _openNow.Add(snapshot);
            if (_openNow.Count == ExamplesPerChunk)
                await SendAsync();
        }

        public async Task FlushAsync()
        {
            while (_sent < ChunkCount)
                await SendAsync();
        }

        private async Task SendAsync()
        {
            var examples = _examples.Count == ExamplesPerChunk || (_population.Count < ExamplesPerChunk && _openNow.Count < ExamplesPerChunk) ? Take(_examples) : [];
            var population = examples.Count == 0 && (_population.Count == ExamplesPerChunk || _openNow.Count < ExamplesPerChunk) ? Take(_population) : [];
            var openNow = examples.Count == 0 && population.Count == 0 ? Take(_openNow) : [];
            if (_sent >= ChunkCount)
            {
                Dropped += examples.Count + population.Count + openNow.Count;
                return;
            }
            await context.Publish(new TrainingSetChunk
            {
                CorrelationId = context.Message.CorrelationId,
                ChunkIndex = _sent++,
                ChunkCount = ChunkCount,
                FeatureNames = RiskSignals.Names,
                DryRun = context.Message.DryRun,
                Examples = examples,
                Population = population,
                OpenNow = openNow,
            }, context.CancellationToken);
        }

        private static List<T> Take<T>(List<T> buffer)
        {
            var taken = buffer.ToList();
            buffer.Clear();
            return taken;
        }
    }
}
