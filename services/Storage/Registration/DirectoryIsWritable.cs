using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.Storage;

/// <summary>Stops start-up when a directory setting names a folder the service cannot write, saying which setting and why.</summary>
public sealed class DirectoryIsWritable<TOptions>(string setting, Func<TOptions, string> directory) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        WritableDirectory.Problem(setting, directory(options)) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}

public static class DirectoryIsWritableExtensions
{
    public static OptionsBuilder<TOptions> ValidateDirectoryIsWritable<TOptions>(this OptionsBuilder<TOptions> options, string setting, Func<TOptions, string> directory)
        where TOptions : class
    {
        options.Services.AddSingleton<IValidateOptions<TOptions>>(new DirectoryIsWritable<TOptions>(setting, directory));
        return options;
    }
}
