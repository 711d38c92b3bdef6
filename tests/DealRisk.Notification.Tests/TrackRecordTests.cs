using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using DealRisk.Contracts;
using DealRisk.Notification.Reports;
using DealRisk.Notification.TrackRecord;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class TrackRecordTests
{
    private static readonly DateTimeOffset Trained = new(2024, 7, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2024, 6, 30);
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public void The_page_shows_each_scorer_on_the_holdout_and_on_deals_closed_since_training_with_segments_and_drift_and_encodes_segment_names()
    {
        var html = TrackRecordPage.Render(TrackRecords.Sample(Trained), "cro");

        Assert.Contains("<section class=\"panel\" id=\"holdout\"><h2>Latest holdout</h2>", html);
        Assert.Contains("<section class=\"panel\" id=\"closed-since-training\"><h2>Deals closed since training</h2>", html);
        Assert.Contains("<td class=\"n auc\">0.820</td>", html);
        Assert.Contains("By segment (industries and regions with at least 50 closed deals)", html);
        Assert.Contains(WebUtility.HtmlEncode(TrackRecords.HostileIndustry), html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<b>Co</b>", html);
        Assert.Contains("<span class=\"state shifted\">shifted</span>", html);
        Assert.Equal(4, html.Split("<svg ").Length - 1);
        Assert.Contains("No track record yet", TrackRecordPage.Render(null, "cro"));
    }

    [Fact]
    public void Lead_time_quartiles_count_each_lost_deal_and_the_histogram_sums_them_per_range_of_days()
    {
        LeadTime[] leadTimes = [new() { Days = 3, LostDeals = 2 }, new() { Days = 10, LostDeals = 1 }, new() { Days = 40, LostDeals = 1 }, new() { Days = 200, LostDeals = 0 }];

        // Four lost deals: 3, 3, 10, 40 days. Nearest rank: p25 the 1st, median the 2nd, p75 the 3rd.
        Assert.Equal((3, 3, 10), (LeadTimeDistribution.Quantile(leadTimes, 0.25), LeadTimeDistribution.Quantile(leadTimes, 0.5), LeadTimeDistribution.Quantile(leadTimes, 0.75)));
        Assert.Equal([2, 1, 0, 1, 0, 0, 0], LeadTimeDistribution.Counts(leadTimes));
        Assert.Null(LeadTimeDistribution.Quantile([], 0.5));
    }

    [Fact]
    public async Task The_report_folder_gets_the_figures_as_JSON_and_CSV_with_hostile_segment_names_neutralised_and_the_charts_as_valid_SVG()
    {
        using var directory = new TempDirectory();
        var record = TrackRecords.Sample(Trained);

        await TrackRecordFiles.WriteAsync(directory.Path, record, CancellationToken.None);

        var json = JsonSerializer.Deserialize<TrackRecordUpdated>(await File.ReadAllTextAsync(Path.Combine(directory.Path, TrackRecordFiles.JsonFile)), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(record.Evaluations[0].Figures.LeadTimes, json.Evaluations[0].Figures.LeadTimes);
        var (header, rows) = CsvFile.Read(Path.Combine(directory.Path, TrackRecordFiles.FiguresFile));
        Assert.Equal(TrackRecordCsv.FigureColumns, header);
        Assert.Equal(3 * 5 + 1, rows.Count);
        var overall = rows.Single(r => r["scorer"] == "model" && r["population"] == "holdout" && r["segment"] == "all");
        Assert.Equal(("812", "0.82", "0.7667"), (overall["deals"], overall["roc_auc"], overall["high_precision"]));
        Assert.Equal(Median(record.Evaluations[0].Figures.LeadTimes), overall["lead_time_median_days"]);
        var segments = rows.Select(r => r["segment"]).Distinct().ToList();
        Assert.Contains(TrackRecords.HostileIndustry, segments);
        Assert.Contains("North America", segments);
        var formula = Assert.Single(segments, s => s.EndsWith(TrackRecords.FormulaRegion, StringComparison.Ordinal));
        Assert.False(formula[0] is '=' or '+' or '-' or '@' or '\t' or '\r', formula);
        Assert.Equal(40, CsvFile.Read(Path.Combine(directory.Path, TrackRecordFiles.CalibrationFile)).Records.Count);
        var leadTimes = CsvFile.Read(Path.Combine(directory.Path, TrackRecordFiles.LeadTimesFile)).Records;
        Assert.Equal(record.Evaluations.Sum(e => e.Figures.LeadTimes.Sum(l => l.LostDeals)), leadTimes.Sum(r => int.Parse(r["lost_deals"])));
        Assert.Equal(["stable", "watch", "shifted"], CsvFile.Read(Path.Combine(directory.Path, TrackRecordFiles.DriftFile)).Records.Select(r => r["state"]));
        foreach (var population in TrackRecordPage.Populations)
        {
            var reliability = XDocument.Load(Path.Combine(directory.Path, TrackRecordFiles.ReliabilityFile(population)));
            Assert.Equal(2, reliability.Descendants().Count(e => e.Name.LocalName == "polyline"));
            var lead = XDocument.Load(Path.Combine(directory.Path, TrackRecordFiles.LeadTimeFile(population)));
            Assert.Equal(2 * 7, lead.Descendants().Count(e => e.Name.LocalName == "rect" && e.Attribute("class")?.Value == "bar"));
        }
    }

    [Fact]
    public async Task Each_days_report_folder_holds_the_newest_track_record_and_an_older_one_arriving_late_changes_nothing()
    {
        await using var notification = await NotificationHarness.StartAsync();
        await notification.DeliverAsync(TrackRecords.Sample(Trained));
        await Batches.CompleteAsync(notification, Today, Scores.High("D1"));
        var directory = Path.Combine(notification.OutputDirectory, "2024-06-30");
        Assert.Equal("training", ReadJson(directory).Trigger);

        await notification.DeliverAsync(TrackRecords.Sample(Trained.AddDays(1), "batch", Today) with { ServedScorer = "rules", ServedModelVersion = null });
        Assert.Equal(("batch", "rules"), (ReadJson(directory).Trigger, ReadJson(directory).ServedScorer));

        await notification.DeliverAsync(TrackRecords.Sample(Trained.AddHours(1), "batch", Today));
        Assert.Equal("rules", ReadJson(directory).ServedScorer);
        Assert.Equal("rules", (await notification.Store.TrackRecord.GetAsync(TrackRecordEndpoints.LatestId))!.ServedScorer);
        Assert.True(File.Exists(Path.Combine(directory, DailyReportWriter.RiskReportFile)));
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task The_track_record_and_its_figures_serve_nothing_to_an_anonymous_request()
    {
        await using var server = await DashboardServer.StartAsync();
        await server.DeliverAsync(TrackRecords.Sample(Trained));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };

        using var page = await http.GetAsync("/dashboard/track-record");
        using var data = await http.GetAsync("/dashboard/api/track-record");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/dashboard/sign-in", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
    }

    [Fact]
    public async Task In_headless_Chromium_the_CRO_follows_the_dashboard_link_to_the_track_record_and_sees_figures_charts_segments_and_drift()
    {
        await using var server = await DashboardServer.StartAsync();
        await server.DeliverAsync(TrackRecords.Sample(Trained));
        await using var chromium = await HeadlessChromium.StartAsync();

        await chromium.NavigateAsync(server.BaseUrl + "/dashboard");
        await chromium.WaitForAsync("document.getElementById('sign-in')");
        await chromium.TypeAsync("#username", DashboardServer.UserName);
        await chromium.TypeAsync("#password", DashboardServer.Password);
        await chromium.ClickAsync("#sign-in");
        await chromium.WaitForAsync("document.getElementById('track-record-link')");
        await chromium.ClickAsync("#track-record-link");
        await chromium.WaitForAsync("document.getElementById('track-record-summary')");
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "track-record.png"));
        await chromium.ScriptAsync("document.getElementById('segments').scrollIntoView();");
        await chromium.SaveScreenshotAsync(Path.Combine(Screenshots, "track-record-segments.png"));

        Assert.EndsWith("/dashboard/track-record", await chromium.UrlAsync());
        Assert.Equal($"model {TrackRecords.ModelVersion}", await TextAsync(chromium, "#served-scorer"));
        Assert.Equal(["0.820", "0.640", "0.780", "0.620"], await TextsAsync(chromium, "#holdout td.auc, #closed-since-training td.auc"));
        Assert.Equal(2, await CountAsync(chromium, "#holdout svg polyline.series"));
        Assert.Equal(14, await CountAsync(chromium, "#closed-since-training svg rect.bar"));
        Assert.Equal(2, await CountAsync(chromium, "#closed-since-training svg[id^=reliability] polyline.series"));
        Assert.Contains(await TextsAsync(chromium, "#segments tr.segment td:first-child"), cell => cell == $"industry {TrackRecords.HostileIndustry}");
        Assert.Equal(0, await CountAsync(chromium, "#segments img, #segments b"));
        Assert.Equal("undefined", (await chromium.ScriptAsync("return typeof window.__xss;")).GetString());
        Assert.Equal(["stable", "watch", "shifted"], await TextsAsync(chromium, "#drift .state"));

        await chromium.ClickAsync("#back-to-dashboard");
        await chromium.WaitForAsync("document.getElementById('acv-at-risk')");
    }

    private static TrackRecordUpdated ReadJson(string directory) =>
        JsonSerializer.Deserialize<TrackRecordUpdated>(File.ReadAllText(Path.Combine(directory, TrackRecordFiles.JsonFile)), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>The nearest-rank median, counted out deal by deal.</summary>
    private static string Median(IReadOnlyList<LeadTime> leadTimes)
    {
        var days = leadTimes.OrderBy(l => l.Days).SelectMany(l => Enumerable.Repeat(l.Days, l.LostDeals)).ToList();
        return days[(int)Math.Ceiling(0.5 * days.Count) - 1].ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> TextAsync(HeadlessChromium chromium, string selector) =>
        (await chromium.ScriptAsync($"var e=document.querySelector({JsonSerializer.Serialize(selector)}); return e ? e.textContent.trim() : null;")).GetString() ?? "";

    private static async Task<List<string>> TextsAsync(HeadlessChromium chromium, string selector) =>
        (await chromium.ScriptAsync($"return Array.prototype.map.call(document.querySelectorAll({JsonSerializer.Serialize(selector)}), function(e){{return e.textContent.trim();}});"))
        .EnumerateArray().Select(v => v.GetString()!).ToList();

    private static async Task<int> CountAsync(HeadlessChromium chromium, string selector) =>
        (await chromium.ScriptAsync($"return document.querySelectorAll({JsonSerializer.Serialize(selector)}).length;")).GetInt32();
}
