using DealRisk.Testing;

namespace DealRisk.AllInOne.Tests;

/// <summary>Files in ../shared/data beside the clone.</summary>
internal static class SharedData
{
    public const string NotFoundMessage = "skygeni data not found beside this clone: ../shared/data tests not run";

    public static string? Find(string name)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "..", "shared", "data", name));
        return File.Exists(path) ? path : null;
    }
}
