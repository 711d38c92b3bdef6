using System.Collections.Concurrent;
using System.Diagnostics;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Scoring;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Storage;
using DealRisk.ServiceDefaults;
using DealRisk.SyntheticCrm;
using MassTransit;

namespace DealRisk.Benchmarks;

/// <summary>
/// The real-time path inside the scoring service: one deal's <c>FeaturesComputed</c> published on the in-memory bus,
/// scored by the served FastForest/FastTree model (pooled engine), and its <c>DealScored</c> received.
/// </summary>
public static class RescoreBench
{
    public static async Task<BenchResult> RunAsync(int messages, string dataDirectory, bool rulesOnly = false)
    {
        var builder = EmbeddedScoringHost.CreateBuilder(dataDirectory);
        builder.Services.AddSingleton<Arrivals>();
        builder.Services.AddDealRiskBus(builder.Configuration, bus =>
        {
            bus.AddScoringConsumers();
            bus.AddConsumer<RecordScoredConsumer>();
        });
        using var host = builder.Build();
        await host.StartAsync();

        var deals = SyntheticCrmGenerator.Generate(new SyntheticCrmOptions { Seed = 5, DealCount = 4000, AsOf = new DateOnly(2026, 11, 2) }).ToList();
        var run = host.Services.GetRequiredService<TrainingJob>().Run(Guid.NewGuid(), RiskSignals.Names, TrainingSetBuilder.Build(deals), TrainingSetBuilder.Population(deals));
        var model = run.Promoted ?? run.Models.MaxBy(m => m.Metrics.RocAuc)!;
        await host.Services.GetRequiredService<ScoreStore>().Models.UpsertAsync(model.ModelVersion, model);
        if (!rulesOnly)
            await host.Services.GetRequiredService<ServedModels>().ServeAsync(model, "bench", CancellationToken.None);
        var expectedScorer = rulesOnly ? "rules" : ModelScorer.ScorerName;

        var instant = new DateTimeOffset(2026, 11, 1, 23, 0, 0, TimeSpan.Zero);
        var context = new FeatureContext(OutcomeStatistics.FromClosedDeals(deals));
        var vectors = deals.Where(deal => !deal.IsClosed).Select(deal => DealFeaturizer.Featurize(deal, instant, context)).ToList();
        var bus = host.Services.GetRequiredService<IBus>();
        var arrivals = host.Services.GetRequiredService<Arrivals>();

        async Task<double> OneAsync(int i)
        {
            var vector = vectors[i % vectors.Count];
            var message = new FeaturesComputed
            {
                CorrelationId = NewId.NextGuid(),
                AsOf = instant,
                FeatureNames = RiskSignals.Names,
                Deals = [vector with { Deal = vector.Deal with { Version = vector.Deal.Version + i + 1 } }],
            };
            var arrived = arrivals.Expect(message.CorrelationId);
            var clock = Stopwatch.GetTimestamp();
            await bus.Publish(message);
            var scored = await arrived.WaitAsync(TimeSpan.FromSeconds(30));
            var elapsed = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
            if (scored.Scorer != expectedScorer) throw new InvalidOperationException($"Scored by {scored.Scorer}, not {expectedScorer}.");
            return elapsed;
        }

        for (var i = 0; i < 500; i++) await OneAsync(i);
        var latencies = new List<double>(messages);
        for (var i = 0; i < messages; i++) latencies.Add(await OneAsync(i));
        await host.StopAsync();

        latencies.Sort();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        var p99 = Percentile(0.99);
        return new BenchResult
        {
            Name = rulesOnly ? "single-deal-rescore-rules" : "single-deal-rescore",
            MeasuredAt = DateTimeOffset.UtcNow,
            Machine = BenchResult.MachineDescription(),
            Figures = new Dictionary<string, object>
            {
                ["messages"] = messages,
                ["scorer"] = expectedScorer,
                ["modelVersion"] = rulesOnly ? "" : model.ModelVersion,
                ["p50Ms"] = Math.Round(Percentile(0.50), 3),
                ["p95Ms"] = Math.Round(Percentile(0.95), 3),
                ["p99Ms"] = Math.Round(p99, 3),
                ["maxMs"] = Math.Round(latencies[^1], 3),
            },
            Targets = new Dictionary<string, object> { ["p99Ms"] = 5 },
            TargetsMet = p99 < 5,
        };
    }

    public sealed class Arrivals
    {
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource<DealScored>> _waiting = new();

        public Task<DealScored> Expect(Guid correlationId) =>
            _waiting.GetOrAdd(correlationId, _ => new TaskCompletionSource<DealScored>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void Arrived(DealScored scored)
        {
            if (_waiting.TryRemove(scored.CorrelationId, out var source)) source.TrySetResult(scored);
        }
    }

    public sealed class RecordScoredConsumer(Arrivals arrivals) : IConsumer<DealScored>
    {
        public Task Consume(ConsumeContext<DealScored> context)
        {
            arrivals.Arrived(context.Message);
            return Task.CompletedTask;
        }
    }
}
