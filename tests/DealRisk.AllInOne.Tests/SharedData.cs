namespace DealRisk.AllInOne.Tests;

/// <summary>Files in ../shared/data beside the clone, found by walking up to the directory that holds DealRisk.sln.</summary>
internal static class SharedData
{
    public const string NotFoundMessage = "skygeni data not found beside this clone: ../shared/data tests not run";

    public static string? Find(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DealRisk.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", name));
                return File.Exists(path) ? path : null;
            }
        }
        return null;
    }
}
