using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Imports.Mapping;
using DealRisk.Ingestion.Webhooks.HubSpot;
using DealRisk.Ingestion.Webhooks.Salesforce;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Imports;

/// <summary>The built-in CRM exports, written as mappings; their stage maps come from the same configuration as the webhooks.</summary>
public static class CrmExportFormats
{
    public const string SalesforceOpportunities = "salesforce";
    public const string HubSpotDeals = "hubspot";

    /// <summary>A Salesforce Opportunity export (Data Loader, Workbench or a report with API names as headers).</summary>
    public static IDealImportFormat Salesforce(IOptions<SalesforceOptions> options) => new MappedCsvFormat(SalesforceOpportunities, new ImportMapping
    {
        Source = SalesforceOpportunity.SourceName,
        Columns = new(StringComparer.OrdinalIgnoreCase)
        {
            [MappedFields.ExternalId] = "Id",
            [MappedFields.Name] = "Name",
            [MappedFields.Account] = "AccountId",
            [MappedFields.Stage] = "StageName",
            [MappedFields.Amount] = "Amount",
            [MappedFields.CloseDate] = "CloseDate",
            [MappedFields.Product] = "Type",
            [MappedFields.LeadSource] = "LeadSource",
            [MappedFields.Owner] = "OwnerId",
            [MappedFields.CreatedAt] = "CreatedDate",
            [MappedFields.LastActivityAt] = "LastActivityDate",
            [MappedFields.NextStep] = "NextStep",
            [MappedFields.IsClosed] = "IsClosed",
            [MappedFields.IsWon] = "IsWon",
            [MappedFields.Currency] = "CurrencyIsoCode",
        },
        Optional = [MappedFields.Name, MappedFields.Account, MappedFields.Amount, MappedFields.CloseDate, MappedFields.Product, MappedFields.LeadSource,
            MappedFields.Owner, MappedFields.LastActivityAt, MappedFields.NextStep, MappedFields.IsClosed, MappedFields.IsWon, MappedFields.Currency],
        Stages = new(options.Value.Stages, StringComparer.OrdinalIgnoreCase),
    }, "map it with Crm:Salesforce:Stages:<StageName>=<canonical stage>");

    /// <summary>HubSpot's deals export (CRM → Deals → Export), with its English column labels and stage labels or ids.</summary>
    public static IDealImportFormat HubSpot(IOptions<HubSpotOptions> options)
    {
        var stages = new Dictionary<string, string>(options.Value.Stages, StringComparer.OrdinalIgnoreCase)
        {
            ["Appointment Scheduled"] = DealStages.Qualified,
            ["Qualified To Buy"] = DealStages.Qualified,
            ["Presentation Scheduled"] = DealStages.Demo,
            ["Decision Maker Bought-In"] = DealStages.Proposal,
            ["Contract Sent"] = DealStages.Negotiation,
            ["Closed Won"] = DealStages.ClosedWon,
            ["Closed Lost"] = DealStages.ClosedLost,
        };
        return new MappedCsvFormat(HubSpotDeals, new ImportMapping
        {
            Source = HubSpotDealSnapshot.SourceName,
            Columns = new(StringComparer.OrdinalIgnoreCase)
            {
                [MappedFields.ExternalId] = "Record ID",
                [MappedFields.Name] = "Deal Name",
                [MappedFields.Stage] = "Deal Stage",
                [MappedFields.Amount] = "Amount",
                [MappedFields.CloseDate] = "Close Date",
                [MappedFields.CreatedAt] = "Create Date",
                [MappedFields.Owner] = "Deal owner",
                [MappedFields.LastActivityAt] = "Last Activity Date",
                [MappedFields.NextStep] = "Next step",
                [MappedFields.ContactCount] = "Number of Associated Contacts",
                [MappedFields.Product] = "Deal Type",
                [MappedFields.LeadSource] = "Original Source Type",
                [MappedFields.Account] = "Associated Company",
                [MappedFields.Currency] = "Currency",
            },
            Optional = [MappedFields.Name, MappedFields.Amount, MappedFields.CloseDate, MappedFields.Owner, MappedFields.LastActivityAt, MappedFields.NextStep,
                MappedFields.ContactCount, MappedFields.Product, MappedFields.LeadSource, MappedFields.Account, MappedFields.Currency],
            Stages = stages,
        }, "map it with Crm:HubSpot:Stages:<stage label or id>=<canonical stage>");
    }
}
