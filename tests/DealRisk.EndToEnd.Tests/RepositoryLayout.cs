using System.Reflection;

namespace DealRisk.EndToEnd.Tests;

/// <summary>Where the repository and the services' build output are, found from the running test assembly.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test assembly was built in; the services it references were built in the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    public static string SharedExport { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "skygeni_sales_data.csv"));

    public static string ServiceDll(string name)
    {
        var dll = Path.Combine(Root, "services", name, "bin", Configuration, "net10.0", $"DealRisk.{name}.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException(
                $"{dll} is missing: build the tests (dotnet build tests/DealRisk.EndToEnd.Tests -c {Configuration}), which builds the services they reference.");
        return dll;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DealRisk.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No DealRisk.sln above {AppContext.BaseDirectory}: the tests must run from inside the repository.");
    }
}
