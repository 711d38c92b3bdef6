namespace DealRisk.Storage.Tests;

public enum DealPriority
{
    Low,
    High,
}

public sealed record LineItem(string Product, decimal UnitPrice, int Quantity);

public sealed record TestDeal
{
    public required string Name { get; init; }
    public required string Stage { get; init; }
    public bool IsOpen { get; init; }
    public int Probability { get; init; }
    public decimal Amount { get; init; }
    public DateOnly CloseDate { get; init; }
    public DateOnly? LostOn { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTime CreatedAtUtc { get; init; }
    public Guid OwnerId { get; init; }
    public Guid? PreviousOwnerId { get; init; }
    public DealPriority Priority { get; init; }
    public string? NextStep { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<LineItem> Lines { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<int>> Matrix { get; init; } = [];
    public IReadOnlyDictionary<string, decimal> Scores { get; init; } = new Dictionary<string, decimal>();

    public static TestDeal Sample(string name = "Acme renewal", string stage = "proposal") => new()
    {
        Name = name,
        Stage = stage,
        IsOpen = true,
        Probability = 40,
        Amount = 125_000.50m,
        CloseDate = new DateOnly(2025, 3, 31),
        UpdatedAt = new DateTimeOffset(2025, 1, 15, 10, 30, 45, 123, TimeSpan.FromHours(2)),
        CreatedAtUtc = new DateTime(2024, 12, 1, 8, 0, 0, DateTimeKind.Utc),
        OwnerId = Guid.Parse("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"),
        Priority = DealPriority.High,
        Tags = ["enterprise", "renewal"],
        Lines = [new LineItem("Seats", 99.99m, 100), new LineItem("Support", 0.01m, 1)],
        Matrix = [[1, 2], [3]],
        Scores = new Dictionary<string, decimal> { ["fit"] = 0.875m, ["engagement"] = 12m },
    };
}

/// <summary>A document with an Id of its own, which must not be confused with the store's key.</summary>
public sealed record Receipt
{
    public required Guid Id { get; init; }
    public required string MessageType { get; init; }
}
