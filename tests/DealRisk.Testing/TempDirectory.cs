namespace DealRisk.Testing;

/// <summary>A fresh directory under the system's temporary folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    private const int Attempts = 20;

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dealrisk-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// A file the host's last threads were still closing (a SQLite journal, a span file's flush) can appear while the
    /// directory is being deleted, so a delete that finds the directory not empty is tried again for a second; a file
    /// that keeps coming back after that is named in the failure.
    /// </summary>
    public void Dispose()
    {
        for (var attempt = 1; Directory.Exists(Path); attempt++)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException) when (attempt < Attempts)
            {
                Thread.Sleep(50);
            }
            catch (IOException exception)
            {
                var left = Directory.Exists(Path) ? string.Join(", ", Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories)) : "";
                throw new IOException($"{exception.Message}; still there after {Attempts} attempts: {left}", exception);
            }
        }
    }
}
