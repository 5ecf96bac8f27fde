using CaseTransfer.Domain.Allocations;

namespace CaseTransfer.Domain.Tests.Allocations;

/// <summary>Ruleset files: the shipped ones parse, a file is identified by its bytes, and a broken one says what is wrong.</summary>
public class RulesetFileTests
{
    private static readonly string DefaultText = File.ReadAllText(ShippedRulesets.PathOf("2026.1"));

    [Theory]
    [InlineData("2026.1")]
    [InlineData("2026.2")]
    public void Every_shipped_ruleset_parses_and_declares_the_version_of_its_file_name(string version)
    {
        var ruleset = ShippedRulesets.Load(version);

        Assert.Equal(version, ruleset.Version);
        Assert.Matches("^[0-9a-f]{64}$", ruleset.Hash);
        Assert.Equal(Ruleset.HashOf(File.ReadAllBytes(ShippedRulesets.PathOf(version))), ruleset.Hash);
    }

    [Fact]
    public void The_hash_changes_when_the_content_changes_even_by_a_comment()
    {
        var original = Ruleset.Parse(DefaultText);
        var commented = Ruleset.Parse(DefaultText + "\n# reviewed 2026-11-27\n");

        Assert.Equal(original.Version, commented.Version);
        Assert.NotEqual(original.Hash, commented.Hash);
        Assert.Equal(original.Hash, Ruleset.Parse(DefaultText).Hash);
    }

    [Theory]
    [InlineData("fact: rosh\n        in: [High, VeryHigh]", "fact: roshLevel\n        in: [High, VeryHigh]", "Rule 'rosh-high-or-very-high': unknown fact 'roshLevel'")]
    [InlineData("in: [High, VeryHigh]", "in: [High, Severe]", "Rule 'rosh-high-or-very-high': 'Severe' is not a value of rosh")]
    [InlineData("atLeast: rsrThreshold\n", "atLeast: rsrLimit\n", "Rule 'rsr-at-or-above-threshold': atLeast: 'rsrLimit' is not a number nor a parameter")]
    [InlineData("in: [Life, Ipp, ExtendedDeterminate]", "atLeast: 3", "Rule 'life-ipp-or-extended-sentence': atLeast does not apply to sentenceType")]
    [InlineData("outcome: KeepWithNps\n      when:\n        fact: flags", "outcome: KeepWithNPS\n      when:\n        fact: flags", "Rule 'public-interest': outcome: 'KeepWithNPS' is not an outcome")]
    [InlineData("levels: { A: 30, B: 20, C: 10, D: 0 }", "levels: { A: 30, B: 20, C: 10, E: 0 }", "tiering.protect.levels: 'E' is not a level")]
    [InlineData("      when:\n        fact: rosh", "      whenever:\n        fact: rosh", "whenever")]
    public void A_broken_ruleset_is_refused_with_a_message_naming_the_rule_or_field(string find, string replace, string expected)
    {
        Assert.Contains(find, DefaultText, StringComparison.Ordinal);
        var broken = ReplaceFirst(DefaultText, find, replace);

        var error = Assert.Throws<RulesetFormatException>(() => Ruleset.Parse(broken));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ruleset_without_a_version_is_refused()
    {
        var error = Assert.Throws<RulesetFormatException>(() => Ruleset.Parse(DefaultText.Replace("version: \"2026.1\"", "", StringComparison.Ordinal)));

        Assert.Equal("version: is required.", error.Message);
    }

    [Fact]
    public void The_catalogue_finds_rulesets_by_version_and_refuses_an_unknown_active_one()
    {
        var rulesets = new[] { ShippedRulesets.Load("2026.1"), ShippedRulesets.Load("2026.2") };

        var catalogue = new RulesetCatalogue(rulesets, "2026.1");

        Assert.Equal("2026.1", catalogue.Active.Version);
        Assert.Equal("2026.2", catalogue.Find("2026.2")?.Version);
        Assert.Null(catalogue.Find("2025.9"));
        Assert.Contains("2027.1", Assert.Throws<RulesetFormatException>(() => new RulesetCatalogue(rulesets, "2027.1")).Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }
}
