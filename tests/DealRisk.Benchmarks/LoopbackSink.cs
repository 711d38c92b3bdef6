using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DealRisk.Benchmarks;

/// <summary>
/// A loopback listener that answers every POST 200 and keeps nothing: the benchmark sends its own warm-up webhooks
/// there, so its sending path is compiled before the measured load without a change reaching the services.
/// </summary>
public sealed class LoopbackSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackSink(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.Single());

    public static async Task<LoopbackSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**path}", () => Results.Ok());
        await app.StartAsync();
        return new LoopbackSink(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
