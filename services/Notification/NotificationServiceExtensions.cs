using DealRisk.Notification.Consumers;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Slack;
using DealRisk.Notification.Storage;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Refit;

namespace DealRisk.Notification;

public static class NotificationServiceExtensions
{
    public const string ServiceName = "notification";

    public static IHostApplicationBuilder AddNotificationService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.SectionName);
        services.AddOptions<SlackOptions>()
            .BindConfiguration(SlackOptions.SectionName)
            .PostConfigure(options => options.WebhookUrl = NullIfBlank(options.WebhookUrl) ?? NullIfBlank(builder.Configuration["SLACK_WEBHOOK_URL"]))
            .Validate(options => options.WebhookUrl is null || Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out _),
                "SLACK_WEBHOOK_URL (Slack:WebhookUrl) is not an absolute URL.")
            .ValidateOnStart();
        services.AddDocumentStore(ServiceName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<DailyReportWriter>();
        services.AddSingleton<AlertSender>();
        services.AddSingleton<BatchReportCompletion>();

        var webhook = NullIfBlank(builder.Configuration["Slack:WebhookUrl"]) ?? builder.Configuration["SLACK_WEBHOOK_URL"];
        services.AddRefitGeneratedClient<ISlackWebhookApi>()
            .ConfigureHttpClient(http =>
            {
                if (Uri.TryCreate(webhook, UriKind.Absolute, out var uri))
                    http.BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority));
            });
        return builder;
    }

    /// <summary>An empty variable (Compose's <c>${SLACK_WEBHOOK_URL:-}</c>) means no webhook, as it does to <see cref="AlertSender"/>.</summary>
    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public static IBusRegistrationConfigurator AddNotificationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CollectScoredChunkConsumer, CollectScoredChunkConsumerDefinition>();
        bus.AddConsumer<TrackBatchManifestConsumer>();
        return bus;
    }
}
