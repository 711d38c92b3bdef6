using DealRisk.ServiceDefaults;
using DealRisk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace DealRisk.Notification.Tests;

public sealed class SecretRedactionTests
{
    private const string SecretPath = "/services/T0SECRET1/B0SECRET2/s3cr3tW3bh00kT0k3n";

    [Fact]
    public async Task A_Slack_delivery_leaves_the_webhook_secret_in_no_log_line_and_no_span()
    {
        await using var slack = await FakeSlack.StartAsync();
        var telemetry = new CapturedTelemetry();
        await using var notification = await NotificationHarness.StartAsync(
            new Dictionary<string, string?> { ["Slack:WebhookUrl"] = slack.BaseUrl + SecretPath },
            configure: builder =>
            {
                builder.AddServiceDefaults();
                builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(telemetry);
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(telemetry.Spans));
            });

        await Batches.CompleteAsync(notification, null, Scores.Critical("D1"), Scores.Low("D2"));

        var requests = await slack.WaitForRequestsAsync(2);
        Assert.All(requests, request => Assert.Equal(SecretPath, request.Path));
        await SlackDeliveryTests.WaitUntilSentAsync(notification, 2);
        // Spans of other tests' clients running in parallel are captured too: each must be redacted, and two are this delivery's.
        var httpSpans = await WaitForAsync(() => telemetry.FinishedSpans().Where(span => span.GetTagItem("url.full") is not null).ToList(),
            spans => spans.Count(span => span.GetTagItem("url.full") as string == slack.BaseUrl + "/[redacted]") >= 2);
        Assert.All(httpSpans, span => Assert.EndsWith("/[redacted]", span.GetTagItem("url.full") as string));
        Assert.Contains(telemetry.Logs, line => line.Contains($"HTTP POST {slack.BaseUrl}/[redacted] answered 200", StringComparison.Ordinal));
        telemetry.AssertNowhere("s3cr3tW3bh00kT0k3n");
        telemetry.AssertNowhere("B0SECRET2");
    }

    private static async Task<List<T>> WaitForAsync<T>(Func<List<T>> read, Func<List<T>, bool> done)
    {
        for (var i = 0; i < 100; i++)
        {
            var items = read();
            if (done(items))
                return items;
            await Task.Delay(100);
        }
        Assert.Fail("What the test waited for did not happen within 10 seconds.");
        return [];
    }
}
