using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Ingestion.Deals;

/// <summary>A bad field value, named so a RevOps user can find it in the CRM.</summary>
public sealed class FieldValueException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Salesforce Opportunity fields (API names, as in outbound messages and Data Loader / report exports) onto the
/// canonical deal. Only fields present are applied, so an outbound message that selects a few fields leaves the others alone.
/// </summary>
public static class SalesforceOpportunity
{
    public const string SourceName = "salesforce";

    /// <summary>Key fields an Opportunity outbound message does not carry: a deal known only from them is not held to them.</summary>
    public static readonly IReadOnlyList<string> NotCarried = [DealDataQuality.Industry, DealDataQuality.Region, DealDataQuality.ContactCount];

    public static DealSnapshot Apply(DealSnapshot? stored, Func<string, (bool Present, string? Value)> field, IReadOnlyDictionary<string, string> stages)
    {
        var id = Value(field, "Id") ?? throw new FieldValueException("Id", "'Id' is missing: every Opportunity needs its record id.");
        var deal = stored ?? new DealSnapshot
        {
            Source = SourceName,
            ExternalId = id,
            Version = 0,
            Stage = DealStages.Lead,
            CreatedAt = Instant(field, "CreatedDate") ?? DateTimeOffset.UnixEpoch,
            UnavailableFields = NotCarried,
        };

        if (Present(field, "Name", out var name)) deal = deal with { Name = name };
        if (Present(field, "AccountId", out var account)) deal = deal with { Account = account };
        if (Present(field, "OwnerId", out var owner)) deal = deal with { Owner = owner };
        if (Present(field, "LeadSource", out var leadSource)) deal = deal with { LeadSource = leadSource };
        if (Present(field, "Type", out var type)) deal = deal with { Product = deal.Product ?? type };
        if (Present(field, "Amount", out var amount)) deal = deal with { Amount = Amount(amount) };
        if (Present(field, "CurrencyIsoCode", out var currency) && currency is not null) deal = deal with { Currency = currency };
        if (Present(field, "CloseDate", out _)) deal = deal with { CloseDate = Date(field, "CloseDate") };
        if (Instant(field, "CreatedDate") is { } created) deal = deal with { CreatedAt = created };
        if (Present(field, "LastActivityDate", out _)) deal = deal with { LastActivityAt = Date(field, "LastActivityDate") is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null };
        if (Present(field, "NextStep", out var nextStep) && nextStep != deal.NextStep)
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

    private static decimal? Amount(string? text)
    {
        if (text is null) return null;
        if (decimal.TryParse(text.Replace("$", "").Replace(",", ""), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
            return amount;
        throw new FieldValueException("Amount", $"'Amount' must be a non-negative number, not \"{text}\".");
    }

    private static DateOnly? Date(Func<string, (bool Present, string? Value)> field, string name)
    {
        var text = Value(field, name);
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return DateOnly.FromDateTime(instant.UtcDateTime);
        throw new FieldValueException(name, $"'{name}' must be a date (yyyy-MM-dd), not \"{text}\".");
    }

    private static DateTimeOffset? Instant(Func<string, (bool Present, string? Value)> field, string name)
    {
        var text = Value(field, name);
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
            return instant;
        throw new FieldValueException(name, $"'{name}' must be a date-time (ISO 8601), not \"{text}\".");
    }

    private static bool? Flag(Func<string, (bool Present, string? Value)> field, string name)
    {
        var text = Value(field, name);
        if (text is null) return null;
        return text.ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw new FieldValueException(name, $"'{name}' must be true or false, not \"{text}\"."),
        };
    }
}
