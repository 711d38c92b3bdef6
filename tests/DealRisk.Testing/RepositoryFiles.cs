namespace DealRisk.Testing;

/// <summary>Files of the repository the tests run in, found by walking up to the directory that holds DealRisk.sln.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "DealRisk.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"No DealRisk.sln above {AppContext.BaseDirectory}: the tests must run from inside the repository.");
    }
}
