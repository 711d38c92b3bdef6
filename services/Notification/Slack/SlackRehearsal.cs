using System.Net;
using System.Net.Sockets;
using DealRisk.Notification.Outbox;
using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification.Slack;

/// <summary>
/// The notification service's scratch copy delivers the alerts its rehearsal queued, through the same outbox dispatcher,
/// Refit client and retry pipeline as the real ones, to a listener on the loopback interface instead of Slack: every
/// Slack destination of the real configuration is pointed at it, no bot token or SMTP host is kept, the pace between
/// messages is dropped, and a step refuses to dispatch unless every destination it could use is on this machine.
/// </summary>
public static class SlackRehearsal
{
    public static readonly IRehearsalStep Dispatch = new CallRehearsal(DispatchAsync);

    public static ScratchSettings Settings(IConfiguration configuration)
    {
        var sink = LoopbackSlack.Start();
        var webhook = sink.Url + "services/rehearsal";
        var values = new Dictionary<string, string?>
        {
            ["Slack:WebhookUrl"] = webhook,
            ["SLACK_WEBHOOK_URL"] = webhook,
            ["Slack:BotToken"] = "",
            ["SLACK_BOT_TOKEN"] = "",
            ["Slack:ApiBaseUrl"] = sink.Url,
            ["Slack:MinIntervalPerChannel"] = "00:00:00",
            ["Email:Host"] = "",
        };
        foreach (var channel in configuration.GetSection("Slack:Webhooks").GetChildren())
            values[$"Slack:Webhooks:{channel.Key}"] = webhook;
        return new ScratchSettings(values, sink);
    }

    private static async Task DispatchAsync(IServiceProvider services, int index, CancellationToken cancellationToken)
    {
        var slack = services.GetRequiredService<IOptions<SlackOptions>>().Value;
        var destinations = slack.Webhooks.Values.Append(slack.WebhookUrl).Append(slack.ApiBaseUrl);
        if (slack.BotToken is not null || destinations.Any(url => url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsLoopback))
            throw new InvalidOperationException("The scratch copy's Slack destinations are not all on the loopback interface; nothing was dispatched.");
        await services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(cancellationToken);
    }

    /// <summary>Answers every request as Slack's incoming webhook does (200, <c>ok</c>) and counts them.</summary>
    private sealed class LoopbackSlack : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;
        private int _answered;

        private LoopbackSlack(int port)
        {
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public static LoopbackSlack Start()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new LoopbackSlack(port);
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                context.Response.StatusCode = 200;
                await context.Response.OutputStream.WriteAsync("ok"u8.ToArray());
                context.Response.Close();
                Interlocked.Increment(ref _answered);
            }
        }

        public override string ToString() => $"a loopback Slack answered {Volatile.Read(ref _answered)} requests";

        public void Dispose()
        {
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
