using System.Runtime.InteropServices;

namespace DealRisk.ServiceDefaults.BatchPriority;

/// <summary>
/// Lowers the calling thread's scheduling priority for good. Linux keeps a nice value per thread, and raising it needs no
/// privilege (lowering it again would: that is why lane threads are lowered once and never raised). Not the idle policy
/// (<c>SCHED_IDLE</c>): under it, two busy threads of normal priority held a whole batch back for more than a minute
/// (tests/DealRisk.Benchmarks/MEASUREMENTS.md, "The idle policy taken back").
/// </summary>
internal static class OsThreadPriority
{
    private const int PriorityProcess = 0;

    public static bool TryLowerCurrentThread(int niceness)
    {
        if (OperatingSystem.IsLinux())
            return setpriority(PriorityProcess, gettid(), niceness) == 0;
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        return true;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
