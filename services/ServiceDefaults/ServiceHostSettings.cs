using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// How every DealRisk host is created: its content root is the application's own directory, not the working directory,
/// and its configuration (environment, command line; there are no settings files) is read once. By default a host
/// watches its content root, subdirectories included, for settings files to reload: started from a directory that also
/// holds the data (<c>make run</c>'s <c>.data</c>, a benchmark's store or trace files), every page SQLite wrote woke that
/// watcher in every process, a tenth of the CPU of the real-time path.
/// </summary>
public static class ServiceHostSettings
{
    private const string NoReload = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplicationOptions Web(string[] args, string? applicationName = null) => new()
    {
        Args = [.. args, NoReload],
        ApplicationName = applicationName,
        ContentRootPath = AppContext.BaseDirectory,
    };

    public static HostApplicationBuilderSettings Job(string[] args, string? applicationName = null) => new()
    {
        Args = [.. args, NoReload],
        ApplicationName = applicationName,
        ContentRootPath = AppContext.BaseDirectory,
    };
}
