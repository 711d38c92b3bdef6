using System.Diagnostics;

namespace DealRisk.Deployment.Tests;

/// <summary>A command run to completion with its output kept, for tools the deployment is checked with (kubectl, setpriv).</summary>
public sealed record ExternalCommand(int ExitCode, string Output, string Error)
{
    public static ExternalCommand Run(string file, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }
        return new ExternalCommand(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The full path of a tool on PATH, or a failure naming the script that installs it.</summary>
    public static string Require(string tool, string installedBy)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
        return found ?? throw new Xunit.Sdk.XunitException($"{tool} is not installed: run {installedBy} (as root) first.");
    }

    public string Describe() => $"exit {ExitCode}\n{Output}\n{Error}";
}
