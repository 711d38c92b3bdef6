using System.Collections.Concurrent;
using System.Diagnostics;

namespace DealRisk.Benchmarks;

/// <summary>
/// How long the disk takes to make one 4 KB page durable, sampled every 50 ms beside a run from a thread of its own: a
/// write and an fsync of a file in <c>directory</c>. The broker's confirms and the services' checkpoints wait on the
/// same disk, so a pause here tells a stall of the machine from one of the product.
/// </summary>
public sealed class DiskSyncProbe : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private const double StallMs = 100;
    private readonly FileStream _file;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly ConcurrentQueue<(long StartedTicks, double Ms)> _syncs = new();

    private DiskSyncProbe(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        _thread = new Thread(Run) { IsBackground = true, Name = "disk-sync-probe" };
        _thread.Start();
    }

    public static DiskSyncProbe Start(string directory) => new(Path.Combine(directory, "disk-sync-probe"));

    /// <summary>The syncs started between two <see cref="Stopwatch"/> timestamps: p50, p99, the longest, and each one over 100 ms with when it started (seconds after <paramref name="from"/>).</summary>
    public Dictionary<string, object> Figures(long from, long to)
    {
        var syncs = _syncs.Where(sync => sync.StartedTicks >= from && sync.StartedTicks <= to).ToList();
        var sorted = syncs.Select(sync => sync.Ms).Order().ToList();
        return new Dictionary<string, object>
        {
            ["syncs"] = sorted.Count,
            ["p50Ms"] = Math.Round(NearestRank.OfSorted(sorted, 0.50), 2),
            ["p99Ms"] = Math.Round(NearestRank.OfSorted(sorted, 0.99), 2),
            ["maxMs"] = Math.Round(sorted.DefaultIfEmpty(double.NaN).Max(), 1),
            ["over100Ms"] = syncs.Where(sync => sync.Ms > StallMs)
                .Select(sync => $"{Stopwatch.GetElapsedTime(from, sync.StartedTicks).TotalSeconds:0.0} s: {sync.Ms:0} ms").ToList(),
        };
    }

    public void Dispose()
    {
        _stopping.Set();
        _thread.Join();
        var path = _file.Name;
        _file.Dispose();
        File.Delete(path);
    }

    private void Run()
    {
        var page = new byte[4096];
        while (!_stopping.Wait(Interval))
        {
            var started = Stopwatch.GetTimestamp();
            _file.Position = 0;
            _file.Write(page);
            _file.Flush(flushToDisk: true);
            _syncs.Enqueue((started, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
    }
}
