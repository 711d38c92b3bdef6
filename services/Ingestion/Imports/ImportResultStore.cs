using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Imports;

public sealed class ImportResultStore([FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store)
{
    private readonly IDocumentCollection<ImportResult> _imports = store.GetCollection<ImportResult>("imports");

    public Task SaveAsync(ImportResult result, CancellationToken cancellationToken) =>
        _imports.UpsertAsync(result.Id.ToString(), result, cancellationToken);

    public Task<ImportResult?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        _imports.GetAsync(id.ToString(), cancellationToken);
}
