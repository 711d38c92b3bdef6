using DealRisk.Ingestion.Deals;

namespace DealRisk.Ingestion.Tests;

public sealed class FieldParserTests
{
    private static readonly FieldParser Parser = FieldParser.Invariant;

    [Theory]
    [InlineData("2024-01-15", "2024-01-15")]
    [InlineData("2024/01/15", "2024-01-15")]
    [InlineData("1/15/2024", "2024-01-15")]
    [InlineData("01/15/2024", "2024-01-15")]
    [InlineData("2024-01-15 13:45", "2024-01-15")]
    [InlineData("2024-01-15 13:45:10", "2024-01-15")]
    [InlineData("2024-01-15T13:45:10", "2024-01-15")]
    [InlineData("1/15/2024 1:45 PM", "2024-01-15")]
    [InlineData("1/15/2024 13:45:10", "2024-01-15")]
    [InlineData("2024-01-15T23:30:00-08:00", "2024-01-16")]
    [InlineData("2024-01-15T10:00:00.000Z", "2024-01-15")]
    [InlineData("1705276800000", "2024-01-15")]
    [InlineData("  2024-01-15 ", "2024-01-15")]
    public void Dates_read_in_every_format_an_import_or_webhook_accepts(string text, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Parser.Date("close", text));
    }

    [Theory]
    [InlineData("next friday")]
    [InlineData("20240115")]
    [InlineData("2024-13-01")]
    [InlineData("170527680000")]
    public void A_value_that_is_no_date_is_refused_naming_the_field_and_the_formats(string text)
    {
        var error = Assert.Throws<FieldValueException>(() => Parser.Date("CloseDate", text));

        Assert.Equal("CloseDate", error.Field);
        Assert.Equal($"'CloseDate' must be a date (yyyy-MM-dd, M/d/yyyy, ISO 8601 or epoch milliseconds), not \"{text}\".", error.Message);
    }

    [Fact]
    public void A_mappings_own_date_formats_and_decimal_comma_come_first()
    {
        var parser = new FieldParser(",", ["dd.MM.yyyy"]);

        Assert.Equal(new DateOnly(2024, 3, 4), parser.Date("Datum", "04.03.2024"));
        Assert.Equal(45_000.5m, parser.Amount("Betrag", "45.000,50 €"));
        Assert.Contains("(dd.MM.yyyy, yyyy-MM-dd, M/d/yyyy,", Assert.Throws<FieldValueException>(() => parser.Date("Datum", "März")).Message);
    }

    [Fact]
    public void Instants_without_an_offset_are_utc_and_epoch_milliseconds_are_read()
    {
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 13, 45, 0, TimeSpan.Zero), Parser.Instant("CreatedDate", "2024-01-15 13:45"));
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 21, 45, 0, TimeSpan.Zero), Parser.Instant("CreatedDate", "2024-01-15T13:45:00-08:00"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1705325100000), Parser.Instant("hs_last_sales_activity_timestamp", "1705325100000"));
        Assert.Equal(TimeSpan.Zero, Parser.Instant("CreatedDate", "2024-01-15T13:45:00+02:00")!.Value.Offset);
    }

    [Theory]
    [InlineData("45000", 45000)]
    [InlineData("45,000.50", 45000.5)]
    [InlineData("$45,000", 45000)]
    [InlineData("USD 45,000", 45000)]
    [InlineData("45000 EUR", 45000)]
    [InlineData("45 000 €", 45000)]
    [InlineData("£1.2E4", 12000)]
    [InlineData("0", 0)]
    public void Currency_amounts_read_with_symbols_codes_grouping_and_exponents(string text, double expected)
    {
        Assert.Equal((decimal)expected, Parser.Amount("Amount", text));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-5")]
    [InlineData("$-5")]
    [InlineData("12 apples")]
    public void An_amount_that_is_not_a_non_negative_number_is_refused(string text)
    {
        var error = Assert.Throws<FieldValueException>(() => Parser.Amount("deal_amount", text));

        Assert.Equal($"'deal_amount' must be a non-negative number, not \"{text}\".", error.Message);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData(" 12 ", 12)]
    public void Counts_are_whole_non_negative_numbers(string text, int expected) => Assert.Equal(expected, Parser.Count("contacts", text));

    [Theory]
    [InlineData("2.5")]
    [InlineData("-1")]
    [InlineData("two")]
    public void A_count_that_is_not_whole_and_non_negative_is_refused(string text) =>
        Assert.Equal($"'contacts' must be a whole number of at least 0, not \"{text}\".", Assert.Throws<FieldValueException>(() => Parser.Count("contacts", text)).Message);

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("YES", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    public void Flags_read_true_false_yes_no_and_one_zero(string text, bool expected) => Assert.Equal(expected, Parser.Flag("IsWon", text));

    [Fact]
    public void A_flag_that_is_neither_is_refused() =>
        Assert.Equal("'IsWon' must be true or false (or yes/no, 1/0), not \"maybe\".", Assert.Throws<FieldValueException>(() => Parser.Flag("IsWon", "maybe")).Message);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_values_read_as_null_in_every_kind(string? text)
    {
        Assert.Null(Parser.Id("id", text));
        Assert.Null(Parser.Name("name", text));
        Assert.Null(Parser.Text("next", text));
        Assert.Null(Parser.Amount("amount", text));
        Assert.Null(Parser.Count("count", text));
        Assert.Null(Parser.Flag("flag", text));
        Assert.Null(Parser.Date("date", text));
        Assert.Null(Parser.Instant("instant", text));
    }

    [Theory]
    [InlineData("id", 255)]
    [InlineData("name", 1_000)]
    [InlineData("text", 2_000)]
    public void Text_up_to_its_kinds_limit_is_kept_and_one_character_more_is_refused_naming_the_field(string kind, int limit)
    {
        Func<string, string?, string?> read = kind switch { "id" => Parser.Id, "name" => Parser.Name, _ => Parser.Text };

        Assert.Equal(limit, read("Field", new string('x', limit))!.Length);
        var error = Assert.Throws<FieldValueException>(() => read("Field", new string('x', limit + 1)));
        Assert.Equal("Field", error.Field);
        Assert.Equal($"'Field' is {limit + 1:N0} characters long; at most {limit:N0} are accepted.", error.Message);
    }

    [Fact]
    public void A_bad_value_is_quoted_back_cut_short()
    {
        var error = Assert.Throws<FieldValueException>(() => Parser.Amount("Amount", new string('9', 5_000) + "x"));

        Assert.Contains("… (5,001 characters)\"", error.Message);
        Assert.True(error.Message.Length < 200, error.Message);
    }
}
