using DealRisk.ServiceDefaults;
using DealRisk.Scoring;

namespace DealRisk.Benchmarks;

/// <summary>The scoring service alone on the in-memory bus over a fresh embedded store, as the scoring benchmarks run it.</summary>
public static class EmbeddedScoringHost
{
    /// <summary>Deletes <paramref name="dataDirectory"/> and returns a builder with the scoring service added; the caller adds the bus.</summary>
    public static HostApplicationBuilder CreateBuilder(string dataDirectory)
    {
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        var builder = Host.CreateApplicationBuilder(ServiceHostSettings.Job([], "dealrisk-bench"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Scoring:ModelDirectory"] = Path.Combine(dataDirectory, "models"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddScoringService();
        return builder;
    }
}
