using DealRisk.Contracts;
using DealRisk.ServiceDefaults;
using DealRisk.Notification.Alerts;
using DealRisk.Notification.Consumers;
using DealRisk.Notification.Dashboard;
using DealRisk.Notification.Email;
using DealRisk.Notification.Outbox;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Sla;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace DealRisk.Notification;

public static class NotificationServiceExtensions
{
    public const string ServiceName = "notification";

    public static IHostApplicationBuilder AddNotificationService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        // A report directory that cannot be written would lose the morning report after the batch completed.
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.SectionName).ValidateOnStart()
            .ValidateDirectoryIsWritable("Reports:OutputDirectory", options => options.OutputDirectory);
        services.AddOptions<SlackOptions>()
            .BindConfiguration(SlackOptions.SectionName)
            .PostConfigure(options =>
            {
                options.WebhookUrl = NullIfBlank(options.WebhookUrl) ?? NullIfBlank(configuration["SLACK_WEBHOOK_URL"]);
                options.BotToken = NullIfBlank(options.BotToken) ?? NullIfBlank(configuration["SLACK_BOT_TOKEN"]);
                foreach (var blank in options.Webhooks.Where(pair => string.IsNullOrWhiteSpace(pair.Value)).Select(pair => pair.Key).ToList())
                    options.Webhooks.Remove(blank);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.SectionName)
            .PostConfigure(options => options.Password = NullIfBlank(options.Password) ?? NullIfBlank(configuration["SMTP_PASSWORD"]))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>>(new EmailOptionsValidator());

        services.AddDocumentStore(ServiceName);
        services.AddScoreHistoryClient();
        services.AddStoreSetUp(ServiceName, typeof(NotificationStore));
        services.WarmUpPublishing(typeof(DailyReportPublished), typeof(RiskAlertRaised), typeof(OperatorAlertRaised), typeof(GetDealScoreHistory));
        services.WarmUpTraffic(new WarmUpTraffic<DealScored>(WarmUpSamples.DealScored));
        services.RehearseOnScratch(new ScratchRehearsal(ServiceName,
            scratch => scratch.AddNotificationService().Services.AddDealRiskBus(scratch.Configuration, bus => bus.AddNotificationConsumers()),
            [new PublishRehearsal<DealScored>(WarmUpSamples.DealScored), SlackRehearsal.Dispatch])
        {
            Settings = SlackRehearsal.Settings,
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<CurrentRisk>();
        services.AddSingleton<DailyReportWriter>();
        services.AddSingleton<BatchReportCompletion>();
        services.AddSingleton<MorningAlerts>();
        services.AddSingleton<SpikeEscalation>();
        services.AddSingleton<CriticalDealEscalation>();
        services.AddSingleton(provider => new SlackBlocks(provider.GetRequiredService<IOptions<SlackOptions>>().Value));
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName)
            .Validate(options => options.LeaseDuration > OutboxOptions.LongestDelivery,
                $"Outbox:LeaseDuration must be longer than the {OutboxOptions.LongestDelivery.TotalSeconds:0} s one delivery may take, or a slow delivery could be sent twice.")
            .ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxClaims>();
        services.AddSingleton<ChannelPacing>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<SlackDelivery>();
        services.AddSingleton<SmtpDelivery>();
        services.AddSingleton<PoisonMessages>();
        services.AddHostedServiceAfterStoreSetUp<OutboxDispatcher>();

        services.AddBusinessTimeZone(configuration);
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.SectionName)
            .Validate(options => options.SpikeThreshold > 0 && options.TrailingDays > 0, "Sla:SpikeThreshold and Sla:TrailingDays must be positive.")
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<SlaOptions>>().Value);
        services.AddSingleton<ReportLatenessCheck>();
        if (configuration.GetValue($"{SlaOptions.SectionName}:{nameof(SlaOptions.WatchDeadline)}", true))
            services.AddHostedService<ReportDeadlineWatch>();
        services.AddSingleton<StalledBatchCheck>();
        services.AddHostedService<StalledBatchWatch>();

        services.AddDashboard();

        AddSlackClients(services, configuration);
        return builder;
    }

    /// <summary>
    /// The generated Refit clients, logging no more of a URL than its host (an incoming webhook's path is its secret,
    /// also without the service defaults). Their HTTP retries cover a dropped connection or a 5xx for a moment; a 429 is left
    /// to the dispatcher, which pauses the channel for Slack's Retry-After, and longer outages to the outbox.
    /// </summary>
    // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace ServiceDefaults' handler.
#pragma warning disable EXTEXP0001
    private static void AddSlackClients(IServiceCollection services, IConfiguration configuration)
    {
        var webhook = new[] { configuration["Slack:WebhookUrl"], configuration["SLACK_WEBHOOK_URL"] }
            .Concat(configuration.GetSection("Slack:Webhooks").GetChildren().Select(child => child.Value))
            .FirstOrDefault(url => Uri.TryCreate(url, UriKind.Absolute, out _));
        services.AddRefitGeneratedClient<ISlackWebhookApi>()
            .ConfigureHttpClient(http =>
            {
                if (webhook is not null)
                    http.BaseAddress = new Uri(new Uri(webhook).GetLeftPart(UriPartial.Authority));
            })
            .WithRedactedLogging()
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("slack-webhook", SlackRetries);

        services.AddRefitGeneratedClient<ISlackWebApi>()
            .ConfigureHttpClient((provider, http) =>
            {
                var slack = provider.GetRequiredService<IOptions<SlackOptions>>().Value;
                http.BaseAddress = new Uri(slack.ApiBaseUrl.TrimEnd('/') + "/");
                if (slack.BotToken is not null)
                    http.DefaultRequestHeaders.Authorization = new("Bearer", slack.BotToken);
            })
            .WithRedactedLogging()
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("slack-web-api", SlackRetries);
    }
#pragma warning restore EXTEXP0001

    private static void SlackRetries(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddTimeout(OutboxOptions.LongestDelivery);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                || (int?)args.Outcome.Result?.StatusCode >= 500),
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(10));
    }

    /// <summary>An empty variable (Compose's <c>${SLACK_WEBHOOK_URL:-}</c>) means not set.</summary>
    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public static IBusRegistrationConfigurator AddNotificationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CollectScoredChunkConsumer, CollectScoredChunkConsumerDefinition>();
        bus.AddConsumer<TrackRescoredDealConsumer, TrackRescoredDealConsumerDefinition>();
        bus.AddConsumer<TrackBatchManifestConsumer>();
        bus.AddConsumer<TrackModelPromotionConsumer>();
        bus.AddConsumer<TrackScoringFallbackConsumer>();
        bus.AddConsumer<StoreTrackRecordConsumer>();
        bus.AddConsumer<ForwardOperatorAlertConsumer>();
        bus.AddConsumer<AnnounceDataUnavailableConsumer>();
        return bus;
    }
}

internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
