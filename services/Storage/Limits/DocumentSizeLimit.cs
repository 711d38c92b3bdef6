namespace DealRisk.Storage;

/// <summary>MongoDB's largest document (16 MiB), enforced on the stored envelope by every adapter.</summary>
public static class DocumentSizeLimit
{
    public const int MaxBytes = 16 * 1024 * 1024;

    public static byte[] Ensure(string id, byte[] envelope) =>
        envelope.Length > MaxBytes ? throw new DocumentTooLargeException(id, envelope.Length) : envelope;
}
