using DealRisk.Contracts;

namespace DealRisk.Features.Domain;

/// <summary>
/// What a report dated at an instant may say about a deal: its stage, amount, owner, days in stage and data quality as
/// they were known then, or unknown. A deal that closed after the instant is known to us from a record written after
/// it, so a field whose source does not record its changes and shows none is unknown (an export's amount is often the
/// closing value).
/// </summary>
public static class PointInTimeProfile
{
    public static DealProfile Of(DealSnapshot deal, DealState state)
    {
        var recordIsLater = deal.IsClosed && !(deal.ClosedAt <= state.Instant);
        bool Known(string field) =>
            !recordIsLater || !deal.UntrackedFields.Contains(field) || deal.History.Any(change => change.Field == field);
        var missing = MissingKeyFields(deal, state);
        return new DealProfile
        {
            Source = deal.Source,
            ExternalId = deal.ExternalId,
            Version = deal.Version,
            Name = deal.Name,
            Account = deal.Account,
            Owner = Known(DealFields.Owner) ? state.Owner : null,
            Amount = Known(DealFields.Amount) ? state.Amount : null,
            Currency = deal.Currency,
            Stage = state.Stage ?? UnknownStage,
            DaysInStage = state.Stage is null ? null : (int)DaysInStage(state),
            Industry = deal.Industry,
            Region = deal.Region,
            LeadSource = deal.LeadSource,
            Product = deal.Product,
            DataQualityFlag = DealDataQuality.IsFlagged(missing),
            MissingFields = missing,
        };
    }

    public const string UnknownStage = "Unknown";

    /// <summary>The key fields empty at the instant, by the same rule ingestion applies to the current record.</summary>
    public static IReadOnlyList<string> MissingKeyFields(DealSnapshot deal, DealState state) =>
        DealDataQuality.MissingKeyFields(new KeyFieldValues(
            deal.Account, state.Amount, state.CloseDate, state.Owner, deal.Industry, deal.Region, deal.LeadSource,
            state.NextStep, state.ContactCount, HasActivity: state.LastActivityAt is not null, IsClosed: DealStages.IsClosed(state.Stage)), deal.UnavailableFields);

    public static double DaysInStage(DealState state) => Math.Max(0, Math.Floor((state.Instant - state.StageEnteredAt).TotalDays));
}
