using DealRisk.Contracts;

namespace DealRisk.Ingestion.Imports;

/// <summary>A problem with one row of an import: where it is and what is wrong, in words a RevOps user can act on.</summary>
public sealed record RowError(long Line, string? Column, string Reason);

/// <summary>One parsed row: a deal, or the reason it was refused.</summary>
public sealed record ImportRow(long Line, DealSnapshot? Deal, RowError? Error)
{
    public static ImportRow Valid(long line, DealSnapshot deal) => new(line, deal, null);

    public static ImportRow Invalid(long line, string? column, string reason) => new(line, null, new RowError(line, column, reason));
}

/// <summary>The file as a whole cannot be read (for example a required column is missing): nothing is imported.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);
