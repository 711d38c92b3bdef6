namespace DealRisk.Ingestion.Imports;

/// <summary>The export formats ingestion understands, by name.</summary>
public sealed class ImportFormats(IEnumerable<IDealImportFormat> formats)
{
    private readonly Dictionary<string, IDealImportFormat> _byName =
        formats.ToDictionary(format => format.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IDealImportFormat? Find(string name) => _byName.GetValueOrDefault(name);

    public IDealImportFormat Get(string name) =>
        _byName.TryGetValue(name, out var format)
            ? format
            : throw new ImportRefusedException($"Unknown format '{name}': expected one of {string.Join(", ", _byName.Keys)}.");
}
