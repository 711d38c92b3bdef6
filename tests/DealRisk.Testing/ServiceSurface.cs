using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Xunit;

namespace DealRisk.Testing;

/// <summary>What a running service exposes over HTTP: its mapped endpoints, its OpenAPI document, its Prometheus metrics.</summary>
public static class ServiceSurface
{
    /// <summary>Health, metrics and the document itself are the platform's, not the API's.</summary>
    private static readonly string[] Infrastructure = ["/health", "/alive", "/metrics", "/openapi"];

    /// <summary>Every (method, path) the application mapped, with route constraints removed as OpenAPI writes them.</summary>
    public static IReadOnlyList<(string Method, string Path)> MappedEndpoints(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => (method, Path(endpoint))))
            .Where(endpoint => !Infrastructure.Any(prefix => endpoint.Item2.StartsWith(prefix, StringComparison.Ordinal)))
            .Distinct()
            .ToList();

    public static async Task<JsonObject> OpenApiDocumentAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/openapi/v1.json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/openapi/v1.json answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>The operation for a method and path, failing with what the document does describe.</summary>
    public static JsonObject Operation(JsonObject document, string method, string path)
    {
        var paths = document["paths"]!.AsObject();
        var item = paths.FirstOrDefault(p => Normalize(p.Key) == Normalize(path)).Value;
        var operation = item?[method.ToLowerInvariant()];
        Assert.True(operation is not null, $"{method} {path} is mapped but not in the OpenAPI document, which has: {string.Join(", ", paths.Select(p => p.Key))}");
        return operation!.AsObject();
    }

    /// <summary>The security scheme names an operation requires.</summary>
    public static IReadOnlyList<string> Security(JsonObject operation) =>
        operation["security"]?.AsArray().SelectMany(requirement => requirement!.AsObject().Select(scheme => scheme.Key)).ToList() ?? [];

    public static async Task<string> ScrapeMetricsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    /// <summary>The value of the first sample of a metric whose labels include all the given ones; null when there is none.</summary>
    public static double? Sample(string metrics, string name, params (string Label, string Value)[] labels)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal))
                continue;
            if (labels.All(label => line.Contains($"{label.Label}=\"{label.Value}\"", StringComparison.Ordinal)))
                return double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    private static string Path(RouteEndpoint endpoint) =>
        Normalize("/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => part.ToString(),
        })))));

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
