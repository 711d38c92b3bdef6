using DealRisk.Contracts;
using MassTransit.Testing;

namespace DealRisk.Ingestion.Tests;

/// <summary>The deals ingestion announced, each change by one event: DealChanged when rescored now, DealSynced otherwise.</summary>
internal static class Announcements
{
    public static List<DealSnapshot> Deals(ITestHarness harness)
    {
        var now = new CancellationToken(canceled: true);
        return
        [
            .. harness.Published.Select<DealSynced>(now).Select(message => message.Context.Message.Deal),
            .. harness.Published.Select<DealChanged>(now).Select(message => message.Context.Message.Deal),
        ];
    }
}
