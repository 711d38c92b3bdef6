namespace DealRisk.Contracts;

/// <summary>A batch chunk's binary payload cannot be read: truncated, from another format, or with columns that do not line up.</summary>
public sealed class InvalidChunkPayloadException(string message, Exception? inner = null)
    : Exception($"Invalid batch chunk payload: {message}", inner);
