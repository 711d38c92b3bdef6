using DealRisk.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DealRisk.Ingestion.Imports.Mapping;

/// <summary>Reads and checks a mapping file; JSON is read by the same YAML parser (JSON is YAML).</summary>
public static class ImportMappingLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithTypeConverter(new ColumnSourcesYamlConverter())
        .Build();

    public static ImportMapping Load(string path)
    {
        if (!File.Exists(path))
            throw new ImportRefusedException($"Mapping file '{Path.GetFileName(path)}' does not exist.");
        var mapping = Parse(File.ReadAllText(path), Path.GetFileName(path));
        mapping.Name ??= Path.GetFileNameWithoutExtension(path);
        return mapping;
    }

    public static ImportMapping Parse(string text, string fileName)
    {
        ImportMapping? mapping;
        try
        {
            mapping = Yaml.Deserialize<ImportMapping>(text);
        }
        catch (YamlException invalid)
        {
            var (line, reason) = Locate(invalid);
            throw new ImportRefusedException($"Mapping file '{fileName}' is not valid YAML/JSON at line {line}: {reason}");
        }
        if (mapping is null)
            throw new ImportRefusedException($"Mapping file '{fileName}' is empty.");
        Check(mapping, fileName);
        return mapping;
    }

    /// <summary>
    /// The line and words of the innermost YAML error: an outer one only names the node being read. A scanner error
    /// starts where the token began (the line before a stray tab) and ends where the scanner stopped: that end is the line.
    /// </summary>
    private static (long Line, string Reason) Locate(YamlException outer)
    {
        var innermost = outer;
        Exception deepest = outer;
        for (var inner = outer.InnerException; inner is not null; inner = inner.InnerException)
        {
            deepest = inner;
            if (inner is YamlException yaml) innermost = yaml;
        }
        var line = innermost is SyntaxErrorException ? innermost.End.Line : innermost.Start.Line;
        var reason = deepest is YamlException ? deepest.Message : $"the structure breaks off here (an unclosed bracket or quote?): {deepest.Message}";
        return (line, reason);
    }

    private static void Check(ImportMapping mapping, string fileName)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(mapping.Source))
            problems.Add("'source' (the CRM's name, e.g. pipedrive) is required");
        var columns = new Dictionary<string, ColumnSources>(mapping.Columns, StringComparer.OrdinalIgnoreCase);
        mapping.Columns = columns;
        problems.AddRange(columns.Keys.Where(field => !MappedFields.All.Contains(field, StringComparer.OrdinalIgnoreCase))
            .Select(field => $"unknown field '{field}' under 'columns' (fields: {string.Join(", ", MappedFields.All)})"));
        problems.AddRange(MappedFields.Required.Where(field => !columns.ContainsKey(field))
            .Select(field => $"'columns.{field}' is required"));
        mapping.Stages = new Dictionary<string, string>(mapping.Stages, StringComparer.OrdinalIgnoreCase);
        problems.AddRange(mapping.Stages.Where(stage => !DealStages.IsKnown(stage.Value))
            .Select(stage => $"stage '{stage.Key}' maps to unknown '{stage.Value}' (expected {string.Join(", ", DealStages.All)})"));
        if (mapping.Stages.Count == 0)
            problems.Add("'stages' must map at least one stage name");
        problems.AddRange(mapping.FinalOnly.Where(field => !DealFields.FinalOnlyCapable.Contains(field, StringComparer.OrdinalIgnoreCase))
            .Select(field => $"'finalOnly' lists '{field}', which is not a field a snapshot can take from before the close (fields: {string.Join(", ", DealFields.FinalOnlyCapable)})"));
        mapping.FinalOnly = DealFields.FinalOnlyCapable.Where(field => mapping.FinalOnly.Contains(field, StringComparer.OrdinalIgnoreCase)).ToList();
        if (mapping.DecimalSeparator is not ("." or ","))
            problems.Add($"'decimalSeparator' must be \".\" or \",\", not \"{mapping.DecimalSeparator}\"");
        if (problems.Count > 0)
            throw new ImportRefusedException($"Mapping file '{fileName}': {string.Join("; ", problems)}.");
    }
}
