using DealRisk.Contracts;
using DealRisk.Testing;

// Each system starts four to eight service processes: started side by side on two cores they miss their start-up timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace DealRisk.EndToEnd.Tests;

/// <summary>
/// Two replicas of every service on one virtual host, the replicas of a service sharing its store, with a fake Slack
/// that takes the critical alerts (<c>#deal-alerts</c>), the daily summaries (<c>#revenue-leadership</c>) and the rest
/// (the default webhook), each on a webhook of its own.
/// </summary>
public sealed class ReplicatedSystem() : DistributedSystem(2, new Dictionary<string, string>
{
    // Small chunks, so a batch of a few hundred deals travels as many messages spread over both replicas.
    ["Ingestion__BatchChunkSize"] = "100",
})
{
    public const string AlertsChannel = "#deal-alerts";
    public const string LeadershipChannel = "#revenue-leadership";
    private const string AlertsPath = "/services/T000/B001/ALERTS";
    private const string LeadershipPath = "/services/T000/B002/LEADERSHIP";

    private FakeSlack? _slack;

    public FakeSlack Slack => _slack ?? throw new InvalidOperationException("The system is not started.");

    /// <summary>Every message Slack took so far, on the channel its webhook posts to.</summary>
    public IReadOnlyList<SlackPost> SlackPosts()
    {
        var channels = new Dictionary<string, string>
        {
            [AlertsPath] = AlertsChannel,
            [LeadershipPath] = LeadershipChannel,
            [FakeSlack.WebhookPath] = "default webhook",
        };
        return Slack.Requests.Select(request => SlackPost.From(request, channels)).ToList();
    }

    public override async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        Set("SLACK_WEBHOOK_URL", _slack.WebhookUrl);
        Set("Slack__Webhooks__deal-alerts", _slack.BaseUrl + AlertsPath);
        Set("Slack__Webhooks__revenue-leadership", _slack.BaseUrl + LeadershipPath);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_slack is not null)
        {
            await _slack.DisposeAsync();
            _slack = null;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicatedSystemCollection : ICollectionFixture<ReplicatedSystem>
{
    public const string Name = "Two replicas of every service on RabbitMQ";
}

[Collection(ReplicatedSystemCollection.Name)]
public sealed class ReplicatedSystemTests(ReplicatedSystem system)
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SlackTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Longer than a dispatcher takes from Slack's answer to marking the message sent, and than a message takes to cross a hop.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>Slack's pace per channel; the fake's clock and the services' differ by far less than the 10 ms allowed.</summary>
    private static readonly TimeSpan OneMessagePerSecond = TimeSpan.FromMilliseconds(990);

    private const int DealsPerBatchAlert = 10;
    private const string RealTimePrefix = "E2E-RT-";

    /// <summary>
    /// One test, because each step kills replicas the next runs without: a batch on two replicas of everything with a
    /// features and a scoring replica killed mid-batch; real-time rescores alerted by both notification replicas; then
    /// the same batch on one replica of each service.
    /// </summary>
    [Fact]
    public async Task Two_replicas_of_every_service_give_one_replicas_report_score_each_deal_once_and_send_each_alert_once_at_one_message_per_second_per_channel()
    {
        var export = SkyGeniExport.Synthetic(count: 2000);
        var asOf = export.MiddleDate;
        var mark = system.Observer.ScoredMark;

        var replicated = await system.ImportAsync(export, asOf, runBatch: true);
        system.Kill("Features", 2);
        system.Kill("Scoring", 2);

        var batchId = Assert.IsType<Guid>(replicated.BatchId);
        var report = await system.Observer.WaitForReportAsync(batchId, ReportTimeout);
        Assert.True(report is not null, $"No report for batch {batchId} within {ReportTimeout.TotalMinutes:0} min after killing a replica.\n{system.Diagnostics()}");
        var expected = system.ImportedDeals.Where(d => d.IsOpenOn(asOf)).Select(d => d.Id).ToHashSet();
        var chunks = system.Observer.ScoredSince(mark).Where(m => m.Batch?.BatchId == batchId).ToList();
        AssertEveryDealScoredOnce(chunks, expected);
        var replicatedCsv = await File.ReadAllTextAsync(Path.Combine(report.ReportDirectory, "risk-report.csv"));
        await WaitForSlackAsync(posts => posts.Count(p => p.IsDailySummary) >= 1, "the replicated batch's daily summary");

        var alerted = await RescoreInRealTimeAsync();

        system.Kill("Ingestion", 2);
        system.Kill("Notification", 2);
        var single = await system.ImportAsync(export, asOf, runBatch: true);
        var singleReport = await system.Observer.WaitForReportAsync(Assert.IsType<Guid>(single.BatchId), ReportTimeout);
        Assert.True(singleReport is not null, $"No report from one replica per service.\n{system.Diagnostics()}");

        Assert.Equal(expected.Count, report.OpenDeals);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(singleReport.ReportDirectory, "risk-report.csv")), replicatedCsv);

        await WaitForSlackAsync(posts => posts.Count(p => p.IsDailySummary) >= 2, "the second batch's daily summary");
        await Task.Delay(Settle);
        var slack = system.SlackPosts();
        AssertEachBatchAlertedOnce(slack, CriticalDeals(replicatedCsv), batches: 2);
        AssertEachRealTimeAlertSentOnce(slack, alerted);
        var tooClose = SlackPost.TooClose(slack, OneMessagePerSecond);
        Assert.True(tooClose.Count == 0, $"{tooClose.Count} of {slack.Count} Slack messages came within a second of the one before on their channel:\n{string.Join("\n", tooClose)}");
    }

    /// <summary>
    /// New open deals imported without a batch are rescored one by one, on both replicas of every service; returns those
    /// scored critical, once Slack has named each of them.
    /// </summary>
    private async Task<IReadOnlySet<string>> RescoreInRealTimeAsync()
    {
        var deals = SkyGeniExport.OpenDeals(40, RealTimePrefix, new DateOnly(2025, 3, 1));
        var ids = deals.Deals.Select(d => d.Id).ToHashSet();
        var mark = system.Observer.ScoredMark;
        await system.ImportAsync(deals, asOf: null, runBatch: false);

        var deadline = DateTime.UtcNow + SlackTimeout;
        List<DealRiskScore> rescored;
        while ((rescored = system.Observer.ScoredSince(mark).Where(m => m.Batch is null).SelectMany(m => m.Scores).Where(s => ids.Contains(s.Deal.ExternalId)).ToList())
               .Select(s => s.Deal.ExternalId).Distinct().Count() < ids.Count && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        var scoredIds = rescored.Select(s => s.Deal.ExternalId).ToHashSet();
        Assert.True(scoredIds.SetEquals(ids), $"{scoredIds.Count} of {ids.Count} imported deals were rescored in real time.\n{system.Diagnostics()}");

        var critical = rescored.Where(s => s.Level == RiskLevels.Critical).Select(s => s.Deal.ExternalId).ToHashSet();
        Assert.True(critical.Count >= 3, $"Only {critical.Count} of {ids.Count} rescored deals turned critical: too few alerts to show two dispatchers sharing a channel.");
        await WaitForSlackAsync(posts => critical.IsSubsetOf(posts.Where(p => p.IsCriticalAlert).SelectMany(p => p.NamedDeals)), $"alerts naming the {critical.Count} critical deals");
        // A replica killed between Slack's answer and marking its message sent would send that message again.
        await Task.Delay(Settle);
        return critical;
    }

    private async Task WaitForSlackAsync(Func<IReadOnlyList<SlackPost>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + SlackTimeout;
        while (!condition(system.SlackPosts()))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Slack did not receive {what} within {SlackTimeout.TotalSeconds:0} s; it has {system.Slack.Requests.Count} message(s) " +
                            $"({system.Slack.Attempts} attempts):\n{string.Join("\n", system.SlackPosts().Select(p => $"{p.Channel}: {p.Text.Split('\n')[0]}"))}\n{system.Diagnostics()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Each batch's critical alert came once to #deal-alerts, listing the report's most urgent critical deals, and its summary once.</summary>
    private static void AssertEachBatchAlertedOnce(IReadOnlyList<SlackPost> slack, IReadOnlySet<string> criticalInReport, int batches)
    {
        Assert.True(criticalInReport.Count > 0, "The report has no critical deal, so no batch alert to count.");
        var batchAlerts = slack.Where(p => p.IsCriticalAlert && !p.NamedDeals.Any(id => id.StartsWith(RealTimePrefix, StringComparison.Ordinal))).ToList();
        Assert.Equal(batches, batchAlerts.Count);
        Assert.All(batchAlerts, alert =>
        {
            Assert.Equal(ReplicatedSystem.AlertsChannel, alert.Channel);
            Assert.Equal(criticalInReport.Count, alert.CriticalTotal);
            Assert.Equal(Math.Min(DealsPerBatchAlert, criticalInReport.Count), alert.NamedDeals.Distinct().Count());
            Assert.Equal(alert.NamedDeals.Count, alert.NamedDeals.Distinct().Count());
            Assert.Subset(criticalInReport.ToHashSet(), alert.NamedDeals.ToHashSet());
        });
        var summaries = slack.Where(p => p.IsDailySummary).ToList();
        Assert.Equal(batches, summaries.Count);
        Assert.All(summaries, summary => Assert.Equal(ReplicatedSystem.LeadershipChannel, summary.Channel));
    }

    /// <summary>Every deal rescored critical is named in exactly one #deal-alerts message, and no other real-time deal is.</summary>
    private void AssertEachRealTimeAlertSentOnce(IReadOnlyList<SlackPost> slack, IReadOnlySet<string> critical)
    {
        var named = slack.Where(p => p.IsCriticalAlert)
            .SelectMany(p => p.NamedDeals.Where(id => id.StartsWith(RealTimePrefix, StringComparison.Ordinal)).Select(id => (id, p.Channel)))
            .ToList();
        Assert.All(named, deal => Assert.Equal(ReplicatedSystem.AlertsChannel, deal.Channel));
        Assert.Equal(critical.Order(StringComparer.Ordinal), named.Select(deal => deal.id).Order(StringComparer.Ordinal));
        var raised = system.Observer.Alerts.Select(a => a.Score.Deal.ExternalId).Where(id => id.StartsWith(RealTimePrefix, StringComparison.Ordinal)).ToHashSet();
        Assert.True(raised.SetEquals(critical), $"RiskAlertRaised named {raised.Count} deals, {critical.Count} were rescored critical.");
    }

    private static HashSet<string> CriticalDeals(string riskReportCsv)
    {
        var rows = CsvText.Read(riskReportCsv).ToList();
        int id = Array.IndexOf(rows[0], "deal_id"), level = Array.IndexOf(rows[0], "level");
        return rows.Skip(1).Where(row => row.Length > level && row[level] == RiskLevels.Critical).Select(row => row[id]).ToHashSet();
    }

    /// <summary>
    /// Each deal belongs to exactly one chunk of the batch; a chunk a killed replica published but never acknowledged
    /// may arrive twice, and then it must carry the same scores both times.
    /// </summary>
    private static void AssertEveryDealScoredOnce(IReadOnlyList<DealScored> chunks, IReadOnlySet<string> expected)
    {
        var byIndex = chunks.GroupBy(c => c.Batch!.ChunkIndex).ToList();
        foreach (var copies in byIndex)
        {
            var first = copies.First().Scores.Select(s => (s.Deal.ExternalId, s.Score, s.Level)).ToList();
            Assert.All(copies, copy => Assert.Equal(first, copy.Scores.Select(s => (s.Deal.ExternalId, s.Score, s.Level)).ToList()));
        }
        var deals = byIndex.SelectMany(copies => copies.First().Scores.Select(s => s.Deal.ExternalId)).ToList();
        Assert.Equal(deals.Count, deals.Distinct().Count());
        Assert.True(deals.ToHashSet().SetEquals(expected), $"Scored {deals.Count} deals; {expected.Count} were open.");
    }
}
