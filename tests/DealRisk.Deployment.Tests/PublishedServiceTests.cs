using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DealRisk.Deployment.Tests;

/// <summary>
/// Each service's published output run as its image runs it: as the image's unprivileged user, from an application
/// directory that user cannot write, with only the paths the Dockerfile declares as volumes writable. A service that
/// needs to write anywhere else fails here, not hours into its first day in a container.
/// </summary>
public sealed class PublishedServiceTests
{
    /// <summary>APP_UID of the .NET runtime images, which the Dockerfiles run as.</summary>
    private const int AppUid = 1654;
    private const string AppDirectory = "/app";

    public static TheoryData<string> Services => new(Repository.DeployableServices());

    /// <summary>
    /// Every directory a service writes to (embedded store, model reports, reports) is probed by the service itself at
    /// start-up, as the user it runs as: healthy means it could write to each of them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_published_service_starts_as_a_non_root_user_writing_only_to_the_volumes_its_image_declares(string service)
    {
        using var published = Publish(service);
        foreach (var volume in published.Volumes)
            GiveToAppUser(volume);

        Assert.NotEqual(0, AsAppUser(published.Setpriv, "test", "-w", published.App).ExitCode);
        Assert.All(published.Volumes, volume => Assert.Equal(0, AsAppUser(published.Setpriv, "test", "-w", volume).ExitCode));

        using var process = Start(published, out var baseAddress, out var output);
        await WaitUntilHealthyAsync(process, baseAddress, output, service);

        var written = published.Volumes.SelectMany(volume => Directory.EnumerateFileSystemEntries(volume, "*", SearchOption.AllDirectories)).ToList();
        var stray = Directory.EnumerateFileSystemEntries(published.App, "*", SearchOption.AllDirectories)
            .Where(path => !published.Volumes.Any(volume => path.StartsWith(volume, StringComparison.Ordinal)) && OwnedByAppUser(path))
            .ToList();
        Assert.Empty(stray);
        Assert.All(written, path => Assert.True(OwnedByAppUser(path), $"{path} was not written by the service's user."));
    }

    [Fact]
    public async Task Scoring_without_a_writable_model_directory_refuses_to_start_naming_the_setting()
    {
        using var published = Publish("Scoring");
        foreach (var volume in published.Volumes.Where(v => Path.GetFileName(v) == ".data"))
            GiveToAppUser(volume);

        using var process = Start(published, out _, out var output);
        var exited = await Task.Run(() => process.WaitForExit(TimeSpan.FromMinutes(2)));
        if (!exited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        Assert.True(exited, $"Scoring started although it cannot write its model reports:\n{output}");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Scoring:ModelDirectory", output.ToString());
    }

    /// <summary>The service published into an application directory the app user cannot write, its volumes not yet given to it.</summary>
    private static PublishedApp Publish(string service)
    {
        var setpriv = RequireRootWithSetpriv();
        var root = Path.Combine(Path.GetTempPath(), $"dealrisk-published-{service.ToLowerInvariant()}-{Guid.NewGuid():N}");
        var published = new PublishedApp(setpriv, root, Repository.ProjectFile(Repository.PathOf($"services/{service}")),
            Dockerfile.Read(Repository.PathOf($"services/{service}/Dockerfile")).Volumes
                .Select(volume => Path.Combine(root, "app", Path.GetRelativePath(AppDirectory, volume)))
                .ToList());
        var publish = ExternalCommand.Run(DotnetHost(), ["publish", published.Project, "-c", "Release", "--no-build", "-o", published.App, "-p:UseAppHost=false", "-nologo", "-v", "q"],
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(publish.ExitCode == 0, $"dotnet publish {service} failed: {publish.Describe()}");
        MakeReadOnly(published.App);
        GiveToAppUser(published.Home);
        return published;
    }

    private sealed record PublishedApp(string Setpriv, string Root, string Project, IReadOnlyList<string> Volumes) : IDisposable
    {
        public string App => Path.Combine(Root, "app");

        public string Home => Path.Combine(Root, "home");

        public string Dll => Repository.AssemblyName(Project) + ".dll";

        public void Dispose()
        {
            if (Directory.Exists(Root))
                Directory.Delete(Root, recursive: true);
        }
    }

    private static string RequireRootWithSetpriv()
    {
        var id = ExternalCommand.Run("id", ["-u"]);
        if (id.Output.Trim() != "0")
            throw new Xunit.Sdk.XunitException("This test runs the services as an unprivileged user and must itself run as root (as make test does).");
        return ExternalCommand.Require("setpriv", "apt-get install util-linux");
    }

    private static void MakeReadOnly(string directory)
    {
        Run("chmod", "-R", "a-w", directory);
        Run("chmod", "755", Path.GetDirectoryName(directory)!);
    }

    private static void GiveToAppUser(string directory)
    {
        Directory.CreateDirectory(directory);
        Run("chown", $"{AppUid}:{AppUid}", directory);
        Run("chmod", "755", directory);
    }

    private static void Run(string command, params string[] arguments)
    {
        var result = ExternalCommand.Run(command, arguments);
        Assert.True(result.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {result.Describe()}");
    }

    private static bool OwnedByAppUser(string path) =>
        ExternalCommand.Run("stat", ["-c", "%u", path]).Output.Trim() == AppUid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ExternalCommand AsAppUser(string setpriv, params string[] command) =>
        ExternalCommand.Run(setpriv, [$"--reuid={AppUid}", $"--regid={AppUid}", "--clear-groups", "--", .. command]);

    private static Process Start(PublishedApp published, out Uri baseAddress, out OutputLog output)
    {
        baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var start = new ProcessStartInfo(published.Setpriv)
        {
            WorkingDirectory = published.App,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { $"--reuid={AppUid}", $"--regid={AppUid}", "--clear-groups", "--", DotnetHost(), published.Dll })
            start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("OTEL_", StringComparison.Ordinal) || key.StartsWith("DEALRISK_", StringComparison.Ordinal)
                                                              || key.Contains("__", StringComparison.Ordinal) || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["HOME"] = published.Home;
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Ingestion__ApiKey"] = Guid.NewGuid().ToString("N");
        var log = new OutputLog();
        output = log;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => log.Add(line.Data);
        process.ErrorDataReceived += (_, line) => log.Add(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilHealthyAsync(Process process, Uri baseAddress, OutputLog output, string service)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited)
                    throw new Xunit.Sdk.XunitException($"{service} exited with {process.ExitCode} before it was healthy:\n{output}");
                try
                {
                    using var response = await http.GetAsync("health");
                    if (response.StatusCode == HttpStatusCode.OK)
                        return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(250);
            }
            throw new Xunit.Sdk.XunitException($"{service} was not healthy within two minutes:\n{output}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : ExternalCommand.Require("dotnet", "the .NET SDK installer");

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The process's output, kept for the failure message.</summary>
    private sealed class OutputLog
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is not null)
                _lines.Enqueue(line);
        }

        public override string ToString() => string.Join('\n', _lines.TakeLast(200));
    }
}
