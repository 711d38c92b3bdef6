using System.Reflection;
using System.Xml.Linq;

namespace DealRisk.Deployment.Tests;

/// <summary>The repository's files as the deployment files see them: paths from its root, projects and their references.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <summary>Repository-relative, forward slashes, no trailing slash: how Dockerfiles and compose name paths.</summary>
    public static string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/').TrimEnd('/');

    /// <summary>Service projects that run a web host and ship a Dockerfile: what must be deployable.</summary>
    public static IReadOnlyList<string> DeployableServices() =>
        Directory.GetDirectories(PathOf("services"))
            .Where(d => File.Exists(Path.Combine(d, "Dockerfile"))
                        && File.Exists(Path.Combine(d, "Program.cs"))
                        && File.ReadAllText(Path.Combine(d, "Program.cs")).Contains("WebApplication.CreateBuilder", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string ProjectFile(string directory) =>
        Directory.GetFiles(directory, "*.csproj") is [var project] ? project : throw new InvalidOperationException($"{directory} holds no single .csproj.");

    /// <summary>The DLL a project builds: its AssemblyName, else the project file's name.</summary>
    public static string AssemblyName(string projectFile) =>
        XDocument.Load(projectFile).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
        ?? Path.GetFileNameWithoutExtension(projectFile);

    /// <summary>The project and every project it references, directly or not (full paths of the .csproj files).</summary>
    public static IReadOnlySet<string> ProjectClosure(string projectFile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(projectFile)]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project)) continue;
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")?.Value.Replace('\\', '/') ?? "";
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)));
            }
        }
        return seen;
    }

    /// <summary>The target framework every project builds for (net10.0), from Directory.Build.props.</summary>
    public static string TargetFramework() =>
        XDocument.Load(PathOf("Directory.Build.props")).Descendants("TargetFramework").Single().Value.Trim();

    /// <summary>Where a project's build lands: the configuration these tests were built in (they reference the services, so
    /// those were built in it too) and the target framework.</summary>
    public static string BuildOutput(string projectFile) =>
        Path.Combine(Path.GetDirectoryName(projectFile)!, "bin", BuildConfiguration, TargetFramework());

    private static string BuildConfiguration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    /// <summary>All C# source of the services, to see whether the code reads a plain environment variable.</summary>
    public static string ServiceSource { get; } = string.Join("\n",
        Directory.EnumerateFiles(PathOf("services"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

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
