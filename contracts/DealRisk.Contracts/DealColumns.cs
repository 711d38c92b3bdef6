using MemoryPack;

namespace DealRisk.Contracts;

/// <summary>The <see cref="DealProfile"/>s of a batch chunk as columns, one row per deal.</summary>
[MemoryPackable]
public sealed partial class DealColumns
{
    public StringColumn Source { get; init; } = new();
    public string[] ExternalId { get; init; } = [];
    public long[] Version { get; init; } = [];
    public string?[] Name { get; init; } = [];
    public string?[] Account { get; init; } = [];
    public StringColumn Owner { get; init; } = new();
    public decimal?[] Amount { get; init; } = [];
    public StringColumn Currency { get; init; } = new();
    public StringColumn Stage { get; init; } = new();
    public int?[] DaysInStage { get; init; } = [];
    public StringColumn Industry { get; init; } = new();
    public StringColumn Region { get; init; } = new();
    public StringColumn LeadSource { get; init; } = new();
    public StringColumn Product { get; init; } = new();
    public bool[] DataQualityFlag { get; init; } = [];
    /// <summary>Per deal, its missing key fields joined by commas (field names hold none).</summary>
    public StringColumn MissingFields { get; init; } = new();

    [MemoryPackIgnore]
    public int Count => ExternalId.Length;

    public static DealColumns Of(IReadOnlyList<DealProfile> deals) => new()
    {
        Source = StringColumn.Of(deals.Select(d => d.Source)),
        ExternalId = [.. deals.Select(d => d.ExternalId)],
        Version = [.. deals.Select(d => d.Version)],
        Name = [.. deals.Select(d => d.Name)],
        Account = [.. deals.Select(d => d.Account)],
        Owner = StringColumn.Of(deals.Select(d => d.Owner)),
        Amount = [.. deals.Select(d => d.Amount)],
        Currency = StringColumn.Of(deals.Select(d => d.Currency)),
        Stage = StringColumn.Of(deals.Select(d => d.Stage)),
        DaysInStage = [.. deals.Select(d => d.DaysInStage)],
        Industry = StringColumn.Of(deals.Select(d => d.Industry)),
        Region = StringColumn.Of(deals.Select(d => d.Region)),
        LeadSource = StringColumn.Of(deals.Select(d => d.LeadSource)),
        Product = StringColumn.Of(deals.Select(d => d.Product)),
        DataQualityFlag = [.. deals.Select(d => d.DataQualityFlag)],
        MissingFields = StringColumn.Of(deals.Select(d => d.MissingFields.Count == 0 ? null : string.Join(',', d.MissingFields))),
    };

    public DealProfile this[int row] => new()
    {
        Source = Source[row] ?? "",
        ExternalId = ExternalId[row],
        Version = Version[row],
        Name = Name[row],
        Account = Account[row],
        Owner = Owner[row],
        Amount = Amount[row],
        Currency = Currency[row] ?? "USD",
        Stage = Stage[row] ?? "",
        DaysInStage = DaysInStage[row],
        Industry = Industry[row],
        Region = Region[row],
        LeadSource = LeadSource[row],
        Product = Product[row],
        DataQualityFlag = DataQualityFlag[row],
        MissingFields = MissingFields[row]?.Split(',') ?? [],
    };

    /// <summary>Throws <see cref="InvalidChunkPayloadException"/> unless every column has one row per deal.</summary>
    public void Check()
    {
        var rows = Count;
        void Same(string name, int length)
        {
            if (length != rows)
                throw new InvalidChunkPayloadException($"column {name} has {length} rows, expected {rows}");
        }

        Same(nameof(Version), Version.Length);
        Same(nameof(Name), Name.Length);
        Same(nameof(Account), Account.Length);
        Same(nameof(Amount), Amount.Length);
        Same(nameof(DaysInStage), DaysInStage.Length);
        Same(nameof(DataQualityFlag), DataQualityFlag.Length);
        Source.Check(nameof(Source), rows);
        Owner.Check(nameof(Owner), rows);
        Currency.Check(nameof(Currency), rows);
        Stage.Check(nameof(Stage), rows);
        Industry.Check(nameof(Industry), rows);
        Region.Check(nameof(Region), rows);
        LeadSource.Check(nameof(LeadSource), rows);
        Product.Check(nameof(Product), rows);
        MissingFields.Check(nameof(MissingFields), rows);
    }
}
