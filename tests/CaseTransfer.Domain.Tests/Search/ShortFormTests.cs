using CaseTransfer.Domain.Search;

namespace CaseTransfer.Domain.Tests.Search;

public class ShortFormTests
{
    [Theory]
    [InlineData("bob", "robert")]
    [InlineData("mike", "michael")]
    [InlineData("liz", "elizabeth")]
    [InlineData("bill", "william")]
    [InlineData("robert", "bob")]
    [InlineData("michael", "mike")]
    public void A_short_form_and_its_full_name_find_each_other(string a, string b) =>
        Assert.True(ShortForms.AreShortForms(a, b));

    [Fact]
    public void Short_forms_are_not_transitive_through_a_shared_short_form()
    {
        Assert.True(ShortForms.AreShortForms("bert", "albert"));
        Assert.True(ShortForms.AreShortForms("bert", "robert"));
        Assert.False(ShortForms.AreShortForms("albert", "robert"));
    }

    [Fact]
    public void A_name_is_not_its_own_short_form() => Assert.False(ShortForms.AreShortForms("robert", "robert"));

    [Fact]
    public void The_shipped_list_reads_and_every_line_is_a_group_of_lower_case_names()
    {
        using var stream = typeof(ShortForms).Assembly.GetManifestResourceStream(ShortForms.ResourceName);
        Assert.NotNull(stream);
        var groups = ShortForms.Parse(new StreamReader(stream).ReadToEnd());
        Assert.True(groups.Count > 200, $"only {groups.Count} names");
        Assert.Contains("robert", ShortForms.Of("bob"));
    }

    [Theory]
    [InlineData("robert bob\nbobby")]
    [InlineData("Robert Bob")]
    [InlineData("robert bob-by")]
    public void A_list_line_that_is_not_a_group_of_names_is_refused_naming_the_line(string text)
    {
        var error = Assert.Throws<FormatException>(() => ShortForms.Parse("# header\n" + text));
        Assert.Contains("Line ", error.Message);
    }

    [Theory]
    [InlineData("Mike Phillips", "Michael", "Phillips", "Phillip", "McKee")]
    [InlineData("Bob Heathbrook", "Robert", "Heathbrook", "John", "Heathbrook")]
    [InlineData("Liz Taylor", "Elizabeth", "Taylor", "Lisa", "Tayler")]
    [InlineData("Robert Heathbrook", "Bob", "Heathbrook", "Rupert", "Heathbrook")]
    public void A_short_form_ranks_the_full_name_above_other_people(string query, string forename, string surname, string otherForename, string otherSurname)
    {
        var intended = NameMatcher.Score(query, forename, surname);
        var other = NameMatcher.Score(query, otherForename, otherSurname);

        Assert.True(intended > other, $"{forename} {surname} scored {intended}, {otherForename} {otherSurname} {other}");
    }

    [Fact]
    public void A_short_form_scores_a_little_below_the_exact_forename()
    {
        var exact = NameMatcher.Score("Bob Heathbrook", "Bob", "Heathbrook");
        var shortForm = NameMatcher.Score("Bob Heathbrook", "Robert", "Heathbrook");

        Assert.Equal(1.0, exact);
        Assert.True(shortForm < exact);
        Assert.True(shortForm > 0.95, $"Robert Heathbrook scored {shortForm}");
    }

    [Fact]
    public void A_short_form_is_a_forename_rule_only() =>
        Assert.True(NameMatcher.Score("John Bob", "John", "Robert") < 0.7);

    [Fact]
    public void A_short_form_query_looks_up_the_full_names_keys_and_their_initials_in_pairs()
    {
        Assert.Contains("t:robert", NameKeys.ShortFormKeysForQueryToken("bob"));
        Assert.Empty(NameKeys.ShortFormKeysForQueryToken("heathbrook"));

        var pairs = NameKeys.PairsForQuery(["bob", "heathbrook"]);
        Assert.Contains("xrt:heathbrook", pairs);
        Assert.Contains(NameKeys.ForName("Robert", "Heathbrook"), k => pairs.Contains(k));
    }
}
