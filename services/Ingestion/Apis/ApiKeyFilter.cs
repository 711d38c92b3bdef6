using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Apis;

/// <summary>Management endpoints answer only a caller that sends the configured key in <c>X-Api-Key</c>.</summary>
public sealed class ApiKeyFilter(IOptions<IngestionOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.ApiKey;
        if (string.IsNullOrEmpty(expected))
            return Results.Problem("No API key is configured (Ingestion__ApiKey): management endpoints are closed.", statusCode: StatusCodes.Status503ServiceUnavailable);

        var sent = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected)))
            return Results.Problem($"Missing or wrong {HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized);

        return await next(context);
    }
}
