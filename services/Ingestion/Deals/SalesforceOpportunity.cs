using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// Salesforce Opportunity fields (API names, as in outbound messages and Data Loader / report exports) onto the
/// canonical deal. Only fields present are applied, so an outbound message that selects a few fields leaves the others alone.
/// </summary>
public static class SalesforceOpportunity
{
    public const string SourceName = "salesforce";

    private static readonly FieldParser Parser = FieldParser.Invariant;

    /// <summary>Key fields an Opportunity outbound message does not carry: a deal known only from them is not held to them.</summary>
    public static readonly IReadOnlyList<string> NotCarried = [DealDataQuality.Industry, DealDataQuality.Region, DealDataQuality.ContactCount];

    public static DealSnapshot Apply(DealSnapshot? stored, Func<string, (bool Present, string? Value)> field, IReadOnlyDictionary<string, string> stages)
    {
        var id = Parser.Id("Id", Value(field, "Id")) ?? throw new FieldValueException("Id", "'Id' is missing: every Opportunity needs its record id.");
        var deal = stored ?? new DealSnapshot
        {
            Source = SourceName,
            ExternalId = id,
            Version = 0,
            Stage = DealStages.Lead,
            CreatedAt = Instant(field, "CreatedDate") ?? DateTimeOffset.UnixEpoch,
            UnavailableFields = NotCarried,
        };

        if (Present(field, "Name", out var name)) deal = deal with { Name = Parser.Name("Name", name) };
        if (Present(field, "AccountId", out var account)) deal = deal with { Account = Parser.Id("AccountId", account) };
        if (Present(field, "OwnerId", out var owner)) deal = deal with { Owner = Parser.Id("OwnerId", owner) };
        if (Present(field, "LeadSource", out var leadSource)) deal = deal with { LeadSource = Parser.Name("LeadSource", leadSource) };
        if (Present(field, "Type", out var type)) deal = deal with { Product = deal.Product ?? Parser.Name("Type", type) };
        if (Present(field, "Amount", out var amount)) deal = deal with { Amount = Parser.Amount("Amount", amount) };
        if (Present(field, "CurrencyIsoCode", out var currency) && currency is not null) deal = deal with { Currency = Parser.Id("CurrencyIsoCode", currency)! };
        if (Present(field, "CloseDate", out _)) deal = deal with { CloseDate = Date(field, "CloseDate") };
        if (Instant(field, "CreatedDate") is { } created) deal = deal with { CreatedAt = created };
        if (Present(field, "LastActivityDate", out _)) deal = deal with { LastActivityAt = Date(field, "LastActivityDate") is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null };
        if (Present(field, "NextStep", out var nextStep) && Parser.Text("NextStep", nextStep) != deal.NextStep)
            deal = deal with { NextStep = nextStep, NextStepUpdatedAt = Instant(field, "LastModifiedDate") ?? deal.NextStepUpdatedAt };
        return WithStage(deal, field, stages);
    }

    public static DateTimeOffset? LastModified(Func<string, (bool Present, string? Value)> field) => Instant(field, "LastModifiedDate");

    private static DealSnapshot WithStage(DealSnapshot deal, Func<string, (bool Present, string? Value)> field, IReadOnlyDictionary<string, string> stages)
    {
        var isClosed = Flag(field, "IsClosed");
        var isWon = Flag(field, "IsWon");
        if (!Present(field, "StageName", out var stageName) && isClosed is null)
            return deal;
        stageName = Parser.Id("StageName", stageName);

        string stage;
        if (stageName is not null && stages.TryGetValue(stageName, out var mapped))
            stage = mapped;
        else if (isClosed == true)
            stage = isWon == true ? DealStages.ClosedWon : DealStages.ClosedLost;
        else if (stageName is null)
            stage = deal.Stage;
        else
            throw new FieldValueException("StageName",
                $"Unknown StageName '{stageName}': map it with Crm:Salesforce:Stages:{stageName}=<{string.Join("|", DealStages.All)}> (or in the mapping file).");

        var closed = isClosed ?? DealStages.IsClosed(stage);
        if (closed && !DealStages.IsClosed(stage))
            stage = isWon == true ? DealStages.ClosedWon : DealStages.ClosedLost;
        return deal with
        {
            Stage = stage,
            SourceStage = stageName ?? deal.SourceStage,
            IsClosed = closed,
            IsWon = closed && (isWon ?? stage == DealStages.ClosedWon),
            ClosedAt = closed ? deal.ClosedAt ?? Instant(field, "LastModifiedDate") ?? (deal.CloseDate is { } close ? new DateTimeOffset(close.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null) : null,
        };
    }

    private static bool Present(Func<string, (bool Present, string? Value)> field, string name, out string? value)
    {
        var (present, raw) = field(name);
        value = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
        return present;
    }

    private static string? Value(Func<string, (bool Present, string? Value)> field, string name) => Present(field, name, out var value) ? value : null;

    private static DateOnly? Date(Func<string, (bool Present, string? Value)> field, string name) => Parser.Date(name, Value(field, name));

    private static DateTimeOffset? Instant(Func<string, (bool Present, string? Value)> field, string name) => Parser.Instant(name, Value(field, name));

    private static bool? Flag(Func<string, (bool Present, string? Value)> field, string name) => Parser.Flag(name, Value(field, name));
}
