using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Imports;
using DealRisk.Ingestion.Imports.Mapping;

namespace DealRisk.Ingestion.Tests;

public sealed class ImportMappingTests
{
    private const string Mapping = """
        source: crm
        columns:
          externalId: Id
          stage: Stage
          createdAt: [Engage date, Created]
          owner: [Owner, Account manager]
          amount: Value
          account: Company
          closeDate: Expected close
          industry: Sector
          region: Region
          leadSource: Source
        stages:
          Engaging: Qualified
          Prospecting: Lead
        """;

    [Fact]
    public async Task A_mapped_field_falls_back_to_its_other_columns_in_order()
    {
        var format = Format(Mapping);

        var rows = await ImportReading.ReadAllAsync(format, """
            Id,Stage,Engage date,Created,Owner,Account manager,Value,Company,Expected close,Sector,Region,Source
            1,Engaging,2024-03-05,2024-01-01,Ann,Bob,100,Acme,2024-06-01,SaaS,EU,Web
            2,Prospecting,,2024-02-10,,Bob,100,Acme,2024-06-01,SaaS,EU,Web
            3,Prospecting,,,Ann,,100,Acme,2024-06-01,SaaS,EU,Web
            """);

        Assert.Equal((new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero), "Ann"), (rows[0].Deal!.CreatedAt, rows[0].Deal!.Owner));
        Assert.Equal((new DateTimeOffset(2024, 2, 10, 0, 0, 0, TimeSpan.Zero), "Bob"), (rows[1].Deal!.CreatedAt, rows[1].Deal!.Owner));
        Assert.Null(rows[2].Deal);
        Assert.Equal((4L, "Engage date"), (rows[2].Error!.Line, rows[2].Error!.Column));
        Assert.Contains("'Engage date' or 'Created' are all empty", rows[2].Error!.Reason);
    }

    [Fact]
    public async Task A_fallback_column_alone_in_the_header_is_enough()
    {
        var rows = await ImportReading.ReadAllAsync(Format(Mapping), """
            Id,Stage,Created,Account manager,Value,Company,Expected close,Sector,Region,Source
            1,Engaging,2024-01-01,Bob,100,Acme,2024-06-01,SaaS,EU,Web
            """);

        Assert.Equal((new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), "Bob"), (rows.Single().Deal!.CreatedAt, rows.Single().Deal!.Owner));
    }

    [Fact]
    public async Task A_header_with_none_of_a_fields_columns_is_refused_naming_them_all()
    {
        var refused = await Assert.ThrowsAsync<ImportRefusedException>(() => ImportReading.ReadAllAsync(Format(Mapping), """
            Id,Stage,Owner,Value,Company,Expected close,Sector,Region,Source
            1,Engaging,Ann,100,Acme,2024-06-01,SaaS,EU,Web
            """));

        Assert.Contains("'Engage date' or 'Created'", refused.Message);
    }

    [Fact]
    public async Task A_value_in_the_first_column_that_is_not_a_date_is_an_error_rather_than_a_silent_fallback()
    {
        var rows = await ImportReading.ReadAllAsync(Format(Mapping), """
            Id,Stage,Engage date,Created,Owner,Value,Company,Expected close,Sector,Region,Source
            1,Engaging,soon,2024-01-01,Ann,100,Acme,2024-06-01,SaaS,EU,Web
            """);

        Assert.Equal("Engage date", rows.Single().Error!.Column);
    }

    [Theory]
    [InlineData("source: crm\ncolumns:\n  externalId: Id\n\tstage: Stage\n", 4)]
    [InlineData("source: crm\ncolumns:\n  externalId: Id\n  stage: Stage\n   createdAt: Created\nstages:\n  A: Lead\n", 5)]
    [InlineData("source: crm\ncolumns:\n  externalId: Id\n  stage: Stage\n  createdAt:\n    nested: Created\nstages:\n  A: Lead\n", 6)]
    [InlineData("source: crm\ncolumns:\n  externalId: Id\n  stage: [Stage, Phase]\n  createdAt: Created\nstages:\n  A: [Lead]\n", 7)]
    [InlineData("source: crm\ncolumns:\n  externalId: Id\n  stage: Stage\n  createdAt: Created\nstages:\n  A: Lead\ndecimalSeparator: [1, 2]\n", 8)]
    [InlineData("source: crm\ncolumns:\n  externalId: Id\n  stage: Stage\n  createdAt: Created\nstages:\n  A: Lead\ncolour: red\n", 8)]
    public void A_yaml_mistake_is_reported_at_its_own_line(string yaml, int line)
    {
        var refused = Assert.Throws<ImportRefusedException>(() => ImportMappingLoader.Parse(yaml, "crm.yaml"));

        Assert.True(refused.Message.Contains($"at line {line}:", StringComparison.Ordinal), refused.Message);
    }

    [Fact]
    public async Task Data_quality_counts_only_key_fields_the_file_provides()
    {
        // The export has no next step, contacts or activity columns: deals are judged on the other seven.
        var rows = await ImportReading.ReadAllAsync(Format(Mapping), """
            Id,Stage,Created,Owner,Value,Company,Expected close,Sector,Region,Source
            1,Engaging,2024-01-01,Ann,100,Acme,2024-06-01,SaaS,EU,Web
            2,Engaging,2024-01-01,Ann,,,,,EU,Web
            3,Engaging,2024-01-01,Ann,100,,,,EU,Web
            """);
        var assessed = rows.Select(row => DataQuality.Assess(row.Deal!)).ToList();

        Assert.Equal([DealDataQuality.ContactCount, DealDataQuality.LastActivity, DealDataQuality.NextStep],
            rows[0].Deal!.UnavailableFields.Order(StringComparer.Ordinal));
        Assert.Equal((false, 0), (assessed[0].DataQualityFlag, assessed[0].MissingFields.Count));
        Assert.Equal([DealDataQuality.Amount, DealDataQuality.CloseDate, DealDataQuality.Industry, DealDataQuality.Account], assessed[1].MissingFields);
        Assert.True(assessed[1].DataQualityFlag);
        Assert.Equal((false, 3), (assessed[2].DataQualityFlag, assessed[2].MissingFields.Count));
    }

    [Fact]
    public void A_missing_account_counts_as_a_missing_key_field()
    {
        var deal = Deals.Open("A1", new DateOnly(2024, 5, 1)) with { Account = null, Amount = null, Owner = null, Region = null };

        var assessed = DataQuality.Assess(deal);

        Assert.Contains(DealDataQuality.Account, assessed.MissingFields);
        Assert.True(assessed.DataQualityFlag);
        Assert.False(DataQuality.Assess(deal with { Account = "Acme" }).DataQualityFlag);
    }

    private static MappedCsvFormat Format(string yaml) => new("crm", ImportMappingLoader.Parse(yaml, "crm.yaml"));
}
