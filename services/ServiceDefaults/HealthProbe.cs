namespace DealRisk.ServiceDefaults;

/// <summary>
/// <c>dotnet DealRisk.&lt;Service&gt;.dll probe &lt;url&gt;</c>: exits 0 when the URL answers 2xx, 1 otherwise. The
/// runtime image has no curl, so container health checks ask the service's own assembly.
/// </summary>
public static class HealthProbe
{
    public const string Command = "probe";

    public static void ExitIfRequested(string[] args)
    {
        if (args is not [Command, var url])
            return;
        Environment.Exit(RunAsync(new Uri(url)).GetAwaiter().GetResult());
    }

    public static async Task<int> RunAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(url);
            Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine(e.Message);
            return 1;
        }
    }
}
