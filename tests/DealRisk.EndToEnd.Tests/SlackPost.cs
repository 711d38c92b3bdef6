using System.Globalization;
using System.Text.RegularExpressions;
using DealRisk.Testing;

namespace DealRisk.EndToEnd.Tests;

/// <summary>A message the fake Slack took, read as its channel's readers see it: which alert, which deals it names.</summary>
public sealed partial record SlackPost(string Channel, string Text, long ArrivedTicks)
{
    public static SlackPost From(RecordedRequest request, IReadOnlyDictionary<string, string> channelsByPath) =>
        new(channelsByPath.GetValueOrDefault(request.Path, request.Path), request.Text, request.ArrivedTicks);

    public bool IsCriticalAlert => Text.StartsWith("🚨 CRITICAL ALERT", StringComparison.Ordinal);

    public bool IsDailySummary => Text.StartsWith("📊 DAILY SUMMARY", StringComparison.Ordinal);

    /// <summary>The deals the alert lists, one line each.</summary>
    public IReadOnlyList<string> NamedDeals => DealLine().Matches(Text).Select(match => match.Groups["id"].Value).ToList();

    /// <summary>How many critical deals the alert's header says there are (it lists at most a few of them).</summary>
    public int CriticalTotal => int.Parse(CriticalHeader().Match(Text).Groups["total"].Value, CultureInfo.InvariantCulture);

    /// <summary>Messages on one channel that arrived less than <paramref name="interval"/> apart, as "a → b: 108 ms".</summary>
    public static IReadOnlyList<string> TooClose(IEnumerable<SlackPost> posts, TimeSpan interval) =>
        posts.GroupBy(post => post.Channel)
            .SelectMany(channel =>
            {
                var ordered = channel.OrderBy(post => post.ArrivedTicks).ToList();
                return ordered.Zip(ordered.Skip(1), (a, b) => (a, b, gap: System.Diagnostics.Stopwatch.GetElapsedTime(a.ArrivedTicks, b.ArrivedTicks)))
                    .Where(pair => pair.gap < interval)
                    .Select(pair => $"{channel.Key}: '{First(pair.a.Text)}' → '{First(pair.b.Text)}' {pair.gap.TotalMilliseconds:0} ms apart");
            })
            .ToList();

    private static string First(string text) => text.Split('\n')[0];

    [GeneratedRegex(@"^• (?<id>\S+)", RegexOptions.Multiline)]
    private static partial Regex DealLine();

    [GeneratedRegex(@"^🚨 CRITICAL ALERT \((?<total>\d+) deals? @ risk\)")]
    private static partial Regex CriticalHeader();
}
