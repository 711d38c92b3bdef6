using DealRisk.Contracts;
using DealRisk.Features;
using DealRisk.Ingestion;
using DealRisk.Notification;
using DealRisk.Notification.Dashboard;
using DealRisk.Scoring;
using DealRisk.ServiceDefaults;
using MassTransit;

namespace DealRisk.AllInOne;

/// <summary>
/// All four services' consumers in one process: the same code paths as the distributed deployment, on the
/// transport and store the configuration names — by default the in-memory bus and embedded database files.
/// </summary>
public static class EmbeddedHost
{
    public static readonly IReadOnlyDictionary<string, string?> EmbeddedDefaults = new Dictionary<string, string?>
    {
        ["Bus:Transport"] = "InMemory",
        ["Storage:Provider"] = "Embedded",
        ["Storage:DataDirectory"] = ".data",
        ["Reports:OutputDirectory"] = "results",
        ["OTEL_SERVICE_NAME"] = "dealrisk-embedded",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:MassTransit"] = "Warning",
        ["Logging:LogLevel:Microsoft"] = "Warning",
    };

    /// <summary>A host without a web server, for commands that run a job and exit.</summary>
    public static IHost BuildJobHost(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(ServiceHostSettings.Job(args, "dealrisk"));
        Configure(builder, overrides);
        return builder.Build();
    }

    /// <summary>The four services and their HTTP endpoints in one web host.</summary>
    public static WebApplication BuildWebHost(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(ServiceHostSettings.Web(args, "dealrisk"));
        Configure(builder, overrides);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapIngestionEndpoints();
        app.MapDashboard();
        return app;
    }

    private static void Configure(IHostApplicationBuilder builder, IReadOnlyDictionary<string, string?>? overrides)
    {
        var explicitSettings = builder.Configuration.AsEnumerable().ToDictionary(pair => pair.Key, pair => pair.Value);
        builder.Configuration.AddInMemoryCollection(EmbeddedDefaults.Where(setting => !explicitSettings.ContainsKey(setting.Key)));
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);

        builder.AddServiceDefaults();
        builder.AddIngestionService();
        builder.AddFeaturesService();
        builder.AddScoringService();
        builder.AddNotificationService();
        builder.Services.AddSingleton<CompletionSignals<DailyReportPublished>>();
        builder.Services.AddSingleton<CompletionSignals<ModelTrained>>();
        builder.Services.AddSingleton<BusActivity>();
        builder.Services.AddReceiveObserver(provider => provider.GetRequiredService<BusActivity>());
        builder.Services.AddSingleton<DealCopyReconciliation>();
        builder.Services.AddSingleton<GeneratedSampleGuard>();
        builder.Services.AddDealRiskBus(builder.Configuration, bus =>
        {
            bus.AddIngestionConsumers();
            bus.AddFeaturesConsumers();
            bus.AddScoringConsumers();
            bus.AddNotificationConsumers();
            bus.AddConsumer<SignalDailyReportConsumer>();
            bus.AddConsumer<SignalModelTrainedConsumer>();
        });
    }
}
