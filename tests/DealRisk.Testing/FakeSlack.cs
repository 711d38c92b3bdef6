using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DealRisk.Testing;

/// <summary>
/// A stand-in for Slack: a real HTTP listener on loopback serving incoming webhooks (any path, answers <c>ok</c>) and
/// <c>/api/chat.postMessage</c> (answers <c>{"ok":true}</c>), recording when each message arrived. Scripted failures
/// answer the next requests: a dropped connection, a 500, or a 429 with Retry-After; a gate can hold a request until
/// the test releases it.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    public const string WebhookPath = "/services/T000/B000/XXX";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, IResult?>> _script = new();
    private readonly SemaphoreSlim _received = new(0);
    private TaskCompletionSource? _gate;
    private TaskCompletionSource? _held;
    private int _attempts;
    private string? _refused;
    private int _refusedCount;

    private FakeSlack(WebApplication app) => _app = app;

    /// <summary>Requests that were answered 2xx.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>When each request arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks), failed or answered.</summary>
    public ConcurrentQueue<long> AttemptTicks { get; } = new();

    /// <summary>Every request that arrived, failed or answered.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public string BaseUrl => _app.Urls.Single().TrimEnd('/');

    public string WebhookUrl => BaseUrl + WebhookPath;

    public string ApiBaseUrl => BaseUrl + "/api/";

    public static async Task<FakeSlack> StartAsync()
    {
        // The test's own directory as content root: the default, the working directory, is the repository, where the
        // benchmarks keep their stores, and the configuration's file watcher there took a share of a core while they wrote.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var slack = new FakeSlack(app);
        app.MapPost("/{**path}", (Delegate)slack.HandleAsync);
        await app.StartAsync();
        return slack;
    }

    public FakeSlack DropConnections(int count) => Script(count, context =>
    {
        context.Abort();
        return Results.Empty;
    });

    public FakeSlack AnswerServerError(int count) => Script(count, _ => Results.StatusCode(500));

    /// <summary>Every request whose body contains <paramref name="marker"/> is answered 400 <c>invalid_blocks</c>, as Slack does for a message it will never take.</summary>
    public void RefuseMessagesContaining(string marker) => _refused = marker;

    /// <summary>Requests refused by <see cref="RefuseMessagesContaining"/>.</summary>
    public int Refused => Volatile.Read(ref _refusedCount);

    public FakeSlack AnswerTooManyRequests(int count, int retryAfterSeconds) => Script(count, context =>
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString();
        return Results.StatusCode(429);
    });

    /// <summary>The next request waits until <see cref="Release"/>.</summary>
    public void HoldNextRequest() => _gate = _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _held?.TrySetResult();

    /// <summary>Waits until this many requests were answered 2xx; fails the test after a generous time.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (Requests.Count < count)
        {
            try
            {
                await _received.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The fake Slack received {Requests.Count} of {count} expected messages ({Attempts} attempts).");
            }
        }
        return Requests.ToList();
    }

    /// <summary>Waits until no request has arrived for <paramref name="quiet"/> (at most <paramref name="limit"/>); returns how many messages arrived meanwhile.</summary>
    public async Task<int> WaitForQuietAsync(TimeSpan quiet, TimeSpan limit)
    {
        var before = Requests.Count;
        var deadline = DateTime.UtcNow + limit;
        var attempts = Attempts;
        var lastArrival = DateTime.UtcNow;
        while (DateTime.UtcNow - lastArrival < quiet && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            if (Attempts != attempts)
                (attempts, lastArrival) = (Attempts, DateTime.UtcNow);
        }
        return Requests.Count - before;
    }

    private FakeSlack Script(int count, Func<HttpContext, IResult?> answer)
    {
        for (var i = 0; i < count; i++)
            _script.Enqueue(answer);
        return this;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _attempts);
        AttemptTicks.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
            await gate.Task;
        if (_refused is { } marker && body.Contains(marker, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _refusedCount);
            return Results.Text("invalid_blocks", statusCode: 400);
        }
        if (_script.TryDequeue(out var scripted))
            return scripted(context) ?? Results.Empty;

        Requests.Enqueue(new RecordedRequest(context.Request.Path, context.Request.ContentType, context.Request.Headers.Authorization.ToString(), body, System.Diagnostics.Stopwatch.GetTimestamp()));
        _received.Release();
        return context.Request.Path.StartsWithSegments("/api")
            ? Results.Text("{\"ok\":true}", "application/json")
            : Results.Text("ok");
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Path, string? ContentType, string Authorization, string Body, long ArrivedTicks)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    public string Text => Json.GetProperty("text").GetString()!;
}
