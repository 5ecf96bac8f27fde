using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Tests.Identifiers;

public class CrnTests
{
    [Theory]
    [InlineData("X123456")]
    [InlineData("A000000")]
    [InlineData("Z999999")]
    public void A_letter_then_six_digits_is_a_CRN(string value)
    {
        Assert.True(Crn.TryParse(value, out var crn));
        Assert.Equal(value, crn.Value);
        Assert.Equal(value, Crn.Parse(value).ToString());
    }

    [Theory]
    [InlineData("x123456")]
    [InlineData("X12345")]
    [InlineData("X1234567")]
    [InlineData("XX23456")]
    [InlineData("1234567")]
    [InlineData(" X123456")]
    [InlineData("X123456 ")]
    [InlineData("X12345６")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_CRN(string? value)
    {
        Assert.False(Crn.IsValid(value));
        Assert.False(Crn.TryParse(value, out _));
    }

    [Fact]
    public void Parsing_a_malformed_CRN_says_what_a_CRN_looks_like()
    {
        var error = Assert.Throws<FormatException>(() => Crn.Parse("x12"));

        Assert.Contains(Crn.Pattern, error.Message, StringComparison.Ordinal);
    }
}

public class NomsNumberTests
{
    [Theory]
    [InlineData("A1234BC")]
    [InlineData("Z0000ZZ")]
    public void A_letter_four_digits_and_two_letters_is_a_NOMS_number(string value)
    {
        Assert.True(NomsNumber.IsValid(value));
        Assert.Equal(value, NomsNumber.Parse(value).Value);
    }

    [Theory]
    [InlineData("a1234bc")]
    [InlineData("A123BC")]
    [InlineData("A12345BC")]
    [InlineData("A1234B")]
    [InlineData("A1234B1")]
    [InlineData("11234BC")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_NOMS_number(string? value)
    {
        Assert.False(NomsNumber.IsValid(value));
        if (value is not null)
        {
            Assert.Throws<FormatException>(() => NomsNumber.Parse(value));
        }
    }
}

public class PncIdTests
{
    [Theory]
    [InlineData("2019/0052494Q")]
    [InlineData("2019/52494Q")]
    [InlineData("19/52494q")]
    [InlineData(" 19/0052494Q ")]
    public void A_PNC_ID_is_found_in_the_forms_people_write_it(string text)
    {
        var check = PncId.CheckLetterFor("2019", "52494");
        var forms = PncId.SearchForms(text.Replace('Q', check).Replace('q', char.ToLowerInvariant(check)));

        Assert.Contains(PncId.Parse($"2019/0052494{check}"), forms);
    }

    [Fact]
    public void A_two_digit_year_may_be_either_century()
    {
        var check = PncId.CheckLetterFor("2019", "52494");

        Assert.Equal([PncId.Parse($"1919/52494{check}"), PncId.Parse($"2019/52494{check}")], PncId.SearchForms($"19/52494{check}"));
    }

    [Theory]
    [InlineData("2019/0052494Z")]
    [InlineData("19/52494Z")]
    public void A_PNC_ID_whose_check_letter_does_not_match_is_mistyped(string text)
    {
        Assume(PncId.CheckLetterFor("2019", "52494") != 'Z');
        Assert.True(PncId.IsMistyped(text));
        Assert.Empty(PncId.SearchForms(text));
    }

    [Theory]
    [InlineData("smith")]
    [InlineData("2019/52494")]
    [InlineData("1/52494Q")]
    [InlineData("X123456")]
    public void Text_not_written_as_a_PNC_ID_is_not_mistyped(string text) => Assert.False(PncId.IsMistyped(text));

    [Fact]
    public void The_short_form_is_for_search_only_a_stored_PNC_ID_has_its_four_digit_year() =>
        Assert.False(PncId.IsValid("19/52494" + PncId.CheckLetterFor("2019", "52494")));

    private static void Assume(bool condition) => Assert.True(condition, "test data assumption");

    [Fact]
    public void The_check_letter_is_the_year_and_serial_modulo_23()
    {
        // 12 and 0052494 read as 120052494; 120052494 mod 23 = 15, the 16th letter of ZABCDEFGHJKLMNPQRTUVWXY.
        Assert.Equal(15, 120052494 % 23);
        Assert.Equal('Q', PncId.CheckLetterFor("2012", "0052494"));
        Assert.Equal('Q', PncId.CheckLetterFor("2012", "52494"));
    }

    [Fact]
    public void A_PNC_ID_with_the_right_check_letter_is_valid()
    {
        Assert.True(PncId.TryParse("2012/0052494Q", out var pnc));
        Assert.Equal("2012/0052494Q", pnc.Value);
    }

    [Theory]
    [InlineData("2012/0052494A")]
    [InlineData("2012/0052494Z")]
    [InlineData("2012/0052495Q")]
    [InlineData("2013/0052494Q")]
    [InlineData("2012/52494A")]
    public void A_PNC_ID_with_the_wrong_check_letter_is_not_valid(string value)
    {
        Assert.False(PncId.IsValid(value));
        Assert.Throws<FormatException>(() => PncId.Parse(value));
    }

    [Theory]
    [InlineData("2012/52494Q")]
    [InlineData("2012/052494Q")]
    [InlineData("2012/0052494Q")]
    public void A_short_serial_is_stored_zero_padded_to_seven_digits(string value)
    {
        Assert.Equal("2012/0052494Q", PncId.Parse(value).Value);
    }

    [Theory]
    [InlineData("2012/0052494q")]
    [InlineData(" 2012/0052494Q ")]
    [InlineData("2012/52494q")]
    public void Lower_case_and_surrounding_spaces_are_accepted_and_normalised(string value)
    {
        Assert.Equal("2012/0052494Q", PncId.Parse(value).Value);
    }

    [Fact]
    public void Two_spellings_of_one_PNC_ID_are_the_same_identifier()
    {
        Assert.Equal(PncId.Parse("2012/52494Q"), PncId.Parse("2012/0052494q"));
    }

    [Theory]
    [InlineData("12/0052494Q")]
    [InlineData("1812/0052494Q")]
    [InlineData("2012/00524941Q")]
    [InlineData("2012/Q")]
    [InlineData("2012-0052494Q")]
    [InlineData("20120052494Q")]
    [InlineData("2012/0052494")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_not_shaped_like_YYYY_slash_serial_and_letter_is_not_a_PNC_ID(string? value)
    {
        Assert.False(PncId.IsValid(value));
    }

    [Fact]
    public void Every_serial_has_exactly_one_valid_check_letter()
    {
        for (var serial = 0; serial < 2_000; serial += 37)
        {
            var digits = serial.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            var valid = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".Where(letter => PncId.IsValid($"2019/{digits}{letter}")).ToList();
            Assert.Equal([PncId.CheckLetterFor("2019", digits)], valid);
        }
    }
}
