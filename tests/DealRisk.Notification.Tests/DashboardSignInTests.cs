using System.Net;
using DealRisk.Notification.Dashboard;

namespace DealRisk.Notification.Tests;

public sealed class DashboardSignInTests
{
    [Fact]
    public async Task By_default_the_session_cookie_is_Secure_HttpOnly_and_SameSite_Strict()
    {
        Assert.True(new DashboardOptions().SecureCookie);
        await using var server = await DashboardServer.StartAsync(new Dictionary<string, string?> { ["Dashboard:SecureCookie"] = "true" });
        using var http = Client(server);

        using var accepted = await http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, DashboardServer.Password));

        var cookie = Assert.Single(accepted.Headers.GetValues("Set-Cookie"), value => value.StartsWith("dealrisk.dashboard=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sign_in_page_forbids_framing_and_scripts()
    {
        await using var server = await DashboardServer.StartAsync();
        using var http = Client(server);

        using var page = await http.GetAsync("/dashboard/sign-in");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.DoesNotContain("script-src", policy);
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task After_sign_out_a_copy_of_the_session_cookie_opens_nothing()
    {
        await using var server = await DashboardServer.StartAsync();
        using var http = Client(server);
        using var accepted = await http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, DashboardServer.Password));
        var session = Assert.Single(accepted.Headers.GetValues("Set-Cookie"), value => value.StartsWith("dealrisk.dashboard=", StringComparison.Ordinal)).Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await SendWithCookie(http, HttpMethod.Get, "/dashboard/api/summary", session)).StatusCode);

        var signedOut = await SendWithCookie(http, HttpMethod.Post, "/dashboard/sign-out", session);
        var replayed = await SendWithCookie(http, HttpMethod.Get, "/dashboard/api/summary", session);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task Parallel_guesses_get_no_more_than_five_tries()
    {
        await using var server = await DashboardServer.StartAsync();
        using var http = Client(server);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, $"guess {i}"))));

        Assert.Equal(SignInThrottle.MaxAttempts, answers.Count(answer => answer.StatusCode == HttpStatusCode.Redirect));
        Assert.Equal(20 - SignInThrottle.MaxAttempts, answers.Count(answer => answer.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_a_configured_proxy()
    {
        await using var trusting = await DashboardServer.StartAsync(new Dictionary<string, string?> { ["Http:KnownProxies:0"] = "127.0.0.0/8" });
        await using var untrusting = await DashboardServer.StartAsync();

        using var viaProxy = await ForwardedHttpsAsync(trusting);
        using var direct = await ForwardedHttpsAsync(untrusting);

        Assert.StartsWith("max-age=31536000", Assert.Single(viaProxy.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(direct.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Five_wrong_passwords_for_the_user_through_the_proxy_lock_that_user_out_from_every_address()
    {
        await using var server = await DashboardServer.StartAsync(new Dictionary<string, string?> { ["Http:KnownProxies:0"] = "127.0.0.1" });
        using var http = Client(server);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await SignInFrom(http, $"203.0.113.{i + 1}", DashboardServer.Password + "x")).StatusCode);

        var fromElsewhere = await SignInFrom(http, "198.51.100.7", DashboardServer.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, fromElsewhere.StatusCode);
    }

    [Fact]
    public async Task Sign_in_posts_over_the_per_address_rate_limit_are_answered_429_even_with_the_right_password()
    {
        await using var server = await DashboardServer.StartAsync(new Dictionary<string, string?> { ["Dashboard:SignInRequestsPerMinute"] = "3" });
        using var http = Client(server);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync("/dashboard/sign-in", Form("someone", $"guess {i}"))).StatusCode);

        var limited = await http.PostAsync("/dashboard/sign-in", Form(DashboardServer.UserName, DashboardServer.Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public void Guesses_from_addresses_of_one_IPv6_network_count_together()
    {
        var throttle = new SignInThrottle(TimeProvider.System);
        for (var i = 1; i <= SignInThrottle.MaxAttempts; i++)
            Assert.True(throttle.TryBegin($"name-{i}", IPAddress.Parse($"2001:db8:1:2::{i:x}")));

        Assert.False(throttle.TryBegin("another", IPAddress.Parse("2001:db8:1:2:ffff::1")));
        Assert.True(throttle.TryBegin("another", IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void The_failure_table_never_holds_more_than_its_bound()
    {
        var throttle = new SignInThrottle(TimeProvider.System);

        for (var i = 0; i < SignInThrottle.MaxEntries + 500; i++)
            Assert.True(throttle.TryBegin($"name-{i}", new IPAddress(BitConverter.GetBytes(i + 1))));

        Assert.True(throttle.Count <= SignInThrottle.MaxEntries, $"{throttle.Count} entries");
    }

    private static async Task<HttpResponseMessage> ForwardedHttpsAsync(DashboardServer server)
    {
        using var http = Client(server);
        var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/sign-in");
        request.Headers.Host = "dealrisk.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        return await http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SignInFrom(HttpClient http, string address, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/sign-in") { Content = Form(DashboardServer.UserName, password) };
        request.Headers.Add("X-Forwarded-For", address);
        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendWithCookie(HttpClient http, HttpMethod method, string path, string cookie)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        return http.SendAsync(request);
    }

    private static HttpClient Client(DashboardServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };

    private static FormUrlEncodedContent Form(string userName, string password) =>
        new(new Dictionary<string, string> { ["username"] = userName, ["password"] = password });
}
