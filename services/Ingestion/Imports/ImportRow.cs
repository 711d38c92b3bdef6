using DealRisk.Contracts;

namespace DealRisk.Ingestion.Imports;

/// <summary>A problem with one row of an import: where it is and what is wrong, in words a RevOps user can act on.</summary>
public sealed record RowError(long Line, string? Column, string Reason);

/// <summary>Past changes of a deal imported before (an OpportunityHistory row): merged into its history.</summary>
public sealed record HistoryRow(string Source, string ExternalId, IReadOnlyList<DealChange> Changes);

/// <summary>One parsed row: a deal, past changes of a deal, or the reason it was refused.</summary>
public sealed record ImportRow(long Line, DealSnapshot? Deal, RowError? Error, HistoryRow? History = null)
{
    public static ImportRow Valid(long line, DealSnapshot deal) => new(line, deal, null);

    public static ImportRow Changes(long line, HistoryRow history) => new(line, null, null, history);

    public static ImportRow Invalid(long line, string? column, string reason) => new(line, null, new RowError(line, column, reason));
}

/// <summary>The file as a whole cannot be read (for example a required column is missing): nothing is imported.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);
