using DealRisk.Contracts;
using DealRisk.Notification.Dashboard;
using DealRisk.ScoreHistory;
using DealRisk.ServiceDefaults;
using DealRisk.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DealRisk.Notification.Tests;

/// <summary>
/// The notification service as a real web server on loopback (Kestrel), wired as Program.cs wires it, on the test harness
/// bus; beside it scoring's score history and responder (the deal page asks scoring for a deal's history), unless
/// <c>scoringAnswers</c> is false.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    public const string UserName = "cro";
    public const string Password = "correct horse battery staple";

    private readonly WebApplication _app;
    private readonly TempDirectory _directory;
    private readonly HarnessDeliveries _deliveries;

    private DashboardServer(WebApplication app, TempDirectory directory)
    {
        _app = app;
        _directory = directory;
        _deliveries = new HarnessDeliveries(app.Services.GetTestHarness());
    }

    public string BaseUrl => _app.Urls.Single().TrimEnd('/');

    public ITestHarness Harness => _app.Services.GetTestHarness();

    public IServiceProvider Services => _app.Services;

    /// <summary>Over plain HTTP on loopback, with a cookie a test's HttpClient sends back; <paramref name="settings"/> override.</summary>
    public static async Task<DashboardServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool scoringAnswers = true)
    {
        var directory = new TempDirectory();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = Path.Combine(directory.Path, "data"),
            ["Reports:OutputDirectory"] = Path.Combine(directory.Path, "results"),
            ["Dashboard:UserName"] = UserName,
            ["DASHBOARD_PASSWORD"] = Password,
            ["Dashboard:SecureCookie"] = "false",
            ["Sla:WatchDeadline"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddServiceDefaults();
        builder.AddNotificationService();
        if (scoringAnswers)
            builder.Services.AddScoringHistory(directory.Path);
        builder.Services.AddMassTransitTestHarness(bus =>
        {
            bus.AddNotificationConsumers();
            if (scoringAnswers)
                bus.AddScoringHistoryResponder();
            bus.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(30));
        });
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapDashboard();
        await app.StartAsync();
        return new DashboardServer(app, directory);
    }

    /// <summary>Delivers the message; scores are first kept in scoring's history, as scoring keeps every score it publishes.</summary>
    public async Task DeliverAsync<T>(T message) where T : class
    {
        if (_app.Services.GetService<IScoreHistory>() is { } scoring)
        {
            if (message is DealScored scored)
                await scoring.RecordAsync(scored);
            else if (message is DealChunkScored chunk)
                await scoring.RecordAsync(chunk);
        }
        await _deliveries.DeliverAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
