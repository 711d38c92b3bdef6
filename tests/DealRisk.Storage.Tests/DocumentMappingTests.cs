using MongoDB.Bson;

namespace DealRisk.Storage.Tests;

public sealed class DocumentMappingTests
{
    private readonly BsonDocument _stored;

    public DocumentMappingTests()
    {
        DocumentMapping.Register();
        _stored = DocumentEnvelope.Wrap("deal-1", 7, TestDeal.Sample());
    }

    [Fact]
    public void The_key_and_version_lead_the_stored_document_as_id_and_v()
    {
        Assert.Equal(["_id", "_v"], _stored.Names.Take(2));
        Assert.Equal("deal-1", _stored["_id"].AsString);
        Assert.Equal(7L, _stored["_v"].AsInt64);
    }

    [Theory]
    [InlineData("deal-1", 0L)]
    [InlineData("ünïcødé key with spaces", long.MaxValue)]
    public void Both_adapters_store_the_same_bytes(string id, long version)
    {
        var deal = TestDeal.Sample();

        Assert.Equal(DocumentEnvelope.Wrap(id, version, deal).ToBson(), DocumentEnvelope.WrapToBson(id, version, deal));
    }

    [Fact]
    public void Top_level_elements_are_read_from_the_bytes_in_the_order_asked()
    {
        var bytes = DocumentEnvelope.WrapToBson("deal-1", 0, TestDeal.Sample());

        var values = new TopLevelElements(["isOpen", "missing", "stage"]).Read(bytes);

        Assert.Equal([BsonBoolean.True, BsonNull.Value, new BsonString("proposal")], values);
    }

    [Fact]
    public void Top_level_elements_of_every_type_the_mapping_writes_read_as_the_document_holds_them()
    {
        var deal = TestDeal.Sample() with { PreviousOwnerId = Guid.NewGuid(), LostOn = new DateOnly(2025, 5, 1) };
        var document = DocumentEnvelope.Wrap("deal-1", 3, deal);
        var names = document.Names.ToList();

        var values = new TopLevelElements(names).Read(document.ToBson());

        Assert.Equal(names.Select(name => document[name]), values);
    }

    [Fact]
    public void Element_names_are_camel_case_and_enums_are_strings()
    {
        Assert.Equal("proposal", _stored["stage"].AsString);
        Assert.Equal("High", _stored["priority"].AsString);
        Assert.Equal("Seats", _stored["lines"][0]["product"].AsString);
    }

    [Fact]
    public void Date_only_is_a_year_month_day_string()
    {
        Assert.Equal("2025-03-31", _stored["closeDate"].AsString);
    }

    [Fact]
    public void Date_time_offset_is_a_utc_date_and_decimal_is_decimal128()
    {
        Assert.Equal(new DateTime(2025, 1, 15, 8, 30, 45, 123, DateTimeKind.Utc), _stored["updatedAt"].ToUniversalTime());
        Assert.Equal(BsonType.Decimal128, _stored["amount"].BsonType);
        Assert.Equal(BsonType.Decimal128, _stored["scores"]["fit"].BsonType);
    }

    [Fact]
    public void Guid_is_standard_binary()
    {
        var ownerId = _stored["ownerId"].AsBsonBinaryData;

        Assert.Equal(BsonBinarySubType.UuidStandard, ownerId.SubType);
        Assert.Equal(TestDeal.Sample().OwnerId, ownerId.ToGuid(GuidRepresentation.Standard));
    }

    [Fact]
    public void Elements_the_type_does_not_know_are_ignored()
    {
        _stored.Add("addedByANewerVersion", "whatever");

        Assert.Equal("Acme renewal", DocumentEnvelope.Unwrap<TestDeal>(_stored).Name);
    }

    [Fact]
    public void A_positional_record_round_trips()
    {
        var line = new LineItem("Seats", 99.99m, 3);

        Assert.Equal(line, DocumentEnvelope.Unwrap<LineItem>(DocumentEnvelope.Wrap("line-1", 0, line)));
    }

    [Fact]
    public void Filter_values_are_written_as_documents_write_them()
    {
        Assert.Equal(_stored["closeDate"], FilterValue.ToBson(new DateOnly(2025, 3, 31)));
        Assert.Equal(_stored["ownerId"], FilterValue.ToBson(TestDeal.Sample().OwnerId));
        Assert.Equal(_stored["updatedAt"], FilterValue.ToBson(TestDeal.Sample().UpdatedAt));
        Assert.Equal(_stored["priority"], FilterValue.ToBson(DealPriority.High));
    }

    [Fact]
    public void Filter_values_of_other_types_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => FilterValue.ToBson(1.5));
    }
}
