using System.Net;
using DealRisk.Contracts;

namespace DealRisk.Notification.Tests;

public sealed class DashboardTests
{
    private const string HostileName = "<img src=x onerror=\"window.__xss=1\">Acme & <b>Co</b>";
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task The_dashboard_and_its_data_serve_nothing_to_an_anonymous_request()
    {
        await using var server = await DashboardServer.StartAsync();
        await SeedAsync(server);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };

        using var page = await http.GetAsync("/dashboard");
        using var data = await http.GetAsync("/dashboard/api/summary");
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/dashboard/api/summary") { Headers = { { "Cookie", "dealrisk.dashboard=forged" } } };
        using var forgedAnswer = await http.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/dashboard/sign-in", page.Headers.Location!.PathAndQuery);
        Assert.Equal("", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        Assert.Equal("", await data.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_right_one_opens_the_dashboard_and_its_data()
    {
        await using var server = await DashboardServer.StartAsync();
        await SeedAsync(server);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(server.BaseUrl) };

        using var refused = await http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, "guess"));
        using var stillAnonymous = await http.GetAsync("/dashboard/api/summary");
        using var accepted = await http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, DashboardServer.Password));
        using var data = await http.GetAsync("/dashboard/api/summary");

        Assert.Equal("/dashboard/sign-in?failed", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, stillAnonymous.StatusCode);
        Assert.Equal("/dashboard", accepted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        var json = System.Text.Json.JsonDocument.Parse(await data.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, json.GetProperty("highRiskDeals").GetInt32());
        Assert.Equal(5, json.GetProperty("trend").GetArrayLength());
    }

    [Fact]
    public async Task After_five_wrong_passwords_even_the_right_one_is_refused_for_a_while()
    {
        await using var server = await DashboardServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(server.BaseUrl) };

        for (var i = 0; i < 5; i++)
        {
            using var refused = await http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, $"guess {i}"));
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        }
        using var blocked = await http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, DashboardServer.Password));
        using var data = await http.GetAsync("/dashboard/api/summary");

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
    }

    [Fact]
    public async Task In_headless_Chromium_the_signed_in_CRO_sees_ACV_at_risk_the_banner_the_model_and_sortable_filterable_deals()
    {
        await using var server = await DashboardServer.StartAsync();
        await SeedAsync(server);
        await using var chromium = await HeadlessChromium.StartAsync();

        await chromium.NavigateAsync(server.BaseUrl + "/dashboard");
        await chromium.WaitForAsync("document.getElementById('sign-in')");
        Assert.Contains("/dashboard/sign-in", await chromium.UrlAsync());
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "sign-in.png"));
        await chromium.TypeAsync("#username", DashboardServer.UserName);
        await chromium.TypeAsync("#password", DashboardServer.Password);
        await chromium.ClickAsync("#sign-in");
        await chromium.WaitForAsync("document.getElementById('deals')");
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "dashboard.png"));

        Assert.Equal("$1.2M", await TextAsync(chromium, "#acv-at-risk .value"));
        Assert.Equal("▲ $700k since yesterday", await TextAsync(chromium, "#acv-at-risk .delta"));
        Assert.Equal("ff-2024-07-01", await TextAsync(chromium, "#model .value"));
        Assert.Contains("ROC-AUC 0.812", await TextAsync(chromium, "#model .delta"));
        Assert.StartsWith("Escalation — high-risk spike on 2024-07-05", await TextAsync(chromium, "#escalation"));
        Assert.Equal(5, (await chromium.ScriptAsync("return document.querySelectorAll('#trend circle').length;")).GetInt32());
        Assert.Equal(["D1", "D3", "D2"], await ColumnAsync(chromium, "td.deal .name", hostileAs: "D2"));
        Assert.Equal("Executive sponsor call", await TextAsync(chromium, "#deals tbody tr td.action"));

        Assert.Equal(HostileName, await TextAsync(chromium, "#deals tbody tr:nth-child(3) td.deal .name"));
        Assert.Equal(0, (await chromium.ScriptAsync("return document.querySelectorAll('#deals img, #deals b').length;")).GetInt32());
        Assert.Equal("undefined", (await chromium.ScriptAsync("return typeof window.__xss;")).GetString());

        await chromium.ScriptAsync("var s=document.getElementById('filter-rep'); s.value='rep_b'; s.dispatchEvent(new Event('change'));");
        Assert.Equal(["D3"], await ColumnAsync(chromium, "tr:not([hidden]) td.deal .name"));
        Assert.Equal("1 deal", await TextAsync(chromium, "#shown"));
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "dashboard-filtered.png"));

        await chromium.ScriptAsync("var s=document.getElementById('filter-rep'); s.value=''; s.dispatchEvent(new Event('change'));");
        await chromium.ClickAsync("#deals th:nth-child(4)");
        Assert.Equal(["D2", "D1", "D3"], await ColumnAsync(chromium, "td.deal .name", hostileAs: "D2"));
    }

    private static async Task SeedAsync(DashboardServer server)
    {
        await server.DeliverAsync(new ModelPromoted
        {
            CorrelationId = Guid.NewGuid(),
            ModelVersion = "ff-2024-07-01",
            Trainer = "FastForest",
            Metrics = new ModelMetrics { RocAuc = 0.812, PrAuc = 0.6, PrecisionAtAlert = 0.5, RecallAtAlert = 0.6, BrierScore = 0.2, HoldoutDeals = 1000 },
            RulesMetrics = new ModelMetrics { RocAuc = 0.7, PrAuc = 0.5, PrecisionAtAlert = 0.4, RecallAtAlert = 0.5, BrierScore = 0.25, HoldoutDeals = 1000 },
            TrainedFrom = new DateOnly(2022, 1, 1),
            TrainedTo = new DateOnly(2024, 6, 1),
            TrainingDeals = 5000,
            FeatureImportances = [new FeatureImportance { Feature = "days_in_stage", Importance = 0.1 }],
            PromotedAt = new DateTimeOffset(2024, 7, 1, 3, 0, 0, TimeSpan.Zero),
        });
        for (var day = 1; day <= 4; day++)
            await CompleteAsync(server, new DateOnly(2024, 7, day), Scores.Of("D1", 80, RiskLevels.Critical, amount: 400_000m + day * 25_000m, owner: "rep_a", industry: "SaaS"));
        await CompleteAsync(server, new DateOnly(2024, 7, 5),
            Scores.Of("D1", 95, RiskLevels.Critical, amount: 500_000m, owner: "rep_a", industry: "SaaS"),
            Scores.Of("D2", 60, RiskLevels.High, amount: 600_000m, owner: "rep_a", name: HostileName, industry: "Fintech"),
            Scores.Of("D3", 70, RiskLevels.High, amount: 100_000m, owner: "rep_b", industry: "Fintech"),
            Scores.Low("D4"));
    }

    private static async Task CompleteAsync(DashboardServer server, DateOnly day, params DealRiskScore[] scores)
    {
        var batchId = Guid.NewGuid();
        await server.DeliverAsync(Batches.Chunk(batchId, day, scores, scorer: "model", modelVersion: "ff-2024-07-01"));
        await server.DeliverAsync(Batches.Manifest(batchId, day, scores.Length, new TimeOnly(5, 30)));
    }

    private static async Task<string> TextAsync(HeadlessChromium chromium, string selector) =>
        (await chromium.ScriptAsync($"var e=document.querySelector({System.Text.Json.JsonSerializer.Serialize(selector)}); return e ? e.textContent.trim() : null;")).GetString() ?? "";

    private static async Task<List<string>> ColumnAsync(HeadlessChromium chromium, string selector, string? hostileAs = null)
    {
        var values = await chromium.ScriptAsync(
            $"return Array.prototype.map.call(document.querySelectorAll({System.Text.Json.JsonSerializer.Serialize(selector)}), function(e){{return e.textContent.trim();}});");
        return values.EnumerateArray().Select(value => value.GetString() == HostileName && hostileAs is not null ? hostileAs : value.GetString()!).ToList();
    }

    private static FormUrlEncodedContent Form(string userName, string password) =>
        new(new Dictionary<string, string> { ["username"] = userName, ["password"] = password });
}
