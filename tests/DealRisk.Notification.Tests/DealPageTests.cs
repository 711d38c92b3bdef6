using System.Net;
using DealRisk.Contracts;

namespace DealRisk.Notification.Tests;

public sealed class DealPageTests
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private static readonly DateTimeOffset Wednesday = new(2024, 7, 3, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task In_headless_Chromium_a_deal_page_shows_the_score_timeline_with_the_CRM_change_and_every_movement_with_CRM_text_escaped()
    {
        await using var server = await DashboardServer.StartAsync();
        await SeedAsync(server);
        await using var chromium = await HeadlessChromium.StartAsync();
        await SignInAsync(chromium, server);

        Assert.Equal([Movements.HostileText], await ColumnAsync(chromium, "#movers td.deal a"));
        Assert.Equal(0, (await chromium.ScriptAsync("return document.querySelectorAll('#movers img, #movers b').length;")).GetInt32());
        Assert.Equal("+23", await TextAsync(chromium, "#movers td.up"));
        var href = (await chromium.ScriptAsync("return document.querySelector('#deals td.deal .name a').getAttribute('href');")).GetString();
        Assert.Equal("/dashboard/deals/test/D9", href);
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "dashboard-movers.png"));

        await chromium.ClickAsync("#deals td.deal .name a");
        await chromium.WaitForAsync("document.getElementById('timeline')");
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "deal-page.png"));

        Assert.EndsWith("/dashboard/deals/test/D9", await chromium.UrlAsync());
        Assert.Equal(Movements.HostileText, await TextAsync(chromium, "#deal-title"));
        Assert.Equal(3, (await chromium.ScriptAsync("return document.querySelectorAll('#timeline circle.point').length;")).GetInt32());
        Assert.Equal(1, (await chromium.ScriptAsync("return document.querySelectorAll('#timeline g.crm-event').length;")).GetInt32());
        var rows = await ColumnAsync(chromium, "#movements tbody td.summary");
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("Up 23 to CRITICAL", rows[0]);
        Assert.Equal($"Up 22 to HIGH: no activity for 30 days (new), next step {Movements.HostileText}", rows[1]);
        Assert.StartsWith("First score: ", rows[2]);
        Assert.Equal(0, (await chromium.ScriptAsync("return document.querySelectorAll('main img, main b, main script').length;")).GetInt32());
        Assert.Equal("undefined", (await chromium.ScriptAsync("return typeof window.__xss;")).GetString());
    }

    [Fact]
    public async Task The_deal_page_serves_nothing_anonymously_and_an_unknown_deal_is_not_found()
    {
        await using var server = await DashboardServer.StartAsync();
        await SeedAsync(server);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        using var signedIn = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(server.BaseUrl) };
        using var _ = await signedIn.PostAsync("/dashboard/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = DashboardServer.UserName, ["password"] = DashboardServer.Password,
        }));

        using var refused = await anonymous.GetAsync("/dashboard/deals/test/D9");
        using var unknown = await signedIn.GetAsync("/dashboard/deals/test/NOPE");
        using var known = await signedIn.GetAsync("/dashboard/deals/test/D9");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        var policy = string.Join(" ", known.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'", policy);
        Assert.DoesNotContain("script-src", policy);
    }

    [Fact]
    public async Task When_scoring_does_not_answer_in_time_the_deal_page_says_the_history_is_unavailable_and_does_not_hang()
    {
        await using var server = await DashboardServer.StartAsync(new Dictionary<string, string?> { ["ScoreHistory:RequestTimeout"] = "00:00:00.5" }, scoringAnswers: false);
        using var signedIn = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(server.BaseUrl) };
        using var _ = await signedIn.PostAsync("/dashboard/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = DashboardServer.UserName, ["password"] = DashboardServer.Password,
        }));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var page = await signedIn.GetAsync("/dashboard/deals/test/D9");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), page.Headers.RetryAfter?.Delta);
        Assert.Contains("The score history is unavailable right now", await page.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"answered after {clock.Elapsed}");
    }

    private static async Task SeedAsync(DashboardServer server)
    {
        var day1 = Guid.NewGuid();
        var first = Scores.Of("D9", 40, RiskLevels.Medium, name: Movements.HostileText);
        await server.DeliverAsync(Chunk(day1, new DateOnly(2024, 7, 3), Wednesday, first, Scores.Low("D10")));
        await server.DeliverAsync(Batches.Manifest(day1, new DateOnly(2024, 7, 3), 2, new TimeOnly(5, 30)));

        var rescored = Movements.Moved(Scores.Of("D9", 62, RiskLevels.High, name: Movements.HostileText, version: 2), 40, RiskLevels.Medium,
            crmValue: Movements.HostileText, at: Wednesday.AddHours(3));
        await server.DeliverAsync(Batches.Rescored(rescored) with { AsOf = Wednesday.AddHours(3) });

        var day2 = Guid.NewGuid();
        var critical = Movements.Moved(Scores.Of("D9", 85, RiskLevels.Critical, name: Movements.HostileText, version: 2), 62, RiskLevels.High) with
        {
            Trigger = ScoreTrigger.ForBatch(new BatchChunk { BatchId = day2, AsOf = new DateOnly(2024, 7, 4), ChunkIndex = 0 }, Wednesday.AddDays(1)),
        };
        await server.DeliverAsync(Chunk(day2, new DateOnly(2024, 7, 4), Wednesday.AddDays(1), critical, Scores.Low("D10")));
        await server.DeliverAsync(Batches.Manifest(day2, new DateOnly(2024, 7, 4), 2, new TimeOnly(5, 30)));
    }

    private static DealChunkScored Chunk(Guid batchId, DateOnly day, DateTimeOffset asOf, params DealRiskScore[] scores) =>
        Batches.Chunk(batchId, day, scores) with { AsOf = asOf };

    private static async Task SignInAsync(HeadlessChromium chromium, DashboardServer server)
    {
        await chromium.NavigateAsync(server.BaseUrl + "/dashboard");
        await chromium.WaitForAsync("document.getElementById('sign-in')");
        await chromium.TypeAsync("#username", DashboardServer.UserName);
        await chromium.TypeAsync("#password", DashboardServer.Password);
        await chromium.ClickAsync("#sign-in");
        await chromium.WaitForAsync("document.getElementById('deals')");
    }

    private static async Task<string> TextAsync(HeadlessChromium chromium, string selector) =>
        (await chromium.ScriptAsync($"var e=document.querySelector({System.Text.Json.JsonSerializer.Serialize(selector)}); return e ? e.textContent.trim() : null;")).GetString() ?? "";

    private static async Task<List<string>> ColumnAsync(HeadlessChromium chromium, string selector) =>
        (await chromium.ScriptAsync($"return Array.prototype.map.call(document.querySelectorAll({System.Text.Json.JsonSerializer.Serialize(selector)}), function(e){{return e.textContent.trim();}});"))
            .EnumerateArray().Select(value => value.GetString()!).ToList();
}
