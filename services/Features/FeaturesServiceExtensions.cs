using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.Features.Consumers;
using DealRisk.Features.Domain;
using DealRisk.Features.Storage;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DealRisk.Features;

public static class FeaturesServiceExtensions
{
    public const string ServiceName = "features";

    public static IHostApplicationBuilder AddFeaturesService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FeaturesOptions>()
            .BindConfiguration(FeaturesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddDocumentStore(ServiceName);
        services.AddStoreSetUp(ServiceName, typeof(FeatureStore), typeof(DealCopyStore));
        services.WarmUpPublishing(typeof(FeaturesComputed), typeof(FeatureChunkComputed), typeof(ClosedDealOutcomes), typeof(TrainingSetChunk));
        services.WarmUpTraffic(
            new WarmUpTraffic<DealChangesStored>(WarmUpSamples.DealChangesStored, FeaturizeAsync),
            new WarmUpTraffic<DealSynced>(WarmUpSamples.DealSynced),
            new WarmUpTraffic<FeaturesComputed>(WarmUpSamples.FeaturesComputed));
        services.RehearseOnScratch(new ScratchRehearsal(ServiceName,
            scratch => scratch.AddFeaturesService().Services.AddDealRiskBus(scratch.Configuration, bus => bus.AddFeaturesConsumers()),
            [new PublishRehearsal<DealChangesStored>(WarmUpSamples.DealChangesStored)]));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FeatureStore>();
        services.AddSingleton<DealCopyStore>();
        services.AddSingleton<FeatureContextCache>();
        services.AddSingleton<DealCopies>();
        services.AddSingleton<RealTimeWrites>();
        services.AddSingleton<ChangedDealFeatures>();
        services.AddSingleton<BatchFeaturizer>();
        services.AddSingleton<FeatureHistory>();
        return builder;
    }

    /// <summary>The real-time path's own work on a warm-up delivery: each deal's features as of its change, nothing stored.</summary>
    private static async Task FeaturizeAsync(IServiceProvider services, DealChangesStored stored, CancellationToken cancellationToken)
    {
        var context = await services.GetRequiredService<FeatureContextCache>().GetAsync(cancellationToken);
        foreach (var changed in stored.Rescored)
            DealFeaturizer.Featurize(changed.Deal, RescoreInstant.Of(changed.Deal, changed.ChangedAt), context);
    }

    public static IBusRegistrationConfigurator AddFeaturesConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<FeaturizeDealChunkConsumer, FeaturizeDealChunkConsumerDefinition>();
        bus.AddConsumer<CompleteBatchStatisticsConsumer>();
        bus.AddConsumer<StoreDealChangesConsumer, StoreDealChangesConsumerDefinition>();
        bus.AddConsumer<RecomputeDealFeaturesConsumer, RecomputeDealFeaturesConsumerDefinition>();
        bus.AddConsumer<StoreSyncedDealConsumer, StoreSyncedDealConsumerDefinition>();
        bus.AddConsumer<BuildTrainingSetConsumer>().Endpoint(endpoint => endpoint.Name = CommandQueues.RetrainModel);
        return bus;
    }
}
