namespace DealRisk.Ingestion.Tests;

/// <summary>Builds SkyGeni export text: the real file's header and rows written the way the export writes them.</summary>
internal static class SkyGeniCsv
{
    public const string Header =
        "deal_id,created_date,closed_date,sales_rep_id,industry,region,product_type,lead_source,deal_stage,deal_amount,sales_cycle_days,outcome";

    public static string Row(
        string id,
        string created = "2024-01-10",
        string closed = "2024-02-15",
        string stage = "Demo",
        string amount = "12000",
        string outcome = "Won",
        string rep = "rep_1",
        string industry = "SaaS",
        string region = "Europe") =>
        $"{id},{created},{closed},{rep},{industry},{region},Pro,Referral,{stage},{amount},36,{outcome}";

    public static string File(params string[] rows) => string.Join("\n", [Header, .. rows]) + "\n";
}
