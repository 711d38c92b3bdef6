using System.Runtime.CompilerServices;
using DealRisk.Contracts;
using DealRisk.Contracts.Json;

namespace DealRisk.Ingestion.Imports;

/// <summary>DealRisk's native export: one canonical deal with its history per JSON line (what the synthetic CRM writes).</summary>
public sealed class DealJsonLinesFormat : IDealImportFormat
{
    public const string FormatName = "dealrisk-jsonl";

    public string Name => FormatName;

    public IReadOnlyList<string> MediaTypes => ["application/x-ndjson", "application/jsonl", "application/json-seq"];

    public async IAsyncEnumerable<ImportRow> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in DealJsonLines.ReadAsync(input, cancellationToken))
        {
            if (!line.IsValid)
            {
                yield return ImportRow.Invalid(line.LineNumber, null, line.Error);
                continue;
            }

            yield return DealStages.IsKnown(line.Deal.Stage)
                ? ImportRow.Valid(line.LineNumber, line.Deal)
                : ImportRow.Invalid(line.LineNumber, "stage", $"Unknown stage '{line.Deal.Stage}': expected one of {string.Join(", ", DealStages.All)}.");
        }
    }
}
