using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using MassTransit.Testing;

namespace DealRisk.Ingestion.Tests;

public sealed class CrmExportImportTests : IngestionApiTest
{
    private const string SalesforceHeader = "Id,Name,AccountId,StageName,Amount,CloseDate,Probability,Type,LeadSource,OwnerId,CreatedDate,LastModifiedDate,LastActivityDate,NextStep,IsClosed,IsWon";

    private static readonly string SalesforceExport = string.Join("\n",
        SalesforceHeader,
        "0061,Acme renewal,0011,Proposal/Price Quote,45000,2026-12-15,75,Renewal,Partner,0051,2026-09-01T10:00:00.000Z,2026-11-01T10:00:00.000Z,2026-10-30,Send quote,false,false",
        "0062,Globex,0012,Closed Won,12000,2026-10-01,100,New Business,Web,0052,2026-07-01T10:00:00.000Z,2026-10-01T10:00:00.000Z,2026-09-30,,true,true",
        "0063,Initech,0013,Prospecting,lots,2026-12-01,10,New Business,Web,0053,2026-10-01T10:00:00.000Z,2026-10-02T10:00:00.000Z,,,false,false",
        "0064,Umbrella,0014,Pilot,5000,2026-12-01,10,New Business,Web,0053,2026-10-01T10:00:00.000Z,2026-10-02T10:00:00.000Z,,,false,false") + "\n";

    [Fact]
    public async Task A_Salesforce_opportunity_export_imports_good_rows_and_reports_each_bad_row_with_line_and_column()
    {
        var result = await ImportAsync("format=salesforce", SalesforceExport);

        Assert.Equal((4L, 2L, 2L), (result.Rows, result.Created, result.Rejected));
        Assert.Equal([(4L, "Amount"), (5L, "StageName")], result.Errors.Select(error => (error.Line, error.Column)));
        Assert.Contains("'Amount' must be a non-negative number, not \"lots\"", result.Errors[0].Reason);
        Assert.Contains("Unknown stage 'Pilot'", result.Errors[1].Reason);
        var open = await DealAsync("salesforce", "0061");
        Assert.Equal((DealStages.Proposal, 45000m, "Partner", "Send quote", new DateOnly(2026, 12, 15)), (open.Stage, open.Amount, open.LeadSource, open.NextStep, open.CloseDate));
        var won = await DealAsync("salesforce", "0062");
        Assert.Equal((DealStages.ClosedWon, true, true), (won.Stage, won.IsClosed, won.IsWon));
    }

    [Fact]
    public async Task Importing_the_same_Salesforce_export_twice_changes_nothing()
    {
        await ImportAsync("format=salesforce", SalesforceExport);
        var published = Announced().Count;

        var again = await ImportAsync("format=salesforce", SalesforceExport);

        Assert.Equal((0L, 0L, 2L), (again.Created, again.Updated, again.Unchanged));
        Assert.Equal(published, Announced().Count);
    }

    [Fact]
    public async Task A_later_export_keeps_the_history_and_appends_what_changed()
    {
        await ImportAsync("format=salesforce", SalesforceExport);

        var moved = SalesforceExport.Replace("Proposal/Price Quote,45000", "Negotiation/Review,50000");
        var result = await ImportAsync("format=salesforce", moved);

        Assert.Equal(1L, result.Updated);
        var deal = await DealAsync("salesforce", "0061");
        Assert.Equal([(null, DealStages.Proposal), (DealStages.Proposal, DealStages.Negotiation)],
            deal.History.Where(change => change.Field == DealFields.Stage).Select(change => (change.From, change.To)));
        Assert.Contains(deal.History, change => change is { Field: DealFields.Amount, From: "45000", To: "50000" });
        var changed = Assert.Single(Rescores(), message => message.Deal.Version == 2);
        Assert.Equal([DealChangeKinds.Stage, DealChangeKinds.Amount], changed.ChangedFields);
    }

    [Fact]
    public async Task An_OpportunityHistory_export_fills_the_stage_history_of_imported_opportunities_once()
    {
        await ImportAsync("format=salesforce", SalesforceExport);
        const string history = "OpportunityId,StageName,Amount,CloseDate,CreatedDate\n"
                               + "0061,Prospecting,40000,2026-11-30,2026-09-01T10:00:00.000Z\n"
                               + "0061,Value Proposition,40000,2026-11-30,2026-09-20T10:00:00.000Z\n"
                               + "0061,Proposal/Price Quote,45000,2026-12-15,2026-10-15T10:00:00.000Z\n"
                               + "0099,Prospecting,1,2026-11-30,2026-09-01T10:00:00.000Z\n";

        var result = await ImportAsync("format=salesforce-history", history);
        var again = await ImportAsync("format=salesforce-history", history);

        Assert.Equal((1L, "not known yet"), (result.Rejected, result.Errors.Single().Reason[13..26]));
        Assert.Equal(0L, again.Updated);
        var stages = (await DealAsync("salesforce", "0061")).History.Where(change => change.Field == DealFields.Stage).ToList();
        Assert.Equal([DealStages.Lead, DealStages.Demo, DealStages.Proposal], stages.Select(change => change.To));
        Assert.Equal([null, DealStages.Lead, DealStages.Demo], stages.Select(change => change.From));
    }

    [Fact]
    public async Task A_HubSpot_deals_export_imports_with_stage_labels_and_quoted_line_breaks()
    {
        const string export = "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Pipeline,Last Activity Date,Next step,Number of Associated Contacts\n"
                              + "9001,\"Acme, Inc. upsell\",Presentation Scheduled,\"12,500.00\",2026-12-31,2026-10-01 09:30,Ada Lovelace,Sales Pipeline,2026-11-01 10:00,\"Call CFO\nthen send deck\",4\n"
                              + "9002,Lost one,Closed Lost,800,2026-10-15,2026-08-01 09:30,Ada Lovelace,Sales Pipeline,,,1\n";

        var result = await ImportAsync("format=hubspot", export);

        Assert.Equal((2L, 0L), (result.Created, result.Rejected));
        var deal = await DealAsync("hubspot", "9001");
        Assert.Equal(("Acme, Inc. upsell", DealStages.Demo, 12500m, 4), (deal.Name, deal.Stage, deal.Amount, deal.ContactCount));
        Assert.Equal("Call CFO\nthen send deck", deal.NextStep);
        Assert.Equal(DealStages.ClosedLost, (await DealAsync("hubspot", "9002")).Stage);
    }

    [Fact]
    public async Task A_semicolon_separated_file_with_a_bom_and_windows_1252_text_is_read_correctly()
    {
        var text = "\uFEFF" + SalesforceExport.Replace(",", ";").Replace("Acme renewal", "Société Générale – renouvellement");
        var bytes = Windows1252().GetBytes(text[1..]);
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();

        var result = await ImportBytesAsync("format=salesforce", withBom, "text/csv");

        Assert.Equal(2L, result.Created);
        Assert.Equal("Société Générale – renouvellement", (await DealAsync("salesforce", "0061")).Name);
    }

    [Fact]
    public async Task A_tab_separated_utf8_file_keeps_its_accents()
    {
        var text = SalesforceExport.Replace(",", "\t").Replace("Acme renewal", "Müller GmbH – Verlängerung");

        var result = await ImportBytesAsync("format=salesforce", Encoding.UTF8.GetBytes(text), "text/csv");

        Assert.Equal(2L, result.Created);
        Assert.Equal("Müller GmbH – Verlängerung", (await DealAsync("salesforce", "0061")).Name);
    }

    [Fact]
    public async Task An_export_of_any_crm_is_imported_through_a_yaml_mapping_file()
    {
        await File.WriteAllTextAsync(Path.Combine(Factory.MappingsDirectory, "pipedrive.yaml"), """
            source: pipedrive
            columns:
              externalId: Deal ID
              name: Title
              owner: Owner
              amount: Value
              currency: Currency
              stage: Stage
              outcome: Status
              createdAt: Deal created
              closeDate: Expected close date
            dateFormats: ["dd.MM.yyyy", "dd.MM.yyyy HH:mm"]
            decimalSeparator: ","
            stages:
              Qualified: Qualified
              Demo Scheduled: Demo
              Proposal Made: Proposal
              Negotiations Started: Negotiation
            outcome:
              won: [gewonnen]
              lost: [verloren]
              open: [offen]
            defaultCurrency: EUR
            """);
        const string export = "Deal ID;Title;Owner;Value;Currency;Stage;Status;Deal created;Expected close date\n"
                              + "P1;Bosch Rollout;Jana;1.234,50;;Demo Scheduled;offen;01.10.2026 09:00;15.12.2026\n"
                              + "P2;Siemens;Jana;9.000,00;EUR;Proposal Made;gewonnen;01.08.2026 09:00;01.11.2026\n"
                              + "P3;Thyssen;Jana;100;EUR;Proposal Made;vielleicht;01.08.2026 09:00;01.11.2026\n";

        var result = await ImportAsync("mapping=pipedrive", export);

        Assert.Equal((2L, 1L), (result.Created, result.Rejected));
        Assert.Contains("Unknown outcome 'vielleicht'", result.Errors.Single().Reason);
        var open = await DealAsync("pipedrive", "P1");
        Assert.Equal((DealStages.Demo, 1234.50m, "EUR", new DateOnly(2026, 12, 15)), (open.Stage, open.Amount, open.Currency, open.CloseDate));
        Assert.Equal((DealStages.ClosedWon, true), ((await DealAsync("pipedrive", "P2")).Stage, (await DealAsync("pipedrive", "P2")).IsWon));
    }

    [Fact]
    public async Task A_json_mapping_file_works_the_same_way()
    {
        await File.WriteAllTextAsync(Path.Combine(Factory.MappingsDirectory, "zoho.json"), """
            { "source": "zoho",
              "columns": { "externalId": "Record Id", "stage": "Stage", "createdAt": "Created Time", "amount": "Amount" },
              "stages": { "Qualification": "Qualified", "Closed Won": "ClosedWon" } }
            """);

        var result = await ImportAsync("mapping=zoho", "Record Id,Stage,Created Time,Amount\nZ1,Qualification,2026-10-01 09:00:00,100\n");

        Assert.Equal(1L, result.Created);
        Assert.Equal(DealStages.Qualified, (await DealAsync("zoho", "Z1")).Stage);
    }

    [Fact]
    public async Task The_import_result_counts_the_deals_flagged_for_data_quality_judged_on_the_columns_the_file_has()
    {
        await File.WriteAllTextAsync(Path.Combine(Factory.MappingsDirectory, "sparse.yaml"), """
            source: sparse
            columns: { externalId: Id, stage: Stage, createdAt: [Engaged, Created], amount: Amount, owner: Owner, account: Account, region: Region }
            stages: { Open: Qualified }
            """);
        // No close date, next step, contacts, activity, industry or lead source columns: those are never counted as missing.
        const string export = "Id,Stage,Engaged,Created,Amount,Owner,Account,Region\n"
                              + "S1,Open,,2026-10-01,100,Ann,Acme,EU\n"
                              + "S2,Open,2026-10-02,,,,,EU\n"
                              + "S3,Open,2026-10-02,,,,,\n";

        var result = await ImportAsync("mapping=sparse", export);

        Assert.Equal((3L, 0L, 1L), (result.Created, result.Rejected, result.Flagged));
        Assert.False((await DealAsync("sparse", "S2")).DataQualityFlag);
        Assert.Equal(["amount", "owner", "region", "account"], (await DealAsync("sparse", "S3")).MissingFields);
        Assert.Equal(1L, (await ImportAsync("mapping=sparse", export)).Flagged);
    }

    [Fact]
    public async Task A_mapping_file_declares_fields_known_only_at_close_and_every_imported_deal_carries_them()
    {
        await File.WriteAllTextAsync(Path.Combine(Factory.MappingsDirectory, "closing-value.yaml"), """
            source: closingcrm
            columns: { externalId: Id, stage: Stage, createdAt: Created, amount: Close Value }
            stages: { Demo: Demo, Won: ClosedWon, Lost: ClosedLost }
            finalOnly: [Amount]
            """);

        var result = await ImportAsync("mapping=closing-value", "Id,Stage,Created,Close Value\nC1,Lost,2026-08-01,0\nC2,Demo,2026-10-01,\n");

        Assert.Equal(2L, result.Created);
        Assert.Equal([DealFields.Amount], (await DealAsync("closingcrm", "C1")).FinalOnlyFields);
        Assert.Equal([DealFields.Amount], (await DealAsync("closingcrm", "C2")).FinalOnlyFields);
    }

    [Fact]
    public async Task A_final_only_field_without_a_timeline_is_refused_naming_the_fields_that_have_one()
    {
        await File.WriteAllTextAsync(Path.Combine(Factory.MappingsDirectory, "bad-final.yaml"), """
            source: crm
            columns: { externalId: Id, stage: Stage, createdAt: Created }
            stages: { Won: ClosedWon }
            finalOnly: [stage]
            """);

        var response = await PostAsync("/imports?mapping=bad-final", "Id,Stage,Created\n1,Won,2026-01-01\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'finalOnly' lists 'stage'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_mapping_file_with_mistakes_is_refused_with_400_listing_them()
    {
        await File.WriteAllTextAsync(Path.Combine(Factory.MappingsDirectory, "broken.yaml"), """
            source: crm
            columns:
              externalId: Id
              colour: Colour
            stages:
              Won: Victory
            """);

        var response = await PostAsync("/imports?mapping=broken", "Id\n1\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("unknown field 'colour'", body);
        Assert.Contains("'columns.stage' is required", body);
        Assert.Contains("maps to unknown 'Victory'", body);
    }

    [Fact]
    public async Task A_mapping_outside_the_mappings_folder_cannot_be_named()
    {
        var response = await PostAsync("/imports?mapping=..%2F..%2Fetc%2Fpasswd", "Id\n1\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("without a path", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_mapped_column_missing_from_the_file_refuses_the_import_naming_it()
    {
        var response = await PostAsync("/imports?format=salesforce", "Id,Name,Amount\n0061,Acme,100\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("'StageName'", body);
        Assert.Contains("'CreatedDate'", body);
    }

    [Theory]
    [InlineData("format=salesforce", "application/json")]
    [InlineData("format=skygeni", "application/x-ndjson")]
    [InlineData("format=dealrisk-jsonl", "text/csv")]
    public async Task A_body_of_the_wrong_content_type_is_refused_with_415(string query, string contentType)
    {
        var response = await PostAsync($"/imports?{query}", "x", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content type must be", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DealRisk_json_lines_are_accepted_as_ndjson()
    {
        var response = await PostAsync("/imports?format=dealrisk-jsonl", "", "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Many_rows_are_published_in_groups_and_every_deal_arrives()
    {
        var rows = Enumerable.Range(1, 1200).Select(i => $"{i:D5},Deal {i},001,Prospecting,{i},2026-12-15,10,New,Web,005,2026-09-01T10:00:00.000Z,,,,false,false");
        var result = await ImportAsync("format=salesforce", string.Join("\n", [SalesforceHeader, .. rows]) + "\n");

        Assert.Equal(1200L, result.Created);
        Assert.Equal(1200, Syncs().Select(message => message.Deal.ExternalId).Distinct().Count());
        // Groups of 500 rows, announced in messages of at most 100 changes: 5 + 5 + 2.
        var messages = Published<DealChangesStored>();
        Assert.Equal(12, messages.Count);
        Assert.All(messages, message => Assert.Equal(DealChangesStored.MaxDeals, message.Synced.Count + message.Rescored.Count));
    }

    private static Encoding Windows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private async Task<ImportResult> ImportAsync(string query, string body) => await ImportBytesAsync(query, Encoding.UTF8.GetBytes(body), "text/csv");

    private async Task<ImportResult> ImportBytesAsync(string query, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await Client.PostAsync($"/imports?{query}", content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ImportResult>())!;
    }

    private Task<HttpResponseMessage> PostAsync(string uri, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return Client.PostAsync(uri, content);
    }

    private async Task<DealSnapshot> DealAsync(string source, string id) => (await Client.GetFromJsonAsync<DealSnapshot>($"/deals/{source}/{id}"))!;
}
