using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Sync;
using MassTransit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using DealRisk.Testing;
using DealRisk.ServiceDefaults;

namespace DealRisk.Ingestion.Tests;

public sealed class DailySyncTests : IAsyncLifetime
{
    /// <summary>06:00 in Los Angeles on Monday 2 November 2026 (PST, the day after DST ended).</summary>
    private static readonly DateTimeOffset SixAmPacific = new(2026, 11, 2, 14, 0, 0, TimeSpan.Zero);

    private readonly IngestionApiFactory _root = new();
    private readonly TempDirectory _drop = new();
    private readonly SettableTimeProvider _clock = new(SixAmPacific);
    private WebApplicationFactory<Program> _factory = null!;
    private ITestHarness _harness = null!;

    public Task InitializeAsync()
    {
        _factory = _root.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Ingestion:Sync:DropFolder", _drop.Path);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock));
        });
        _harness = _factory.Services.GetTestHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _root.DisposeAsync();
        _drop.Dispose();
    }

    [Fact]
    public void The_six_am_schedule_follows_daylight_saving_time_in_Los_Angeles()
    {
        var cron = DailySyncSchedule.Cron(new SyncOptions(), BusinessTimeZone.Default);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 7, 14, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 8, 13, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 3, 9, 13, 0, 0, TimeSpan.Zero),
            ],
            FireTimes(cron, new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero), 3));
        Assert.Equal(
            [
                new DateTimeOffset(2026, 10, 31, 13, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 1, 14, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 2, 14, 0, 0, TimeSpan.Zero),
            ],
            FireTimes(cron, new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero), 3));
    }

    [Fact]
    public void The_sync_is_not_scheduled_unless_enabled()
    {
        Assert.Null(_factory.Services.GetService<ISchedulerFactory>());
    }

    [Fact]
    public async Task When_enabled_the_sync_is_scheduled_for_the_next_six_am_in_Los_Angeles()
    {
        await using var enabled = _root.WithWebHostBuilder(builder => builder.UseSetting("Ingestion:Sync:Enabled", "true"));
        _ = enabled.Services;

        var scheduler = await enabled.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.Single(await scheduler.GetTriggersOfJob(DailySyncSchedule.JobKey));
        var next = TimeZoneInfo.ConvertTime(trigger.NextFireTimeUtc!.Value, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"));

        Assert.Equal(new TimeOnly(6, 0), TimeOnly.FromDateTime(next.DateTime));
    }

    [Fact]
    public async Task With_fresh_webhook_data_the_sync_starts_the_batch_for_today_in_Los_Angeles()
    {
        _clock.Now = SixAmPacific.AddHours(-3);
        await _factory.Services.GetRequiredService<CrmActivity>().RecordWebhookAsync(CancellationToken.None);
        _clock.Now = SixAmPacific;

        var run = await RunAsync();

        Assert.Equal((SyncRun.BatchStarted, new DateOnly(2026, 11, 2)), (run!.Outcome, run.AsOf));
        var command = Assert.Single(HarnessDeliveries.SentCommands<RunDailyBatch>(_harness));
        Assert.Equal((new DateOnly(2026, 11, 2), "schedule", run.BatchId), (command.AsOf, command.Trigger, (Guid?)command.BatchId));
        Assert.Empty(Published<CrmDataUnavailable>());
    }

    [Fact]
    public async Task Without_any_crm_data_in_the_window_it_raises_data_unavailable_instead_of_starting_the_batch()
    {
        _clock.Now = SixAmPacific.AddHours(-27);
        await _factory.Services.GetRequiredService<CrmActivity>().RecordWebhookAsync(CancellationToken.None);
        _clock.Now = SixAmPacific;

        var run = await RunAsync();

        Assert.Equal(SyncRun.DataUnavailable, run!.Outcome);
        Assert.Empty(HarnessDeliveries.SentCommands<RunDailyBatch>(_harness));
        var unavailable = Assert.Single(Published<CrmDataUnavailable>());
        Assert.Equal((new DateOnly(2026, 11, 2), TimeSpan.FromHours(26), SixAmPacific.AddHours(-27)), (unavailable.AsOf, unavailable.Window, unavailable.LastDataAt));
        var alert = Assert.Single(Published<OperatorAlertRaised>());
        Assert.Equal(("crm-data-unavailable", "critical", unavailable.CorrelationId), (alert.Kind, alert.Severity, alert.CorrelationId));
    }

    [Fact]
    public async Task A_new_export_in_the_drop_folder_is_imported_before_the_batch_and_not_imported_again_the_next_day()
    {
        var export = Path.Combine(_drop.Path, "skygeni-2026-11-02.csv");
        await File.WriteAllTextAsync(export, SkyGeniCsv.File(SkyGeniCsv.Row("D1", closed: "", outcome: ""), SkyGeniCsv.Row("D2", closed: "", outcome: "")));

        var first = await RunAsync();
        _clock.Now = SixAmPacific.AddDays(1);
        var second = await RunAsync();

        Assert.Equal(("skygeni-2026-11-02.csv", "completed", SyncRun.BatchStarted), (first!.ExportFile, first.ImportStatus, first.Outcome));
        Assert.Equal(2, Announcements.Deals(_harness).Count);
        Assert.Null(second!.ExportFile);
        Assert.Equal(SyncRun.BatchStarted, second.Outcome);
        Assert.Equal(2, HarnessDeliveries.SentCommands<RunDailyBatch>(_harness).Count);
    }

    [Fact]
    public async Task An_export_whose_format_cannot_be_told_is_not_imported_and_the_reason_is_kept()
    {
        await File.WriteAllTextAsync(Path.Combine(_drop.Path, "deals.csv"), "a,b\n1,2\n");

        var run = await RunAsync();

        Assert.Contains("Cannot tell the format of deals.csv", run!.ExportProblem);
        Assert.Equal(SyncRun.DataUnavailable, run.Outcome);
        Assert.Contains("Cannot tell the format", Assert.Single(Published<OperatorAlertRaised>()).Message);
    }

    [Fact]
    public async Task A_second_run_on_the_same_day_does_nothing()
    {
        await _factory.Services.GetRequiredService<CrmActivity>().RecordWebhookAsync(CancellationToken.None);
        await RunAsync();

        var again = await RunAsync();

        Assert.Null(again);
        Assert.Single(HarnessDeliveries.SentCommands<RunDailyBatch>(_harness));
    }

    private async Task<SyncRun?> RunAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DailySync>().RunAsync(CancellationToken.None);
    }

    private static List<DateTimeOffset> FireTimes(CronExpression cron, DateTimeOffset from, int count)
    {
        var times = new List<DateTimeOffset>();
        for (var next = cron.GetNextValidTimeAfter(from); next is { } time && times.Count < count; next = cron.GetNextValidTimeAfter(time))
            times.Add(time);
        return times;
    }

    private List<T> Published<T>() where T : class =>
        _harness.Published.Select<T>(new CancellationToken(canceled: true)).Select(message => message.Context.Message).ToList();
}
