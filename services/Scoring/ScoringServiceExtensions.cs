using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.ServiceDefaults;
using DealRisk.Scoring.Consumers;
using DealRisk.Scoring.History;
using DealRisk.Scoring.Modeling;
using DealRisk.Scoring.Rules;
using DealRisk.Scoring.Storage;
using DealRisk.Scoring.TrackRecord;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DealRisk.Scoring;

public static class ScoringServiceExtensions
{
    public const string ServiceName = "scoring";

    public static IHostApplicationBuilder AddScoringService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // A model directory that cannot be written would fail every retrain after the models were trained.
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .ValidateDirectoryIsWritable("Scoring:ModelDirectory", options => options.ModelDirectory);
        // Nothing resolves the rules at start-up; without this an invalid rule file starts a healthy-looking service that fails every message.
        services.AddSingleton<IValidateOptions<ScoringOptions>, RuleFileValidator>();
        services.AddDocumentStore(ServiceName);
        services.AddScoreHistory(ServiceName);
        services.AddStoreSetUp(ServiceName, typeof(ScoreStore), typeof(IScoreHistory));
        services.WarmUpPublishing(typeof(DealScored), typeof(DealChunkScored), typeof(ModelPromoted), typeof(ModelTrained), typeof(ScoringFellBackToRules), typeof(OperatorAlertRaised), typeof(TrackRecordUpdated));
        services.WarmUpTraffic(
            new WarmUpTraffic<FeaturesComputed>(WarmUpSamples.FeaturesComputed, ScoreAsync),
            new WarmUpTraffic<DealScored>(WarmUpSamples.DealScored));
        services.RehearseOnScratch(new ScratchRehearsal(ServiceName,
            scratch => scratch.AddScoringService().Services.AddDealRiskBus(scratch.Configuration, bus => bus.AddScoringConsumers()),
            [new PublishRehearsal<FeaturesComputed>(WarmUpSamples.FeaturesComputed)]));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ScoreStore>();
        services.AddSingleton(provider => LoadRules(provider.GetRequiredService<IOptions<ScoringOptions>>().Value));
        services.AddSingleton<RuleScorer>();
        services.AddSingleton<ModelScorer>();
        services.AddSingleton<ScoreTrail>();
        services.AddSingleton<ServedModels>();
        services.AddSingleton<AutoTraining>();
        services.AddSingleton<BatchModels>();
        services.AddSingleton<FeatureScoring>();
        services.AddSingleton<ModelReportWriter>();
        services.AddSingleton(provider =>
        {
            var options = Options(provider);
            return new DriftMonitor(options.DriftPsiThreshold, options.DriftWatchedFeatures, options.DriftMinimumDeals);
        });
        services.AddSingleton(provider =>
        {
            var options = Options(provider);
            return new TrainingJob(
                provider.GetRequiredService<RuleScorer>(),
                new ModelGate(options.MinimumWonDeals, options.MinimumLostDeals, options.MinimumAucGain, options.LeakageModelAuc, options.LeakageFeatureAuc),
                options.Seed,
                options.HoldoutShare,
                provider.GetRequiredService<TimeProvider>(),
                new TrainServeCheck(options.TrainServeMaximumShift));
        });
        services.AddSingleton(provider => new ServedModelHealth(provider.GetRequiredService<RuleScorer>(), Options(provider).HealthMinimumDeals));
        services.AddSingleton(provider => new TrackRecordCalculator(Options(provider).TrackRecordMinimumSegmentDeals));
        services.AddSingleton<IPastScores, HistoryPastScores>();
        services.AddSingleton<TrainingTrackRecord>();
        services.AddSingleton<TrackRecordKeeper>();
        services.AddSingleton<BatchClosedDealRefresh>();
        services.AddSingleton<BatchDrift>();
        services.AddSingleton<RetrainSchedule>();
        services.AddSingleton<TrainingRunClaims>();
        services.AddHostedService<ScheduledRetrain>();
        return builder;
    }

    /// <summary>The real-time path's own work on warm-up features: the served model's score and the rules', nothing recorded.</summary>
    private static async Task ScoreAsync(IServiceProvider services, FeaturesComputed computed, CancellationToken cancellationToken)
    {
        var lookup = await services.GetRequiredService<ServedModels>().CurrentAsync(cancellationToken);
        if (lookup.Model is { } model)
            services.GetRequiredService<ModelScorer>().Score(computed, model, batch: false);
        services.GetRequiredService<RuleScorer>().Score(computed);
    }

    public static IBusRegistrationConfigurator AddScoringConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ScoreDealsConsumer, ScoreDealsConsumerDefinition>();
        bus.AddConsumer<ScoreDealChunkConsumer, ScoreDealChunkConsumerDefinition>();
        bus.AddConsumer<TrainModelConsumer, TrainModelConsumerDefinition>();
        bus.AddConsumer<ServeScoreHistoryConsumer, ServeScoreHistoryConsumerDefinition>();
        bus.AddConsumer<ServeLatestScoreConsumer, ServeLatestScoreConsumerDefinition>();

        bus.AddConsumer<RefreshClosedDealFiguresConsumer, RefreshClosedDealFiguresConsumerDefinition>();
        bus.AddConsumer<BatchManifestConsumer, BatchManifestConsumerDefinition>();
        return bus;
    }

    private static ScoringOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<ScoringOptions>>().Value;

    internal static RuleSet LoadRules(ScoringOptions options) =>
        string.IsNullOrWhiteSpace(options.RulesFile) ? RuleSet.Default() : RuleFile.Load(File.ReadAllText(options.RulesFile));
}

internal sealed class RuleFileValidator : IValidateOptions<ScoringOptions>
{
    public ValidateOptionsResult Validate(string? name, ScoringOptions options)
    {
        try
        {
            ScoringServiceExtensions.LoadRules(options);
            return ValidateOptionsResult.Success;
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or FormatException)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}
