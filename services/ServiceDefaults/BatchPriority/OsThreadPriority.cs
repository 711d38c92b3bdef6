using System.Runtime.InteropServices;

namespace DealRisk.ServiceDefaults.BatchPriority;

/// <summary>
/// Lowers the calling thread's scheduling priority for good. Linux keeps a nice value and a scheduling policy per thread,
/// and lowering either needs no privilege (raising them again would: that is why lane threads are lowered once and never
/// raised).
/// </summary>
internal static class OsThreadPriority
{
    private const int PriorityProcess = 0;
    private const int SchedIdle = 5;

    /// <summary>
    /// Sets the thread's nice value and moves it to the idle policy (<c>SCHED_IDLE</c>): a thread of any other policy
    /// that wakes takes the core from it at once, and a core running only such threads counts as free when the kernel
    /// places a waking thread. False where the operating system refused either.
    /// </summary>
    public static bool TryLowerCurrentThread(int niceness)
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            return true;
        }
        var thread = gettid();
        var idle = new SchedParam();
        return setpriority(PriorityProcess, thread, niceness) == 0 && sched_setscheduler(thread, SchedIdle, ref idle) == 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setscheduler(int pid, int policy, ref SchedParam param);

    [DllImport("libc")]
    private static extern int gettid();
}
