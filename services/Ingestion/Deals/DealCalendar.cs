namespace DealRisk.Ingestion.Deals;

/// <summary>Which deals a batch as of a date sees: those created by then, split into closed by then and still open then.</summary>
public static class DealCalendar
{
    public static bool KnownBy(DealIndexEntry deal, DateOnly asOf) => DateOnly.FromDateTime(deal.CreatedAt.UtcDateTime) <= asOf;

    public static bool ClosedBy(DealIndexEntry deal, DateOnly asOf) =>
        deal.IsClosed && deal.ClosedAt is { } closedAt && DateOnly.FromDateTime(closedAt.UtcDateTime) <= asOf;
}
