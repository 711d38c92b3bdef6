using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DealRisk.EndToEnd.Tests;

/// <summary>One service running as its own process (<c>dotnet DealRisk.&lt;Name&gt;.dll</c>), with its output kept for failure messages.</summary>
public sealed class ServiceProcess : IDisposable
{
    /// <summary>Inherited settings that would change what the service does under test (a real MongoDB, a collector, Slack).</summary>
    private static readonly string[] ClearedPrefixes =
    [
        "OTEL_", "DEALRISK_", "SLACK_", "ASPNETCORE_", "DOTNET_ENVIRONMENT",
        "Bus__", "Storage__", "Ingestion__", "Features__", "Scoring__", "Notification__", "Reports__", "Slack__", "Logging__",
    ];

    private readonly Process _process;
    private readonly OutputTail _output = new(maxLines: 300);
    private bool _disposed;

    private ServiceProcess(string name, Uri baseAddress, Process process)
    {
        Name = name;
        BaseAddress = baseAddress;
        _process = process;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }

    /// <summary>The operating system's id of the process, to read its CPU time and peak memory from /proc.</summary>
    public int ProcessId => _process.Id;

    public static ServiceProcess Start(string name, string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var key in start.Environment.Keys.Where(key => ClearedPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, baseAddress, process);
        process.OutputDataReceived += (_, line) => service._output.Add("out", line.Data);
        process.ErrorDataReceived += (_, line) => service._output.Add("err", line.Data);
        if (!process.Start())
            throw new InvalidOperationException($"{name} did not start: {start.FileName} {dll}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Polls <c>/health/ready</c> (bus connected, topology declared, warmed up) until it answers 200; fails with the process's output otherwise.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Exited can be seen before the last lines of its output are read: wait for the end of both streams.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it became healthy.\n{Describe()}");
            }
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"{Name} did not answer 200 on {BaseAddress}health/ready within {timeout.TotalSeconds:0} s (last: {last}).\n{Describe()}");
    }

    public string Describe()
    {
        var state = _disposed ? "stopped" : _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"--- {Name} ({state}, {BaseAddress}) ---\n{_output}";
    }

    /// <summary>Kills the process and everything it started; safe to call more than once.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class OutputTail(int maxLines)
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();
        private int _dropped;

        public void Add(string stream, string? line)
        {
            if (line is null) return;
            lock (_gate)
            {
                _lines.Enqueue($"[{stream}] {line}");
                if (_lines.Count > maxLines)
                {
                    _lines.Dequeue();
                    _dropped++;
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                var text = new StringBuilder();
                if (_dropped > 0) text.AppendLine($"[{_dropped} earlier lines dropped]");
                if (_lines.Count == 0) text.AppendLine("[no output]");
                foreach (var line in _lines) text.AppendLine(line);
                return text.ToString();
            }
        }
    }
}
