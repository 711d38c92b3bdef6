namespace DealRisk.Storage;

/// <summary>The fields a collection was declared with, the only ones it may filter on.</summary>
internal sealed class IndexedFields
{
    private readonly HashSet<string> _names;

    public IndexedFields(IEnumerable<string> names)
    {
        _names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!IsValidName(name))
                throw new ArgumentException(
                    $"Indexed field '{name}' must be a top-level element name: a letter, then letters, digits and underscores.", nameof(names));
            _names.Add(name);
        }
    }

    public IReadOnlyCollection<string> Names => _names;

    public void EnsureDeclared(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!_names.Contains(field))
            throw new ArgumentException(
                $"Field '{field}' is not an indexed field of this collection; declare it in GetCollection to filter on it.", nameof(field));
    }

    private static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name)
        && char.IsAsciiLetter(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
