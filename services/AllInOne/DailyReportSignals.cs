using System.Collections.Concurrent;
using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.AllInOne;

/// <summary>Lets a command wait for the report of the batch it started.</summary>
public sealed class DailyReportSignals
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<DailyReportPublished>> _waiting = new();

    public Task<DailyReportPublished> WaitAsync(Guid batchId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Source(batchId).Task.WaitAsync(timeout, cancellationToken);

    public void Signal(DailyReportPublished report) => Source(report.BatchId).TrySetResult(report);

    private TaskCompletionSource<DailyReportPublished> Source(Guid batchId) =>
        _waiting.GetOrAdd(batchId, _ => new TaskCompletionSource<DailyReportPublished>(TaskCreationOptions.RunContinuationsAsynchronously));
}

public sealed class SignalDailyReportConsumer(DailyReportSignals signals) : IConsumer<DailyReportPublished>
{
    public Task Consume(ConsumeContext<DailyReportPublished> context)
    {
        signals.Signal(context.Message);
        return Task.CompletedTask;
    }
}
