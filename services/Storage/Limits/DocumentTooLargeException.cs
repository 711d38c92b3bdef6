namespace DealRisk.Storage;

/// <summary>A document over MongoDB's BSON size limit: refused by both adapters, so the embedded store catches it too.</summary>
public sealed class DocumentTooLargeException(string id, long bytes)
    : InvalidOperationException($"Document '{id}' is {bytes:N0} bytes of BSON, over the {DocumentSizeLimit.MaxBytes:N0}-byte limit of a MongoDB document: store what grows in bounded pieces.")
{
    public string Id { get; } = id;

    public long Bytes { get; } = bytes;
}
