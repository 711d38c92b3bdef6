using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Ingestion.Imports.Mapping;
using DealRisk.Ingestion.Webhooks;
using DealRisk.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Apis;

public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder routes)
    {
        var imports = routes.MapGroup("/imports").AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Imports").DescribeAuthentication(ApiAuthSchemes.ApiKey).ProducesProblem(StatusCodes.Status401Unauthorized);
        imports.MapPost("/", ImportAsync)
            .WithSummary("Import a CRM export (streamed), optionally followed by the daily batch")
            .DescribeRequestExample("text/csv", "Id,Name,AccountId,StageName,Amount,CloseDate,OwnerId,CreatedDate\n0065e00000XyZ12AAB,Example renewal,0015e00000Acme1AAA,Proposal/Price Quote,48000,2026-12-15,0055e00000Rep01AAA,2026-09-01T16:00:00Z\n")
            .Produces<ImportResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        imports.MapGet("/{id:guid}", async Task<Results<Ok<ImportResult>, NotFound>> (Guid id, ImportResultStore results, CancellationToken ct) =>
                await results.GetAsync(id, ct) is { } result ? TypedResults.Ok(result) : TypedResults.NotFound())
            .WithSummary("An import's result again");

        routes.MapPost("/batches", StartBatchAsync).AddEndpointFilter<ApiKeyFilter>()
            .WithTags("Batches").WithSummary("Start the daily batch as of a day (default: today in the business time zone)")
            .DescribeAuthentication(ApiAuthSchemes.ApiKey).ProducesProblem(StatusCodes.Status401Unauthorized);
        return routes;
    }

    /// <summary>
    /// Streams the body through the named format, or through a mapping file from the mappings folder; with
    /// <c>runBatch=true</c> the import is followed by a batch run as of <c>asOf</c>.
    /// </summary>
    private static async Task<IResult> ImportAsync(
        HttpContext http,
        string? format,
        string? mapping,
        DateOnly? asOf,
        bool? runBatch,
        DealImporter importer,
        ImportFormats formats,
        ISendEndpointProvider commands,
        IOptions<IngestionOptions> options,
        BusinessTimeZone business,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(format) && string.IsNullOrWhiteSpace(mapping))
            return Results.Problem("Query parameter 'format' is required (for example ?format=skygeni), or 'mapping' naming a mapping file.", statusCode: StatusCodes.Status400BadRequest);
        if (!string.IsNullOrWhiteSpace(format) && !string.IsNullOrWhiteSpace(mapping))
            return Results.Problem("Give either 'format' or 'mapping', not both.", statusCode: StatusCodes.Status400BadRequest);

        var mediaTypes = mapping is null ? formats.Find(format!)?.MediaTypes : ["text/csv"];
        if (mediaTypes is not null && !WebhookBody.HasMediaType(http.Request, [.. mediaTypes]))
            return Results.Problem($"Content type must be {string.Join(" or ", mediaTypes)} for this format, not '{http.Request.ContentType ?? "(none)"}'.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        if (http.Request.ContentLength > options.Value.MaxImportBytes)
            return Results.Problem($"The body is larger than {options.Value.MaxImportBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = options.Value.MaxImportBytes;

        var result = mapping is null
            ? await importer.ImportAsync(format!, http.Request.Body, progress: null, cancellationToken)
            : await importer.ImportAsync($"mapping:{mapping}", () => MappingFiles.FromFolder(options.Value.MappingsDirectory, mapping), http.Request.Body, progress: null, cancellationToken);
        if (result.Status == "refused")
            return Results.Problem(result.Error, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["importId"] = result.Id });

        if (runBatch == true)
        {
            var command = NewBatch(asOf ?? business.Today(time), "import", result.Id, time);
            await commands.SendCommandAsync(command, cancellationToken);
            result = result with { BatchId = command.BatchId };
        }
        return Results.Ok(result);
    }

    private static async Task<Accepted<BatchStarted>> StartBatchAsync(DateOnly? asOf, ISendEndpointProvider commands, BusinessTimeZone business, TimeProvider time, CancellationToken cancellationToken)
    {
        var command = NewBatch(asOf ?? business.Today(time), "api", NewId.NextGuid(), time);
        await commands.SendCommandAsync(command, cancellationToken);
        return TypedResults.Accepted((string?)null, new BatchStarted(command.BatchId, command.AsOf));
    }

    public static RunDailyBatch NewBatch(DateOnly asOf, string trigger, Guid correlationId, TimeProvider time) => new()
    {
        BatchId = NewId.NextGuid(),
        CorrelationId = correlationId,
        AsOf = asOf,
        Trigger = trigger,
        RequestedAt = time.GetUtcNow(),
    };
}

/// <summary>The answer to <c>POST /batches</c>: the batch that was started.</summary>
public sealed record BatchStarted(Guid BatchId, DateOnly AsOf);
