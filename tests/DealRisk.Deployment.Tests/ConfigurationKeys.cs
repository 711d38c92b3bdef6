using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using DealRisk.Features;
using DealRisk.Ingestion;
using DealRisk.Notification;
using DealRisk.Scoring;
using DealRisk.ServiceDefaults;
using DealRisk.Storage;

namespace DealRisk.Deployment.Tests;

/// <summary>
/// Whether an environment variable a deployment sets means something to the code. <c>Section__Key__…</c> must walk
/// from a class whose <c>SectionName</c> constant is <c>Section</c> through public properties, and its value must
/// convert to the property's type (enums included); a plain NAME must appear as a string literal in the services'
/// source, which is where the code reads it.
/// </summary>
public static class ConfigurationKeys
{
    private static readonly Assembly[] ServiceAssemblies =
    [
        typeof(BusOptions).Assembly,
        typeof(StorageOptions).Assembly,
        typeof(IngestionOptions).Assembly,
        typeof(FeaturesServiceExtensions).Assembly,
        typeof(ScoringOptions).Assembly,
        typeof(ReportOptions).Assembly,
    ];

    private static readonly ILookup<string, Type> Sections = ServiceAssemblies
        .Distinct()
        .SelectMany(assembly => assembly.GetTypes())
        .Select(type => (type, field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(t => t.field is { IsLiteral: true } && t.field.FieldType == typeof(string))
        .ToLookup(t => (string)t.field!.GetRawConstantValue()!, t => t.type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every section name the code binds, for messages.</summary>
    public static IEnumerable<string> SectionNames => Sections.Select(s => s.Key);

    /// <summary>Null when the variable binds (or is read) and its value fits; otherwise what is wrong.</summary>
    public static string? Problem(string name, string? value)
    {
        if (!name.Contains("__", StringComparison.Ordinal))
        {
            return Repository.ServiceSource.Contains($"\"{name}\"", StringComparison.Ordinal)
                ? null
                : $"{name}: no service reads a variable of that name (no \"{name}\" in services/**/*.cs).";
        }

        var segments = name.Split("__");
        var classes = Sections[segments[0]].ToList();
        if (classes.Count == 0)
            return $"{name}: no options class has SectionName \"{segments[0]}\" (sections: {string.Join(", ", SectionNames.Order())}).";

        var problems = classes.Select(type => Walk(type, segments.AsSpan(1), name, value)).ToList();
        return problems.Any(p => p is null) ? null : string.Join(" ", problems.Distinct());
    }

    private static string? Walk(Type type, ReadOnlySpan<string> path, string name, string? value)
    {
        foreach (var segment in path)
        {
            if (ElementType(type) is { } element && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                type = element;
                continue;
            }
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
                return $"{name}: {type.Name} has no public property \"{segment}\".";
            type = property.PropertyType;
        }
        return ValueProblem(type, name, value);
    }

    private static string? ValueProblem(Type type, string name, string? value)
    {
        // Interpolated at deployment time (${…} in compose): only the deployment knows the value.
        if (value is null || value.Contains("${", StringComparison.Ordinal))
            return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!)
                ? null
                : $"{name}: \"{value}\" is not one of {string.Join(", ", Enum.GetNames(type))}.";
        }
        if (type == typeof(string))
            return null;
        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
        {
            return $"{name}: \"{value}\" does not convert to {type.Name} ({e.Message}).";
        }
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var single] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? single
        : null;
}
