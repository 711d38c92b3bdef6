using DealRisk.Contracts;
using DealRisk.Ingestion.Apis;
using DealRisk.Ingestion.Imports;
using DealRisk.Ingestion.Imports.Mapping;
using MassTransit;
using Spectre.Console;
using DealRisk.ServiceDefaults;

namespace DealRisk.AllInOne;

/// <summary>The main job on a running host: import an export (with a progress bar), run the daily batch, wait for its report.</summary>
public sealed class BatchJob(IServiceProvider services, CompletionSignals<DailyReportPublished> signals, IBus bus, TimeProvider time)
{
    public Task<ImportResult> ImportAsync(string file, string format, CancellationToken cancellationToken) =>
        ImportAsync(file, format, importer => importer.ImportAsync, cancellationToken);

    /// <summary>Imports through a mapping file instead of a named format.</summary>
    public Task<ImportResult> ImportMappedAsync(string file, string mappingFile, CancellationToken cancellationToken) =>
        ImportAsync(file, $"mapping:{Path.GetFileName(mappingFile)}",
            importer => (name, stream, progress, ct) => importer.ImportAsync(name, () => MappingFiles.FromPath(mappingFile), stream, progress, ct),
            cancellationToken);

    private async Task<ImportResult> ImportAsync(
        string file,
        string format,
        Func<DealImporter, Func<string, Stream, IProgress<long>?, CancellationToken, Task<ImportResult>>> import,
        CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        var description = $"Importing {Path.GetFileName(file)}";
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lines = new LineProgress(Console.Out, description, stream.Length);
            var imported = await RunImportAsync(import, format, stream, new ProgressCallback(_ => lines.Report(stream.Position)), cancellationToken);
            lines.Complete();
            return imported;
        }

        ImportResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(description, maxValue: Math.Max(1, stream.Length));
                result = await RunImportAsync(import, format, stream, new ProgressCallback(_ => task.Value = stream.Position), cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private async Task<ImportResult> RunImportAsync(
        Func<DealImporter, Func<string, Stream, IProgress<long>?, CancellationToken, Task<ImportResult>>> import,
        string format,
        Stream stream,
        IProgress<long> progress,
        CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<DealImporter>();
        return await import(importer)(format, stream, progress, cancellationToken);
    }

    public async Task<DailyReportPublished> RunBatchAsync(DateOnly asOf, string trigger, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = ImportEndpoints.NewBatch(asOf, trigger, NewId.NextGuid(), time);
        var report = signals.WaitAsync(command.BatchId, timeout, cancellationToken);
        await bus.SendCommandAsync(command, cancellationToken);
        return await report;
    }
}

/// <summary>Reports progress on the caller's thread, while the stream being measured is still open.</summary>
internal sealed class ProgressCallback(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}
