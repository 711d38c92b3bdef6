using System.Globalization;

namespace DealRisk.Benchmarks;

/// <summary>Another process's CPU time and peak resident memory, read from Linux's /proc (the services run as their own processes).</summary>
public static class ProcessGauge
{
    /// <summary>The kernel's clock ticks per second for /proc/&lt;pid&gt;/stat times; 100 on every Linux this runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>User plus system CPU seconds the process has used so far.</summary>
    public static double CpuSeconds(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) may hold spaces: the fields after it start past its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var userTicks = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var systemTicks = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (userTicks + systemTicks) / ClockTicksPerSecond;
    }

    /// <summary>The most resident memory the process has held since it started (VmHWM), in MiB.</summary>
    public static double PeakWorkingSetMiB(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return kib / 1024.0;
        }
        throw new InvalidOperationException($"/proc/{processId}/status has no VmHWM line: not a Linux process this benchmark can measure.");
    }
}
