using DealRisk.Contracts;
using MassTransit.Testing;

namespace DealRisk.Ingestion.Tests;

/// <summary>
/// The changes ingestion announced, each by one entry of a <see cref="DealChangesStored"/>: a DealChanged when rescored
/// now, a DealSynced otherwise (a resync's DealSynced, published on its own, counts too).
/// </summary>
internal static class Announcements
{
    private static readonly CancellationToken Now = new(canceled: true);

    public static List<DealChanged> Rescores(ITestHarness harness) =>
        [.. Stored(harness).SelectMany(stored => stored.Rescored)];

    public static List<DealSynced> Syncs(ITestHarness harness) =>
    [
        .. Stored(harness).SelectMany(stored => stored.Synced),
        .. harness.Published.Select<DealSynced>(Now).Select(message => message.Context.Message),
    ];

    public static List<DealSnapshot> Deals(ITestHarness harness) =>
        [.. Syncs(harness).Select(synced => synced.Deal), .. Rescores(harness).Select(changed => changed.Deal)];

    private static IEnumerable<DealChangesStored> Stored(ITestHarness harness) =>
        harness.Published.Select<DealChangesStored>(Now).Select(message => message.Context.Message);
}
