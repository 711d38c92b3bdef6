namespace DealRisk.Storage;

/// <summary>
/// Whether a directory a service writes to can be written by it, checked at start-up: a read-only path (a container
/// without a volume there) then stops the start with its name, instead of failing a job hours later.
/// </summary>
public static class WritableDirectory
{
    public static string? Problem(string setting, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return $"{setting} must name a directory.";
        var directory = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{setting} ({directory}) cannot be written by this process: {e.Message} In a container, mount a writable volume there.";
        }
    }
}
