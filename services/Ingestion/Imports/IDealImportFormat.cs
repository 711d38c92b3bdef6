namespace DealRisk.Ingestion.Imports;

/// <summary>How an import's deal relates to the stored one.</summary>
public enum ImportMerge
{
    /// <summary>The row is the whole deal with its history (DealRisk JSONL, SkyGeni): it replaces the stored deal.</summary>
    Replace,

    /// <summary>The row holds current values only (CRM exports): the stored history is kept and each changed field appended to it.</summary>
    KeepHistory,
}

/// <summary>A CRM export format: turns a stream into canonical deals row by row, without holding the file.</summary>
public interface IDealImportFormat
{
    /// <summary>The name used in <c>--format</c> and <c>?format=</c>.</summary>
    string Name { get; }

    /// <summary>Media types <c>POST /imports</c> accepts for this format.</summary>
    IReadOnlyList<string> MediaTypes => ["text/csv"];

    ImportMerge Merge => ImportMerge.Replace;

    /// <summary>Throws <see cref="ImportRefusedException"/> when the file as a whole is unusable; otherwise yields every row, good or bad.</summary>
    IAsyncEnumerable<ImportRow> ReadAsync(Stream input, CancellationToken cancellationToken);
}
