using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

/// <summary>
/// Debian's Chromium, headless, driven through chromedriver's W3C WebDriver HTTP API: navigate, type, click, run
/// script, take screenshots.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Driver = "/usr/bin/chromedriver";
    private readonly Process _driver;
    private readonly HttpClient _http;
    private readonly TempDirectory _profile;
    private readonly string _session;

    private HeadlessChromium(Process driver, HttpClient http, TempDirectory profile, string session)
    {
        _driver = driver;
        _http = http;
        _profile = profile;
        _session = session;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(Chromium) || !File.Exists(Driver))
            throw new InvalidOperationException($"The dashboard tests need Debian's chromium and chromium-driver ({Chromium}, {Driver}): run deploy/scripts/ensure-test-tools.sh.");
        var port = SmtpSink.FreePort();
        var driver = Process.Start(new ProcessStartInfo(Driver, [$"--port={port}", "--allowed-ips=127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        for (var i = 0; ; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (i < 100)
            {
                await Task.Delay(100);
            }
        }

        var profile = new TempDirectory();
        var capabilities = new JsonObject
        {
            ["capabilities"] = new JsonObject
            {
                ["alwaysMatch"] = new JsonObject
                {
                    ["browserName"] = "chrome",
                    ["goog:chromeOptions"] = new JsonObject
                    {
                        ["binary"] = Chromium,
                        ["args"] = new JsonArray("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1440,1000", $"--user-data-dir={profile.Path}"),
                    },
                },
            },
        };
        using var response = await http.PostAsync("session", Json(capabilities));
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
        var session = answer?["value"]?["sessionId"]?.GetValue<string>()
                      ?? throw new InvalidOperationException($"chromedriver did not start a session: {answer}");
        return new HeadlessChromium(driver, http, profile, session);
    }

    public Task NavigateAsync(string url) => CommandAsync("url", new JsonObject { ["url"] = url });

    public async Task<string> UrlAsync() => (await CommandAsync("url", null)).GetString()!;

    public async Task TypeAsync(string cssSelector, string text) =>
        await CommandAsync($"element/{await FindAsync(cssSelector)}/value", new JsonObject { ["text"] = text });

    public async Task ClickAsync(string cssSelector) => await CommandAsync($"element/{await FindAsync(cssSelector)}/click", new JsonObject());

    public async Task<JsonElement> ScriptAsync(string script) =>
        await CommandAsync("execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray() });

    public async Task SaveScreenshotAsync(string path)
    {
        var png = (await CommandAsync("screenshot", null)).GetString()!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(png));
    }

    /// <summary>Waits until the script returns true, e.g. a page after a redirect has loaded.</summary>
    public async Task WaitForAsync(string condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await ScriptAsync($"return !!({condition});")).GetBoolean())
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"The page never satisfied: {condition}");
    }

    private async Task<string> FindAsync(string cssSelector)
    {
        var element = await CommandAsync("element", new JsonObject { ["using"] = "css selector", ["value"] = cssSelector });
        return element.EnumerateObject().First().Value.GetString()!;
    }

    private async Task<JsonElement> CommandAsync(string command, JsonObject? body)
    {
        using var response = body is null
            ? await _http.GetAsync($"session/{_session}/{command}")
            : await _http.PostAsync($"session/{_session}/{command}", Json(body));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"chromedriver {command}: {answer}");
        return answer.GetProperty("value").Clone();
    }

    /// <summary>chromedriver wants a Content-Length; PostAsJsonAsync would stream the body chunked.</summary>
    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var _ = await _http.DeleteAsync($"session/{_session}");
        }
        finally
        {
            if (!_driver.HasExited)
            {
                _driver.Kill(entireProcessTree: true);
                await _driver.WaitForExitAsync();
            }
            _driver.Dispose();
            _http.Dispose();
            _profile.Dispose();
        }
    }
}
