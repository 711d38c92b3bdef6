using System.Diagnostics.CodeAnalysis;
using DealRisk.Contracts;

namespace DealRisk.Contracts.Json;

/// <summary>One line of a deal JSON Lines file: the deal, or why the line could not be read.</summary>
public sealed record DealJsonLine(long LineNumber, DealSnapshot? Deal, string? Error)
{
    [MemberNotNullWhen(true, nameof(Deal))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Deal is not null;
}
