using System.Collections.Concurrent;
using System.Diagnostics;

namespace DealRisk.Benchmarks;

/// <summary>A Slack incoming webhook on loopback that answers "ok" and records when each message arrived.</summary>
public sealed class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(long ArrivedTicks, string Path, string Body)> _messages = new();

    private FakeSlack(WebApplication app) => _app = app;

    public string WebhookUrl { get; private set; } = "";

    public IReadOnlyList<(long ArrivedTicks, string Path, string Body)> Messages => _messages.ToList();

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var slack = new FakeSlack(app);
        app.MapPost("/{**path}", async (HttpContext http, string path) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            slack._messages.Enqueue((Stopwatch.GetTimestamp(), path, await reader.ReadToEndAsync()));
            return Results.Text("ok");
        });
        await app.StartAsync();
        slack.WebhookUrl = app.Urls.First().TrimEnd('/') + "/services/T000BENCH/B000BENCH/benchsecret";
        return slack;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
