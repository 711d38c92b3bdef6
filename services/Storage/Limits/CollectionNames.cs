namespace DealRisk.Storage;

/// <summary>
/// One naming rule for both adapters: names that are valid MongoDB collections and SQLite tables alike, and mean the
/// same collection in both (SQLite ignores case, MongoDB does not, hence lowercase only).
/// </summary>
public static class CollectionNames
{
    public const int MaxLength = 100;

    public static void EnsureValid(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxLength)
            throw new ArgumentException($"Collection name '{name[..20]}…' is longer than {MaxLength} characters.", nameof(name));
        if (!char.IsAsciiLetterLower(name[0]) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            throw new ArgumentException(
                $"Collection name '{name}' must start with a lowercase letter and hold only lowercase letters, digits, dashes and underscores.", nameof(name));
        if (name.StartsWith("sqlite_", StringComparison.Ordinal) || name.StartsWith("system", StringComparison.Ordinal))
            throw new ArgumentException($"Collection name '{name}' is reserved by SQLite or MongoDB.", nameof(name));
    }
}
