namespace DealRisk.Ingestion.Imports.Mapping;

/// <summary>Mapping files by name from the configured folder (API), or by path (command line).</summary>
public static class MappingFiles
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IDealImportFormat FromPath(string path)
    {
        var mapping = ImportMappingLoader.Load(path);
        return new MappedCsvFormat(mapping.Name!, mapping);
    }

    /// <summary>A bare name only: the API must not let a caller read files outside the mappings folder.</summary>
    public static IDealImportFormat FromFolder(string folder, string name)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..", StringComparison.Ordinal) || Path.GetFileName(name) != name)
            throw new ImportRefusedException($"Mapping '{name}' must be a file name in the mappings folder, without a path.");
        var candidates = Path.HasExtension(name) ? [name] : Extensions.Select(extension => name + extension);
        var path = candidates.Select(candidate => Path.Combine(folder, candidate)).FirstOrDefault(File.Exists)
                   ?? throw new ImportRefusedException($"No mapping '{name}' in the mappings folder (Ingestion:MappingsDirectory); looked for {string.Join(", ", candidates)}.");
        return FromPath(path);
    }
}
