using System.Net;
using DealRisk.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.AllInOne.Tests;

/// <summary>
/// A service's requests to its own listener are told apart by how it answered them. In the importing collection, since
/// the outbound-connection tests there watch every HTTP request this process sends and would count these.
/// </summary>
[Collection(ImportingCollection.Name)]
public sealed class SelfRequestsTests
{
    [Fact]
    public async Task Only_requests_the_listener_accepted_count_as_accepted_and_the_first_refusal_is_named()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(new SelfRequest("accepting", "application/json", "[]"u8.ToArray()));
        builder.Services.AddSingleton(new SelfRequest("refusing", "application/json", "[]"u8.ToArray()));
        builder.Services.AddSingleton(new SelfRequest("unsent", "application/json", "[]"u8.ToArray(), (_, _) => null));
        builder.Services.AddSingleton<SelfRequests>();
        await using var app = builder.Build();
        var marked = 0;
        app.MapPost("/accepting", (HttpRequest request, SelfRequests self) =>
        {
            if (self.IsSelfRequest(request))
                Interlocked.Increment(ref marked);
            return Results.Ok();
        });
        app.MapPost("/refusing", () => Results.StatusCode((int)HttpStatusCode.Unauthorized));
        app.MapPost("/unsent", () => Results.Ok());
        await app.StartAsync();
        try
        {
            var answers = await app.Services.GetRequiredService<SelfRequests>().SendAsync(3, CancellationToken.None);

            Assert.Equal(new SelfRequestAnswers(3, 3, "401 at refusing"), answers);
            Assert.Equal(3, marked);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void Answers_add_up_and_keep_the_earliest_refusal()
    {
        var first = new SelfRequestAnswers(2, 1, "503 at webhooks/hubspot");
        var second = new SelfRequestAnswers(1, 2, "401 at webhooks/hubspot");

        Assert.Equal(new SelfRequestAnswers(3, 3, "503 at webhooks/hubspot"), first.Add(second));
        Assert.Equal(second, SelfRequestAnswers.None.Add(second));
    }
}
