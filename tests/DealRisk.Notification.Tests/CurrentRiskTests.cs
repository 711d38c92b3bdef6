using DealRisk.Contracts;
using DealRisk.Notification.Dashboard;
using DealRisk.Notification.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Notification.Tests;

/// <summary>One definition of a deal's current risk behind the dashboard's cards, table and chart and the daily summary.</summary>
public sealed class CurrentRiskTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2024, 7, 5);
    private NotificationHarness _notification = null!;

    public async Task InitializeAsync() => _notification = await NotificationHarness.StartAsync();

    public async Task DisposeAsync() => await _notification.DisposeAsync();

    [Fact]
    public async Task After_a_batch_and_real_time_rescores_the_cards_the_table_and_the_chart_agree()
    {
        await Batches.CompleteAsync(_notification, Day.AddDays(-1), Scores.Of("D1", 90, RiskLevels.Critical, amount: 100_000m));
        await Batches.CompleteAsync(_notification, Day,
            Scores.Of("D1", 90, RiskLevels.Critical, amount: 100_000m),
            Scores.Of("D2", 60, RiskLevels.High, amount: 200_000m),
            Scores.Of("D3", 10, RiskLevels.Low, amount: 400_000m),
            Scores.Of("D4", 40, RiskLevels.Medium, amount: 800_000m));

        await _notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 20, RiskLevels.Low, amount: 100_000m, version: 2)));
        await _notification.DeliverAsync(Batches.Rescored(Closed(Scores.Of("D2", 95, RiskLevels.Critical, amount: 200_000m, version: 2))));
        await _notification.DeliverAsync(Batches.Rescored(Scores.Of("D3", 85, RiskLevels.Critical, amount: 400_000m, version: 2)));
        await _notification.DeliverAsync(Batches.Rescored(Scores.Of("D5", 70, RiskLevels.High, amount: 1_600_000m)));

        var view = await DashboardAsync();

        Assert.Equal(["D3", "D5"], view.Deals.Select(score => score.Deal.ExternalId));
        Assert.Equal((2, 1, 4), (view.HighRiskDeals, view.CriticalDeals, view.OpenDeals));
        Assert.Equal(view.Deals.Count, view.HighRiskDeals);
        Assert.Equal(view.Deals.Count(score => score.Level == RiskLevels.Critical), view.CriticalDeals);
        Assert.Equal(2_000_000m, view.AcvAtRisk);
        Assert.Equal(view.Deals.Sum(score => score.Deal.Amount ?? 0), view.AcvAtRisk);
        var today = view.Trend[^1];
        Assert.Equal((Day, view.AcvAtRisk, view.HighRiskDeals, view.CriticalDeals, view.OpenDeals),
            (today.AsOf, today.AcvAtRisk, today.HighRiskDeals, today.CriticalDeals, today.OpenDeals));
        Assert.Equal(view.AcvAtRisk - view.Trend[^2].AcvAtRisk, view.AcvAtRiskChange);
        _notification.AssertNoFaults();
    }

    [Fact]
    public async Task A_batch_score_of_a_newer_deal_version_replaces_an_older_real_time_rescore()
    {
        await _notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 90, RiskLevels.Critical, amount: 50_000m, version: 2)));

        await Batches.CompleteAsync(_notification, Day, Scores.Of("D1", 30, RiskLevels.Medium, amount: 50_000m, version: 3));

        var view = await DashboardAsync();
        Assert.Empty(view.Deals);
        Assert.Equal((0, 0m, 1), (view.HighRiskDeals, view.AcvAtRisk, view.OpenDeals));
    }

    [Fact]
    public async Task The_daily_summary_counts_what_the_dashboard_shows_when_rescores_arrive_before_the_batch_completes()
    {
        var batchId = Guid.NewGuid();
        await _notification.DeliverAsync(Batches.Chunk(batchId, Day, [Scores.Of("D1", 90, RiskLevels.Critical, amount: 100_000m), Scores.Of("D2", 10, RiskLevels.Low, amount: 300_000m)]));
        await _notification.DeliverAsync(Batches.Rescored(Scores.Of("D2", 80, RiskLevels.Critical, amount: 300_000m, version: 2)) with
        {
            AsOf = new DateTimeOffset(Day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero),
        });

        await _notification.DeliverAsync(Batches.Manifest(batchId, Day, 2, new TimeOnly(5, 0)) with
        {
            SyncedAt = new DateTimeOffset(Day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero),
        });

        var report = Assert.Single(_notification.Published<DailyReportPublished>());
        var view = await DashboardAsync();
        Assert.Equal((2, 2, 400_000m), (report.HighRiskDeals, report.CriticalDeals, report.AcvAtRisk));
        Assert.Equal((report.HighRiskDeals, report.CriticalDeals, report.AcvAtRisk, report.OpenDeals),
            (view.HighRiskDeals, view.CriticalDeals, view.AcvAtRisk, view.OpenDeals));
    }

    [Fact]
    public async Task A_report_as_of_a_past_day_ignores_rescores_made_after_that_day()
    {
        await _notification.DeliverAsync(Batches.Rescored(Scores.Of("D1", 95, RiskLevels.Critical, amount: 100_000m, version: 2)));

        await Batches.CompleteAsync(_notification, new DateOnly(2024, 1, 15), Scores.Of("D1", 10, RiskLevels.Low, amount: 100_000m));

        var report = Assert.Single(_notification.Published<DailyReportPublished>());
        Assert.Equal((0, 1), (report.HighRiskDeals, report.OpenDeals));
    }

    [Fact]
    public async Task A_deal_scored_on_its_closing_change_raises_no_critical_alert()
    {
        await _notification.DeliverAsync(Batches.Rescored(Closed(Scores.Of("D1", 95, RiskLevels.Critical, version: 2))));

        Assert.Empty(_notification.Published<RiskAlertRaised>());
        Assert.Equal(DealStages.ClosedLost, (await _notification.Store.LatestRisk.GetAsync("test:D1"))!.Score.Deal.Stage);
    }

    private static DealRiskScore Closed(DealRiskScore score) => score with { Deal = score.Deal with { Stage = DealStages.ClosedLost } };

    private Task<DashboardView> DashboardAsync() => _notification.Services.GetRequiredService<DashboardQuery>().BuildAsync(CancellationToken.None);
}
