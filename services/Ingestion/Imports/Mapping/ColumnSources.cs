using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace DealRisk.Ingestion.Imports.Mapping;

/// <summary>
/// The columns a canonical field is read from, in order: the first one in the header with a value in the row wins.
/// A mapping file writes one header (<c>createdAt: Created</c>) or a list (<c>createdAt: [Engage date, Created]</c>).
/// </summary>
public sealed class ColumnSources(IReadOnlyList<string> columns)
{
    public IReadOnlyList<string> Columns { get; } = columns;

    public string First => Columns[0];

    public static implicit operator ColumnSources(string column) => new([column]);

    public override string ToString() => string.Join(" or ", Columns.Select(column => $"'{column}'"));
}

/// <summary>Reads <see cref="ColumnSources"/> from a YAML scalar or a sequence of scalars.</summary>
public sealed class ColumnSourcesYamlConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(ColumnSources);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        if (parser.Accept<Scalar>(out var single))
        {
            parser.MoveNext();
            return new ColumnSources([Header(single)]);
        }
        var start = parser.Current!;
        var columns = (List<string>?)rootDeserializer(typeof(List<string>)) ?? [];
        if (columns.Count == 0 || columns.Any(string.IsNullOrWhiteSpace))
            throw new YamlException(start.Start, start.End, "a column list needs one or more column headers");
        return new ColumnSources(columns);
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
        throw new NotSupportedException("Mapping files are only read.");

    private static string Header(Scalar scalar) =>
        string.IsNullOrWhiteSpace(scalar.Value) ? throw new YamlException(scalar.Start, scalar.End, "a column header cannot be empty") : scalar.Value;
}
