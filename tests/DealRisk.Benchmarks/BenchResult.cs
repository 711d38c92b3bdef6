using System.Text.Json;

namespace DealRisk.Benchmarks;

/// <summary>One benchmark's measured figures, written as JSON under results/bench/.</summary>
public sealed record BenchResult
{
    public required string Name { get; init; }
    public required DateTimeOffset MeasuredAt { get; init; }
    public required string Machine { get; init; }
    public required IReadOnlyDictionary<string, object> Figures { get; init; }
    public required IReadOnlyDictionary<string, object> Targets { get; init; }
    public required bool TargetsMet { get; init; }

    public static string MachineDescription() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024)} GiB, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}";

    /// <summary>The 1-, 5- and 15-minute load averages ("" where the system has none), to read wall times taken on a shared machine by.</summary>
    public static string LoadAverages() => LoadFields() is { } fields ? string.Join(' ', fields.Take(3)) : "";

    /// <summary>The 1-minute load average, NaN where the system has none.</summary>
    public static double OneMinuteLoad() =>
        LoadFields() is { } fields && double.TryParse(fields[0], System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    private static string[]? LoadFields() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : null;

    public async Task WriteAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine(await File.ReadAllTextAsync(path));
    }
}
