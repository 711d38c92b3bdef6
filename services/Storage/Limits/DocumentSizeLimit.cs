namespace DealRisk.Storage;

/// <summary>MongoDB's largest document (16 MiB), enforced on the stored envelope by every adapter.</summary>
public static class DocumentSizeLimit
{
    public const int MaxBytes = 16 * 1024 * 1024;

    public static byte[] Ensure(string id, byte[] envelope) =>
        envelope.Length > MaxBytes ? throw new DocumentTooLargeException(id, envelope.Length) : envelope;

    /// <summary>The same check for an entry named by its key and id, named only in the refusal: it runs for every score of every batch.</summary>
    public static byte[] Ensure(string key, string id, byte[] envelope) =>
        envelope.Length > MaxBytes ? throw new DocumentTooLargeException($"{key}|{id}", envelope.Length) : envelope;
}
