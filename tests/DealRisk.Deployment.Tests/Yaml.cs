using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace DealRisk.Deployment.Tests;

/// <summary>
/// A read-only view of parsed YAML (merge keys applied, scalars as text) that names where it is, so a failed check
/// says which entry of which file it was looking at.
/// </summary>
public sealed class Yaml(object? value, string path)
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public string Path { get; } = path;

    public bool Exists => value is not null;

    public string? Text => value as string;

    public Yaml this[string key] =>
        new(value is IDictionary<object, object> map && map.TryGetValue(key, out var child) ? child : null, $"{Path}.{key}");

    public IEnumerable<Yaml> Items =>
        value is IList<object> list ? list.Select((item, i) => new Yaml(item, $"{Path}[{i}]")) : [];

    public IEnumerable<KeyValuePair<string, Yaml>> Entries =>
        value is IDictionary<object, object> map
            ? map.Select(e => new KeyValuePair<string, Yaml>(e.Key.ToString()!, new Yaml(e.Value, $"{Path}.{e.Key}")))
            : [];

    /// <summary>A compose or Kubernetes environment as name → value, whether written as a map or as NAME=value items.</summary>
    public IReadOnlyDictionary<string, string?> AsEnvironment() =>
        value switch
        {
            IDictionary<object, object> map => map.ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString()),
            IList<object> list => list.Select(item => item.ToString()!.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : null),
            _ => new Dictionary<string, string?>(),
        };

    public static IReadOnlyList<Yaml> LoadAll(string file)
    {
        using var reader = new StreamReader(file);
        var parser = new MergingParser(new Parser(reader));
        parser.Consume<StreamStart>();
        var documents = new List<Yaml>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = Deserializer.Deserialize<object?>(parser);
            if (document is not null)
                documents.Add(new Yaml(document, $"{System.IO.Path.GetFileName(file)}#{documents.Count}"));
        }
        return documents;
    }

    public static Yaml Load(string file) => LoadAll(file) is [var single]
        ? single
        : throw new InvalidOperationException($"{file} should hold exactly one YAML document.");

    public override string ToString() => $"{Path} = {value ?? "(missing)"}";
}
