namespace DealRisk.Storage;

/// <summary>A class declaring collections that must also convert data an older release stored, before anything consumes.</summary>
public interface IStoreMigration
{
    Task MigrateAsync(CancellationToken ct);
}
