using System.Globalization;
using DealRisk.Contracts;
using F = DealRisk.Ingestion.Imports.Mapping.MappedFields;

namespace DealRisk.Ingestion.Imports.Mapping;

/// <summary>
/// A CSV export read through an <see cref="ImportMapping"/>: the built-in Salesforce and HubSpot exports are mappings
/// too. Rows carry current values only, so the stored history is kept and changes are appended to it.
/// </summary>
public sealed class MappedCsvFormat(string name, ImportMapping mapping, string stageAdvice = "add it under 'stages' in the mapping file") : IDealImportFormat
{
    private static readonly string[] DefaultDateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss",
    ];

    private readonly NumberFormatInfo _numbers = new()
    {
        NumberDecimalSeparator = mapping.DecimalSeparator,
        NumberGroupSeparator = mapping.DecimalSeparator == "," ? "." : ",",
    };
    private readonly string[] _dateFormats = [.. mapping.DateFormats, .. DefaultDateFormats];

    public string Name => name;

    public ImportMerge Merge => ImportMerge.KeepHistory;

    public IAsyncEnumerable<ImportRow> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        var optional = new HashSet<string>(mapping.Optional, StringComparer.OrdinalIgnoreCase);
        var required = mapping.Columns
            .Where(column => MappedFields.Required.Contains(column.Key, StringComparer.OrdinalIgnoreCase) || !optional.Contains(column.Key))
            .Select(column => column.Value.Columns)
            .ToList();
        return CsvImportReader.ReadAsync(input, required, Map, cancellationToken);
    }

    private ImportRow Map(CsvRow row)
    {
        var id = Text(row, F.ExternalId) ?? throw Empty(row, F.ExternalId);
        var createdAt = Instant(row, F.CreatedAt) ?? throw Empty(row, F.CreatedAt);
        var (stage, sourceStage) = Stage(row);
        var closeDate = Date(row, F.CloseDate);
        var isClosed = DealStages.IsClosed(stage);
        var closedAt = isClosed ? Instant(row, F.ClosedAt) ?? (closeDate is { } day ? Midnight(day) : createdAt) : (DateTimeOffset?)null;
        var history = new List<DealChange> { new() { At = closedAt ?? createdAt, Field = DealFields.Stage, To = stage } };

        return ImportRow.Valid(row.Line, new DealSnapshot
        {
            Source = mapping.Source,
            ExternalId = id,
            Version = 0,
            Name = Text(row, F.Name),
            Account = Text(row, F.Account),
            Owner = Text(row, F.Owner),
            Amount = Amount(row, F.Amount),
            Currency = Text(row, F.Currency) ?? mapping.DefaultCurrency,
            Stage = stage,
            SourceStage = sourceStage,
            CreatedAt = createdAt,
            CloseDate = closeDate,
            ClosedAt = closedAt,
            IsClosed = isClosed,
            IsWon = stage == DealStages.ClosedWon,
            LeadSource = Text(row, F.LeadSource),
            Industry = Text(row, F.Industry),
            Region = Text(row, F.Region),
            Product = Text(row, F.Product),
            NextStep = Text(row, F.NextStep),
            LastActivityAt = Instant(row, F.LastActivityAt),
            ActivityCount = Count(row, F.ActivityCount),
            ContactCount = Count(row, F.ContactCount),
            History = history,
            UnavailableFields = Unavailable(row),
            UntrackedFields = DealFields.UntrackedByExports,
            FinalOnlyFields = mapping.FinalOnly,
        });
    }

    /// <summary>Key fields no column of this file provides: unmapped, or mapped to columns the header lacks.</summary>
    private IReadOnlyList<string> Unavailable(CsvRow row) =>
        MappedFields.KeyFields
            .Where(key => Sources(key.Value) is not { } sources || !sources.Columns.Any(row.HasColumn))
            .Select(key => key.Key)
            .ToList();

    private RowRejectedException Empty(CsvRow row, string field)
    {
        var sources = Sources(field)!;
        return new RowRejectedException(sources.Columns.FirstOrDefault(row.HasColumn) ?? sources.First,
            sources.Columns.Count == 1 ? $"'{sources.First}' is empty." : $"{sources} are all empty.");
    }

    /// <summary>The mapped stage, unless an outcome or IsClosed/IsWon column says the deal is closed.</summary>
    private (string Stage, string? SourceStage) Stage(CsvRow row)
    {
        var sourceStage = Text(row, F.Stage);
        var stageColumn = Column(row, F.Stage)!;
        var closed = Outcome(row, F.Outcome) ?? ClosedFlags(row);
        if (closed is { } won)
            return (won ? DealStages.ClosedWon : DealStages.ClosedLost, sourceStage);
        if (sourceStage is null)
            throw new RowRejectedException(stageColumn, $"'{stageColumn}' is empty.");
        if (!mapping.Stages.TryGetValue(sourceStage, out var stage))
            throw new RowRejectedException(stageColumn,
                $"Unknown stage '{sourceStage}': expected one of {string.Join(", ", mapping.Stages.Keys.Select(key => $"'{key}'"))} ({stageAdvice}).");
        return (stage, sourceStage);
    }

    /// <summary>True for won, false for lost, null for open.</summary>
    private bool? Outcome(CsvRow row, string field)
    {
        if (Column(row, field) is not { } column || row.Text(column) is not { } value)
            return null;
        if (mapping.Outcome.Won.Contains(value, StringComparer.OrdinalIgnoreCase)) return true;
        if (mapping.Outcome.Lost.Contains(value, StringComparer.OrdinalIgnoreCase)) return false;
        if (mapping.Outcome.Open.Contains(value, StringComparer.OrdinalIgnoreCase)) return null;
        throw new RowRejectedException(column, $"Unknown outcome '{value}': won is written {Quoted(mapping.Outcome.Won)}, lost {Quoted(mapping.Outcome.Lost)}, open {Quoted(mapping.Outcome.Open)}.");
    }

    private bool? ClosedFlags(CsvRow row)
    {
        if (Column(row, F.IsClosed) is not { } closedColumn || row.Text(closedColumn) is not { } closedText)
            return null;
        if (!Flag(closedColumn, closedText))
            return null;
        var wonColumn = Column(row, F.IsWon);
        var wonText = wonColumn is null ? null : row.Text(wonColumn);
        if (wonText is null)
            throw new RowRejectedException(wonColumn ?? closedColumn, "A closed deal needs its won flag (map 'isWon').");
        return Flag(wonColumn!, wonText);
    }

    private static bool Flag(string column, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new RowRejectedException(column, $"'{column}' must be true or false, not '{value}'."),
    };

    private ColumnSources? Sources(string field) => mapping.Columns.TryGetValue(field, out var sources) ? sources : null;

    /// <summary>The first of the field's columns that has a value in this row, else the first in the header (or null when none is).</summary>
    private string? Column(CsvRow row, string field)
    {
        if (Sources(field) is not { } sources)
            return null;
        return sources.Columns.FirstOrDefault(column => row.Text(column) is not null) ?? sources.Columns.FirstOrDefault(row.HasColumn);
    }

    private string? Text(CsvRow row, string field) => Column(row, field) is { } column ? row.Text(column) : null;

    private decimal? Amount(CsvRow row, string field)
    {
        if (Column(row, field) is not { } column || row.Text(column) is not { } text)
            return null;
        var cleaned = new string(text.Where(c => !char.IsWhiteSpace(c) && c is not ('$' or '€' or '£' or '¥')).ToArray());
        if (!decimal.TryParse(cleaned, NumberStyles.Number, _numbers, out var amount))
            throw new RowRejectedException(column, $"'{column}' is not a number: '{text}'.");
        if (amount < 0)
            throw new RowRejectedException(column, $"'{column}' is negative: {text}.");
        return amount;
    }

    private int? Count(CsvRow row, string field)
    {
        if (Column(row, field) is not { } column || row.Text(column) is not { } text)
            return null;
        return int.TryParse(text, NumberStyles.Integer, _numbers, out var count) && count >= 0
            ? count
            : throw new RowRejectedException(column, $"'{column}' is not a whole number: '{text}'.");
    }

    private DateOnly? Date(CsvRow row, string field) => Instant(row, field) is { } instant ? DateOnly.FromDateTime(instant.UtcDateTime) : null;

    private DateTimeOffset? Instant(CsvRow row, string field)
    {
        if (Column(row, field) is not { } column || row.Text(column) is not { } text)
            return null;
        if (DateTime.TryParseExact(text, _dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact))
            return new DateTimeOffset(exact, TimeSpan.Zero);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso))
            return iso;
        throw new RowRejectedException(column, $"'{column}' is not a date: '{text}' (expected {string.Join(" or ", _dateFormats.Take(3))}, … — set 'dateFormats').");
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Quoted(IEnumerable<string> values) => string.Join("/", values.Select(value => $"'{value}'"));
}
