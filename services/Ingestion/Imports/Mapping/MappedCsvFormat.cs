using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using F = DealRisk.Ingestion.Imports.Mapping.MappedFields;

namespace DealRisk.Ingestion.Imports.Mapping;

/// <summary>
/// A CSV export read through an <see cref="ImportMapping"/>: the built-in Salesforce and HubSpot exports are mappings
/// too. Rows carry current values only, so the stored history is kept and changes are appended to it.
/// </summary>
public sealed class MappedCsvFormat(string name, ImportMapping mapping, string stageAdvice = "add it under 'stages' in the mapping file") : IDealImportFormat
{
    private readonly FieldParser _parser = new(mapping.DecimalSeparator, mapping.DateFormats);

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
        var id = Value(row, F.ExternalId, _parser.Id) ?? throw Empty(row, F.ExternalId);
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
            Name = Value(row, F.Name, _parser.Name),
            Account = Value(row, F.Account, _parser.Name),
            Owner = Value(row, F.Owner, _parser.Name),
            Amount = Amount(row, F.Amount),
            Currency = Value(row, F.Currency, _parser.Id) ?? mapping.DefaultCurrency,
            Stage = stage,
            SourceStage = sourceStage,
            CreatedAt = createdAt,
            CloseDate = closeDate,
            ClosedAt = closedAt,
            IsClosed = isClosed,
            IsWon = stage == DealStages.ClosedWon,
            LeadSource = Value(row, F.LeadSource, _parser.Name),
            Industry = Value(row, F.Industry, _parser.Name),
            Region = Value(row, F.Region, _parser.Name),
            Product = Value(row, F.Product, _parser.Name),
            NextStep = Value(row, F.NextStep, _parser.Text),
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
        var sourceStage = Value(row, F.Stage, _parser.Id);
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
        if (Column(row, field) is not { } column || row.Raw(column) is not { } value)
            return null;
        if (mapping.Outcome.Won.Contains(value, StringComparer.OrdinalIgnoreCase)) return true;
        if (mapping.Outcome.Lost.Contains(value, StringComparer.OrdinalIgnoreCase)) return false;
        if (mapping.Outcome.Open.Contains(value, StringComparer.OrdinalIgnoreCase)) return null;
        throw new RowRejectedException(column, $"Unknown outcome '{value}': won is written {Quoted(mapping.Outcome.Won)}, lost {Quoted(mapping.Outcome.Lost)}, open {Quoted(mapping.Outcome.Open)}.");
    }

    private bool? ClosedFlags(CsvRow row)
    {
        if (Column(row, F.IsClosed) is not { } closedColumn || _parser.Flag(closedColumn, row.Raw(closedColumn)) is not true)
            return null;
        var wonColumn = Column(row, F.IsWon);
        return (wonColumn is null ? null : _parser.Flag(wonColumn, row.Raw(wonColumn)))
               ?? throw new RowRejectedException(wonColumn ?? closedColumn, "A closed deal needs its won flag (map 'isWon').");
    }

    private ColumnSources? Sources(string field) => mapping.Columns.TryGetValue(field, out var sources) ? sources : null;

    /// <summary>The first of the field's columns that has a value in this row, else the first in the header (or null when none is).</summary>
    private string? Column(CsvRow row, string field)
    {
        if (Sources(field) is not { } sources)
            return null;
        return sources.Columns.FirstOrDefault(column => row.Raw(column) is not null) ?? sources.Columns.FirstOrDefault(row.HasColumn);
    }

    private T? Value<T>(CsvRow row, string field, Func<string, string?, T?> parse) =>
        Column(row, field) is { } column ? parse(column, row.Raw(column)) : default;

    private decimal? Amount(CsvRow row, string field) => Value(row, field, _parser.Amount);

    private int? Count(CsvRow row, string field) => Value(row, field, _parser.Count);

    private DateOnly? Date(CsvRow row, string field) => Value(row, field, _parser.Date);

    private DateTimeOffset? Instant(CsvRow row, string field) => Value(row, field, _parser.Instant);

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Quoted(IEnumerable<string> values) => string.Join("/", values.Select(value => $"'{value}'"));
}
