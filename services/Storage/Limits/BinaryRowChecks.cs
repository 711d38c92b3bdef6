namespace DealRisk.Storage;

/// <summary>What every <see cref="IBinaryCollection"/> adapter checks before it writes a row.</summary>
internal static class BinaryRowChecks
{
    /// <summary>The row, once it has an id and a payload within the size limit.</summary>
    public static BinaryRow Checked(BinaryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(row.Id);
        ArgumentNullException.ThrowIfNull(row.Payload);
        DocumentSizeLimit.Ensure(row.Id, row.Payload);
        return row;
    }
}
