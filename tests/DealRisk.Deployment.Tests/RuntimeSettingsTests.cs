using System.Text.Json.Nodes;

namespace DealRisk.Deployment.Tests;

/// <summary>
/// The collector's settings chosen by measurement (README, "Garbage collection") reach every deployable service's runtime
/// configuration, which its image publishes as it is.
/// </summary>
public sealed class RuntimeSettingsTests
{
    public static TheoryData<string> Services => new(Repository.DeployableServices());

    [Theory]
    [MemberData(nameof(Services))]
    public void The_service_runs_with_the_measured_collector_settings(string service)
    {
        var settings = ConfigProperties(service);

        Assert.Equal(true, (bool?)settings["System.GC.Server"]);
        Assert.Equal(1, (int?)settings["System.GC.DynamicAdaptationMode"]);
        Assert.Equal(33554432, (int?)settings["System.GC.LOHThreshold"]);
    }

    /// <summary>The configProperties of the runtime configuration the build wrote beside the service's DLL.</summary>
    private static JsonObject ConfigProperties(string service)
    {
        var project = Repository.ProjectFile(Repository.PathOf($"services/{service}"));
        var path = Path.Combine(Repository.BuildOutput(project), Repository.AssemblyName(project) + ".runtimeconfig.json");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first (make test does).");
        return JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!.AsObject();
    }
}
