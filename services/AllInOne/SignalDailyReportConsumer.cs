using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.AllInOne;

public sealed class SignalDailyReportConsumer(CompletionSignals<DailyReportPublished> signals) : IConsumer<DailyReportPublished>
{
    public Task Consume(ConsumeContext<DailyReportPublished> context)
    {
        signals.Signal(context.Message.BatchId, context.Message);
        return Task.CompletedTask;
    }
}
