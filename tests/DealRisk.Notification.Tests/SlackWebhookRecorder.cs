using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DealRisk.Notification.Tests;

/// <summary>
/// A stand-in for Slack's incoming webhooks: a real HTTP listener on loopback that records what it is sent. It can
/// drop the connection on the first requests, the way an unreachable Slack fails.
/// </summary>
internal sealed class SlackWebhookRecorder : IAsyncDisposable
{
    public const string WebhookPath = "/services/T000/B000/XXX";

    private readonly WebApplication _app;
    private int _attempts;

    private SlackWebhookRecorder(WebApplication app) => _app = app;

    /// <summary>Requests that were answered.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Every request that arrived, dropped or answered.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public string WebhookUrl => _app.Urls.Single().TrimEnd('/') + WebhookPath;

    public static async Task<SlackWebhookRecorder> StartAsync(int dropFirstRequests = 0)
    {
        var toDrop = dropFirstRequests;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var recorder = new SlackWebhookRecorder(app);
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref recorder._attempts);
            if (Interlocked.Decrement(ref toDrop) >= 0)
            {
                request.HttpContext.Abort();
                return Results.Empty;
            }
            using var reader = new StreamReader(request.Body);
            recorder.Requests.Enqueue(new RecordedRequest(request.Path, request.ContentType, await reader.ReadToEndAsync()));
            return Results.Text("ok");
        });
        await app.StartAsync();
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record RecordedRequest(string Path, string? ContentType, string Body);
