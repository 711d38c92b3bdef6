using DealRisk.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Notification;

/// <summary>A report directory that cannot be written would lose the morning report after the batch completed.</summary>
internal sealed class ReportDirectoryIsWritable : IValidateOptions<ReportOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportOptions options) =>
        WritableDirectory.Problem("Reports:OutputDirectory", options.OutputDirectory) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
