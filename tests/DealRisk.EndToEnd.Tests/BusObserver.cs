using System.Collections.Concurrent;
using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.EndToEnd.Tests;

/// <summary>
/// The test's own bus on the services' virtual host: a queue of its own bound to the DealScored, DealChunkScored (read
/// back as DealScored), RiskAlertRaised and DailyReportPublished exchanges, so it receives a copy of every one without
/// competing with the services.
/// </summary>
public sealed class BusObserver : IAsyncDisposable
{
    private readonly ConcurrentQueue<DealScored> _scored = new();
    private readonly ConcurrentQueue<RiskAlertRaised> _alerts = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<DailyReportPublished>> _reports = new();
    private IBusControl? _bus;

    public static async Task<BusObserver> StartAsync(RabbitMqBroker broker, string virtualHost)
    {
        var observer = new BusObserver();
        var bus = await broker.StartObserverBusAsync(virtualHost, "e2e-observer", endpoint =>
        {
            endpoint.Handler<DealScored>(context =>
            {
                observer._scored.Enqueue(context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<DealChunkScored>(context =>
            {
                observer._scored.Enqueue(context.Message.ToDealScored());
                return Task.CompletedTask;
            });
            endpoint.Handler<RiskAlertRaised>(context =>
            {
                observer._alerts.Enqueue(context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<DailyReportPublished>(context =>
            {
                observer.Report(context.Message.BatchId).TrySetResult(context.Message);
                return Task.CompletedTask;
            });
        });
        observer._bus = bus;
        return observer;
    }

    /// <summary>How many DealScored have arrived so far: a mark to read only what came after it.</summary>
    public int ScoredMark => _scored.Count;

    public IReadOnlyList<DealScored> ScoredSince(int mark) => _scored.Skip(mark).ToList();

    /// <summary>Every real-time critical alert notification raised so far.</summary>
    public IReadOnlyList<RiskAlertRaised> Alerts => _alerts.ToList();

    public async Task<DailyReportPublished?> WaitForReportAsync(Guid batchId, TimeSpan timeout)
    {
        var report = Report(batchId).Task;
        return await Task.WhenAny(report, Task.Delay(timeout)) == report ? await report : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
            await _bus.StopAsync(TimeSpan.FromSeconds(10));
    }

    private TaskCompletionSource<DailyReportPublished> Report(Guid batchId) =>
        _reports.GetOrAdd(batchId, _ => new TaskCompletionSource<DailyReportPublished>(TaskCreationOptions.RunContinuationsAsynchronously));
}
