namespace DealRisk.Storage.Tests;

/// <summary>A SQLite store in a temporary file for one test class, deleted afterwards.</summary>
public sealed class SqliteStoreFixture : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dealrisk-storage-tests-" + Guid.NewGuid().ToString("N"));

    public SqliteStoreFixture()
    {
        DatabasePath = Path.Combine(_directory, "contract.db");
        Store = new SqliteDocumentStore(DatabasePath);
    }

    public string DatabasePath { get; }

    public SqliteDocumentStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
