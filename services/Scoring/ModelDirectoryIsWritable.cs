using DealRisk.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Scoring;

/// <summary>A model directory that cannot be written would fail every retrain after the models were trained.</summary>
internal sealed class ModelDirectoryIsWritable : IValidateOptions<ScoringOptions>
{
    public ValidateOptionsResult Validate(string? name, ScoringOptions options) =>
        WritableDirectory.Problem("Scoring:ModelDirectory", options.ModelDirectory) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
