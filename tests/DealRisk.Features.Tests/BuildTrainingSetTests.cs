using DealRisk.Contracts;
using DealRisk.Features.Consumers;
using DealRisk.Features.Domain;
using DealRisk.SyntheticCrm;

namespace DealRisk.Features.Tests;

public sealed class BuildTrainingSetTests : IAsyncLifetime
{
    private static readonly SyntheticCrmOptions Sample = new() { Seed = 8, DealCount = 900, AsOf = new DateOnly(2025, 5, 31) };

    private FeaturesHost _host = null!;

    public async Task InitializeAsync() => _host = await FeaturesHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_retrain_request_sends_the_labelled_set_and_the_population_from_the_deal_copies_in_numbered_chunks()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        await _host.SeedCopiesAsync(deals);
        var request = new RetrainModel { CorrelationId = Guid.NewGuid(), Reason = "test", RequestedAt = DateTimeOffset.UtcNow, DryRun = true };

        await _host.DeliverAsync(request);

        var chunks = _host.Published<TrainingSetChunk>().Where(chunk => chunk.CorrelationId == request.CorrelationId).OrderBy(chunk => chunk.ChunkIndex).ToList();
        var expected = TrainingSetBuilder.Build(deals);
        Assert.NotEmpty(chunks);
        Assert.Equal(Enumerable.Range(0, chunks[0].ChunkCount), chunks.Select(chunk => chunk.ChunkIndex));
        Assert.All(chunks, chunk => Assert.True(chunk.DryRun && chunk.Examples.Count <= BuildTrainingSetConsumer.ExamplesPerChunk));
        Assert.All(chunks, chunk => Assert.Equal(RiskSignals.Names, chunk.FeatureNames));
        Assert.Equal(expected.Count, chunks.Sum(chunk => chunk.Examples.Count));
        Assert.Equal(
            expected.Select(e => (e.Vector.Deal.ExternalId, e.At, e.Lost)).Order(),
            chunks.SelectMany(chunk => chunk.Examples).Select(e => (e.Vector.Deal.ExternalId, e.At, e.Lost)).Order());
        Assert.Equal(
            TrainingSetBuilder.Population(deals).Select(p => (p.At, string.Join(",", p.Values))).Order(),
            chunks.SelectMany(chunk => chunk.Population).Select(p => (p.At, string.Join(",", p.Values))).Order());
        Assert.All(chunks, chunk => Assert.True(new[] { chunk.Examples.Count, chunk.Population.Count, chunk.OpenNow.Count }.Count(count => count > 0) <= 1, "Examples, population and the open-now sample travel in chunks of their own."));
        var openNow = chunks.SelectMany(chunk => chunk.OpenNow).ToList();
        Assert.Equal(deals.Count(deal => !deal.IsClosed), openNow.Count);
        Assert.Single(openNow.Select(snapshot => snapshot.At).Distinct());
        Assert.InRange(openNow[0].At, AsOfClock.EndOf(Sample.AsOf.AddDays(-7)), AsOfClock.EndOf(Sample.AsOf));
        _host.AssertNoFaults();
    }
}
