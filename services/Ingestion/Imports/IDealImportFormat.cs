namespace DealRisk.Ingestion.Imports;

/// <summary>A CRM export format: turns a stream into canonical deals row by row, without holding the file.</summary>
public interface IDealImportFormat
{
    /// <summary>The name used in <c>--format</c> and <c>?format=</c>.</summary>
    string Name { get; }

    /// <summary>Throws <see cref="ImportRefusedException"/> when the file as a whole is unusable; otherwise yields every row, good or bad.</summary>
    IAsyncEnumerable<ImportRow> ReadAsync(Stream input, CancellationToken cancellationToken);
}
