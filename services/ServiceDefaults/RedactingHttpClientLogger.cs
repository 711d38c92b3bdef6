using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults;

/// <summary>Replaces HttpClientFactory's request logging, which writes the full URL (path included) at Information.</summary>
public sealed partial class RedactingHttpClientLogger(ILogger<RedactingHttpClientLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => Stopwatch.GetTimestamp();

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        LogRequest(request.Method.Method, UrlRedaction.Redact(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        LogRequestFailure(request.Method.Method, UrlRedaction.Redact(request.RequestUri), exception.GetType().Name, elapsed.TotalMilliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Url} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private partial void LogRequest(string method, string url, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP {Method} {Url} failed with {Error} after {ElapsedMs:0.0} ms")]
    private partial void LogRequestFailure(string method, string url, string error, double elapsedMs);
}

public static class RedactedHttpLoggingExtensions
{
    /// <summary>The client logs method, host and status only, in place of HttpClientFactory's full-URL lines.</summary>
    public static IHttpClientBuilder WithRedactedLogging(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton<RedactingHttpClientLogger>();
        return builder.RemoveAllLoggers().AddLogger<RedactingHttpClientLogger>();
    }
}
