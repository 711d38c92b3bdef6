using System.Globalization;
using System.Text;

namespace DealRisk.EndToEnd.Tests;

/// <summary>A deal as the test knows it from the export it posted: enough to say whether it was open on a date.</summary>
public sealed record ExportDeal(string Id, DateOnly Created, DateOnly? Closed)
{
    /// <summary>Created by the as-of date and not closed by it; a deal that closes on the as-of date is history, not open.</summary>
    public bool IsOpenOn(DateOnly asOf) => Created <= asOf && (Closed is not { } closed || asOf < closed);
}

/// <summary>A SkyGeni-format export (the columns of the historical file), as text to post and as the deals it holds.</summary>
public sealed record SkyGeniExport(string Name, string Csv, IReadOnlyList<ExportDeal> Deals)
{
    public const string Header =
        "deal_id,created_date,closed_date,sales_rep_id,industry,region,product_type,lead_source,deal_stage,deal_amount,sales_cycle_days,outcome";

    private static readonly string[] Industries = ["SaaS", "HealthTech", "FinTech", "EdTech", "Ecommerce"];
    private static readonly string[] Regions = ["North America", "India", "APAC", "Europe"];
    private static readonly string[] Products = ["Core", "Pro", "Enterprise"];
    private static readonly string[] LeadSources = ["Referral", "Inbound", "Partner", "Outbound"];
    private static readonly string[] OpenStages = ["Lead", "Qualified", "Demo", "Proposal", "Negotiation"];
    private static readonly string[] RecordedStages = ["Qualified", "Demo", "Proposal", "Negotiation", "Closed"];

    /// <summary>The date halfway between the first deal's creation and the last close (or creation): a busy as-of date.</summary>
    public DateOnly MiddleDate
    {
        get
        {
            var first = Deals.Min(d => d.Created).DayNumber;
            var last = Deals.Max(d => (d.Closed ?? d.Created).DayNumber);
            return DateOnly.FromDayNumber((first + last) / 2);
        }
    }

    /// <summary>
    /// Seeded, so every run posts the same file: deals created over 2023–2024 by a dozen reps across every segment,
    /// most closed (won or lost) after 5–180 days, the rest still open with no close date or outcome.
    /// </summary>
    public static SkyGeniExport Synthetic(int count = 300, int seed = 20_240_101)
    {
        var random = new Random(seed);
        var start = new DateOnly(2023, 1, 1);
        var end = new DateOnly(2024, 12, 31);
        var csv = new StringBuilder().Append(Header).Append('\n');
        var deals = new List<ExportDeal>(count);
        for (var i = 1; i <= count; i++)
        {
            var id = $"E2E-{i:D4}";
            var created = start.AddDays(random.Next(0, 700));
            DateOnly? closed = null;
            string stage, outcome = "", cycle = "";
            if (random.NextDouble() < 0.8)
            {
                var closedOn = created.AddDays(random.Next(5, 181));
                closed = closedOn > end ? end : closedOn;
                stage = Pick(random, RecordedStages);
                outcome = random.NextDouble() < 0.45 ? "Won" : "Lost";
                cycle = (closed.Value.DayNumber - created.DayNumber).ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                stage = Pick(random, OpenStages);
            }

            csv.Append(CultureInfo.InvariantCulture,
                $"{id},{created:yyyy-MM-dd},{closed:yyyy-MM-dd},rep_{random.Next(1, 13)},{Pick(random, Industries)},{Pick(random, Regions)},")
               .Append(CultureInfo.InvariantCulture,
                $"{Pick(random, Products)},{Pick(random, LeadSources)},{stage},{random.Next(2_000, 100_001)},{cycle},{outcome}\n");
            deals.Add(new ExportDeal(id, created, closed));
        }
        return new SkyGeniExport("synthetic", csv.ToString(), deals);
    }

    /// <summary>
    /// Deals still open, created on <paramref name="created"/>: late-stage partner deals of every rep, so rescored long
    /// after (as the real-time path scores them, as of now) many of them turn critical.
    /// </summary>
    public static SkyGeniExport OpenDeals(int count, string idPrefix, DateOnly created, int seed = 20_261_201)
    {
        var random = new Random(seed);
        var csv = new StringBuilder().Append(Header).Append('\n');
        var deals = new List<ExportDeal>(count);
        for (var i = 1; i <= count; i++)
        {
            var id = $"{idPrefix}{i:D3}";
            csv.Append(CultureInfo.InvariantCulture,
                $"{id},{created:yyyy-MM-dd},,rep_{i % 12 + 1},{Pick(random, Industries)},{Pick(random, Regions)},")
               .Append(CultureInfo.InvariantCulture, $"Enterprise,Partner,Proposal,{random.Next(60_000, 100_001)},,\n");
            deals.Add(new ExportDeal(id, created, null));
        }
        return new SkyGeniExport("open", csv.ToString(), deals);
    }

    public static SkyGeniExport FromFile(string path)
    {
        var text = File.ReadAllText(path);
        return new SkyGeniExport(Path.GetFileName(path), text, Parse(text));
    }

    private static List<ExportDeal> Parse(string csv)
    {
        var rows = CsvText.Read(csv).ToList();
        var header = rows[0];
        int Column(string name) => Array.IndexOf(header, name) is >= 0 and var index
            ? index
            : throw new InvalidOperationException($"The export has no '{name}' column.");
        int id = Column("deal_id"), created = Column("created_date"), closed = Column("closed_date");
        return rows.Skip(1)
            .Where(row => row.Length > 1)
            .Select(row => new ExportDeal(
                row[id],
                DateOnly.ParseExact(row[created], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                string.IsNullOrWhiteSpace(row[closed]) ? null : DateOnly.ParseExact(row[closed], "yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}

/// <summary>Just enough RFC 4180 to read the exports and the risk report back: quoted fields, doubled quotes, CRLF or LF.</summary>
public static class CsvText
{
    public static IEnumerable<string[]> Read(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                yield return row.ToArray();
                row.Clear();
            }
            else if (c != '\r') field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row.ToArray();
        }
    }
}
