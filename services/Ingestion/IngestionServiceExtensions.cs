using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.Ingestion.Apis;
using DealRisk.Ingestion.Batch;
using DealRisk.Ingestion.Consumers;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Imports;
using DealRisk.Ingestion.Sync;
using DealRisk.Ingestion.Webhooks;
using DealRisk.Ingestion.Webhooks.HubSpot;
using DealRisk.Ingestion.Webhooks.Salesforce;
using DealRisk.Storage;
using MassTransit;
using Quartz;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion;

public static class IngestionServiceExtensions
{
    public const string ServiceName = "ingestion";

    /// <summary>The queue of the consumer that kept ingestion's copy of the latest scores from <c>DealScored</c>: scoring keeps them now.</summary>
    public static readonly string[] RetiredConsumerQueues = ["record-deal-scores"];

    public static IHostApplicationBuilder AddIngestionService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestionOptions>()
            .BindConfiguration(IngestionOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.Sync.Problem() is null, "Ingestion:Sync:Cron cannot be used.")
            .ValidateOnStart();
        services.AddDocumentStore(ServiceName);
        services.AddScoreHistoryClient();
        services.WarmUpPublishing(typeof(GetDealLatestScore));
        services.RetireQueues(RetiredConsumerQueues);
        services.AddStoreSetUp(ServiceName, typeof(DealRepository), typeof(CrmActivity), typeof(RetiredLatestScores), typeof(PendingPublications),
            typeof(WebhookRejections), typeof(HubSpotDealStates), typeof(SalesforceOutboundStore), typeof(ImportResultStore), typeof(SyncRuns), typeof(ScoredChunkReceipts));
        services.WarmUpPublishing(typeof(DealChangesStored), typeof(DealSynced), typeof(DailyBatchStarted), typeof(DealChunkSynced), typeof(DailyBatchSynced), typeof(CrmDataUnavailable), typeof(OperatorAlertRaised), typeof(GetDealScoreHistory));
        services.WarmUpTraffic(new WarmUpTraffic<DealChangesStored>(WarmUpSamples.DealChangesStored), new WarmUpTraffic<DealSynced>(WarmUpSamples.DealSynced));
        services.WarmUpSelfRequests(HubSpotSelfRequest.EmptyDelivery);
        services.RehearseOnScratch(new ScratchRehearsal(ServiceName,
            scratch => scratch.AddIngestionService().Services.AddDealRiskBus(scratch.Configuration, bus => bus.AddIngestionConsumers()),
            [HubSpotWebhookRehearsal.Step]));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DealRepository>();
        services.AddSingleton<CrmActivity>();
        services.AddSingleton<RetiredLatestScores>();
        services.AddScoped<DealEventPublisher>();
        services.AddSingleton<PendingPublications>();
        services.AddHostedServiceAfterStoreSetUp<PendingPublicationSweeper>();
        services.AddSingleton<WebhookRejections>();
        services.AddRateLimitedPath(new RateLimitedPath("webhooks", HttpMethods.Post, "/webhooks",
            provider => provider.GetRequiredService<IOptionsMonitor<IngestionOptions>>().CurrentValue.WebhookRequestsPerMinute));
        services.AddSingleton<DealLocks>();
        services.AddOptions<HubSpotOptions>().BindConfiguration(HubSpotOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubSpotOptions>, HubSpotOptionsValidator>();
        services.AddSingleton<HubSpotDealStates>();
        services.AddScoped<HubSpotWebhookProcessor>();
        services.AddOptions<SalesforceOptions>().BindConfiguration(SalesforceOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>();
        services.AddSingleton<SalesforceOutboundStore>();
        services.AddScoped<SalesforceOutboundProcessor>();
        services.AddSingleton<ImportResultStore>();
        services.AddSingleton<IDealImportFormat, SkyGeniCsvFormat>();
        services.AddSingleton<IDealImportFormat, DealJsonLinesFormat>();
        services.AddSingleton(provider => CrmExportFormats.Salesforce(provider.GetRequiredService<IOptions<SalesforceOptions>>()));
        services.AddSingleton(provider => CrmExportFormats.HubSpot(provider.GetRequiredService<IOptions<HubSpotOptions>>()));
        services.AddSingleton<IDealImportFormat, SalesforceOpportunityHistoryFormat>();
        services.AddSingleton<ImportFormats>();
        services.AddScoped<DealImporter>();
        services.AddSingleton<ScoredChunkReceipts>();
        services.AddSingleton<OpenChunkPacing>();
        services.AddScoped<DailyBatchPublisher>();
        builder.AddDailySync();
        return builder;
    }

    /// <summary>The morning sync's services always (a test or command can run it), its Quartz schedule only when enabled.</summary>
    private static void AddDailySync(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<SyncRuns>();
        services.AddScoped<DailySync>();
        services.AddBusinessTimeZone(builder.Configuration);
        var sync = builder.Configuration.GetSection(IngestionOptions.SectionName).Get<IngestionOptions>()?.Sync ?? new SyncOptions();
        if (!sync.Enabled)
            return;
        if (sync.Problem() is { } problem)
            throw new InvalidOperationException(problem);
        var zone = BusinessTimeZone.From(builder.Configuration).Zone;
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<DailySyncJob>(job => job.WithIdentity(DailySyncSchedule.JobKey));
            quartz.AddTrigger(trigger => trigger
                .ForJob(DailySyncSchedule.JobKey)
                .WithIdentity("daily-sync-at-six", "ingestion")
                .WithCronSchedule(sync.Cron, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
        services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
    }

    public static IBusRegistrationConfigurator AddIngestionConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RunDailyBatchConsumer, RunDailyBatchConsumerDefinition>();
        bus.AddConsumer<ResyncDealsConsumer>().Endpoint(endpoint => endpoint.Name = CommandQueues.ResyncDeals);
        bus.AddConsumer<RecordScoredChunkConsumer, RecordScoredChunkConsumerDefinition>();
        return bus;
    }

    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapImportEndpoints().MapDealEndpoints().MapWebhookEndpoints();
}
