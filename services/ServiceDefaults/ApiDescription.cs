using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace DealRisk.ServiceDefaults;

/// <summary>How a caller authenticates to an endpoint; the endpoint's metadata, written into its OpenAPI operation.</summary>
public sealed record ApiAuthentication(string Scheme);

/// <summary>An example request body for an endpoint that reads its body itself (the webhooks).</summary>
public sealed record ApiRequestExample(string ContentType, string Example);

/// <summary>The authentication schemes DealRisk's HTTP APIs use, as OpenAPI security schemes.</summary>
public static class ApiAuthSchemes
{
    public const string ApiKey = "apiKey";
    public const string HubSpotSignature = "hubSpotSignature";
    public const string SalesforceOrganization = "salesforceOrganization";
    public const string DashboardCookie = "dashboardCookie";

    internal static OpenApiSecurityScheme Definition(string scheme) => scheme switch
    {
        ApiKey => new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
            Description = "The key set as Ingestion__ApiKey.",
        },
        HubSpotSignature => new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-HubSpot-Signature-v3",
            Description = "HubSpot's v3 signature: HMAC-SHA256 with the app's client secret (Crm__HubSpot__ClientSecret) over method, URI, body and " +
                          "X-HubSpot-Request-Timestamp, which must be at most 5 minutes old.",
        },
        SalesforceOrganization => new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "OrganizationId",
            Description = "No header: the OrganizationId inside the SOAP message must be one of Crm__Salesforce__OrganizationIds (else 403).",
        },
        DashboardCookie => new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = ".AspNetCore.Cookies",
            Description = "The cookie POST /dashboard/sign-in sets for Dashboard__UserName and DASHBOARD_PASSWORD.",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Not a DealRisk authentication scheme."),
    };
}

public static class ApiDescriptionExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Marks the endpoint with the authentication it needs, for its OpenAPI description.</summary>
    public static TBuilder DescribeAuthentication<TBuilder>(this TBuilder builder, string scheme) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAuthentication(scheme));

    /// <summary>Describes the body of an endpoint that reads it itself, with an example.</summary>
    public static TBuilder DescribeRequestExample<TBuilder>(this TBuilder builder, string contentType, string example) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiRequestExample(contentType, example));

    public static IServiceCollection AddDealRiskApiDescription(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddOperationTransformer(DescribeAsync));

    public static IEndpointRouteBuilder MapDealRiskApiDescription(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi(DocumentPath);
        return routes;
    }

    private static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var authentication in metadata.OfType<ApiAuthentication>())
        {
            var document = context.Document!;
            if (document.Components?.SecuritySchemes?.ContainsKey(authentication.Scheme) != true)
                document.AddComponent<IOpenApiSecurityScheme>(authentication.Scheme, ApiAuthSchemes.Definition(authentication.Scheme));
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(authentication.Scheme, document)] = [] });
        }

        var examples = metadata.OfType<ApiRequestExample>().ToList();
        if (examples.Count > 0)
        {
            var body = new OpenApiRequestBody { Required = true, Content = new Dictionary<string, OpenApiMediaType>() };
            foreach (var example in examples)
                body.Content[example.ContentType] = new OpenApiMediaType
                {
                    Example = example.ContentType.EndsWith("json", StringComparison.Ordinal) ? JsonNode.Parse(example.Example) : JsonValue.Create(example.Example),
                };
            operation.RequestBody = body;
        }
        return Task.CompletedTask;
    }
}
