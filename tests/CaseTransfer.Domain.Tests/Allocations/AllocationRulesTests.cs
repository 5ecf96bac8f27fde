using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Tests.Allocations;

/// <summary>The default ruleset (rules/allocation/2026.1.yaml) deciding cases, in the words of the allocation policy.</summary>
public class AllocationRulesTests
{
    private static readonly Area GreaterManchester = new("GMAN", "Greater Manchester", "NPS-NW", "CRC-CGM");
    private static readonly Ruleset Default = ShippedRulesets.Load("2026.1");
    private static readonly Ruleset Proposed = ShippedRulesets.Load("2026.2");

    /// <summary>A community order, Low RoSH, RSR and OGRS low, no MAPPA, no flags: a provider's case by every rule.</summary>
    private static AllocationFacts LowRisk => new(
        "GMAN", SentenceType.CommunityOrder, true, RoshLevel.Low, 1.2m, 20m, MappaCategory.None, MappaLevel.None, RiskFlags.None, [RequirementType.UnpaidWork]);

    private static AllocationFacts NoAssessment => LowRisk with
    {
        HasRiskAssessment = false, Rosh = null, RsrPercent = null, OgrsPercent = null, MappaCategory = null, MappaLevel = null,
    };

    [Fact]
    public void A_low_risk_case_goes_to_the_provider_that_covers_its_area()
    {
        var decision = Default.Decide(LowRisk, GreaterManchester);

        Assert.Equal(AllocationOutcome.AllocateToProvider, decision.Outcome);
        Assert.Equal("CRC-CGM", decision.ReceivingOrganisationCode);
        Assert.False(decision.Provisional);
        Assert.Equal([Ruleset.OtherwiseRuleId], decision.FiredRules);
        Assert.Equal("2026.1", decision.RulesetVersion);
        Assert.Equal(Default.Hash, decision.RulesetHash);
    }

    public static TheoryData<string, AllocationFacts> EachRuleAlone => new()
    {
        { "rosh-high-or-very-high", LowRisk with { Rosh = RoshLevel.High } },
        { "rosh-high-or-very-high", LowRisk with { Rosh = RoshLevel.VeryHigh } },
        { "mappa-eligible", LowRisk with { MappaCategory = MappaCategory.Category2, MappaLevel = MappaLevel.Level1 } },
        { "mappa-eligible", LowRisk with { MappaCategory = MappaCategory.Category4, MappaLevel = MappaLevel.Level1 } },
        { "rsr-at-or-above-threshold", LowRisk with { RsrPercent = 7.5m } },
        { "life-ipp-or-extended-sentence", LowRisk with { SentenceType = SentenceType.Life } },
        { "life-ipp-or-extended-sentence", LowRisk with { SentenceType = SentenceType.Ipp } },
        { "life-ipp-or-extended-sentence", LowRisk with { SentenceType = SentenceType.ExtendedDeterminate } },
        { "public-interest", LowRisk with { Flags = RiskFlags.PublicInterest | RiskFlags.DomesticAbuse } },
    };

    [Theory]
    [MemberData(nameof(EachRuleAlone))]
    public void Each_default_rule_alone_keeps_the_case_with_the_NPS_region(string rule, AllocationFacts facts)
    {
        var decision = Default.Decide(facts, GreaterManchester);

        Assert.Equal(AllocationOutcome.KeepWithNps, decision.Outcome);
        Assert.Equal("NPS-NW", decision.ReceivingOrganisationCode);
        Assert.False(decision.Provisional);
        Assert.Equal([rule], decision.FiredRules);
    }

    [Fact]
    public void Every_rule_is_reported_with_the_facts_it_read_whether_or_not_it_fired()
    {
        var decision = Default.Decide(LowRisk with { Rosh = RoshLevel.High }, GreaterManchester);

        Assert.Equal(
            ["rosh-high-or-very-high", "mappa-eligible", "rsr-at-or-above-threshold", "life-ipp-or-extended-sentence", "public-interest", Ruleset.OtherwiseRuleId],
            decision.Rules.Select(r => r.RuleId));
        var rsr = decision.Rules.Single(r => r.RuleId == "rsr-at-or-above-threshold");
        Assert.False(rsr.Fired);
        Assert.Equal([new FactRead("rsrPercent", "1.2"), new FactRead("rsrThreshold", "6.9")], rsr.Facts);
        Assert.Equal([new FactRead("rosh", "High")], decision.Rules[0].Facts);
        Assert.Equal([new FactRead("flags", "none")], decision.Rules.Single(r => r.RuleId == "public-interest").Facts);
        Assert.False(decision.Rules.Single(r => r.RuleId == Ruleset.OtherwiseRuleId).Fired);
    }

    [Fact]
    public void RSR_of_exactly_the_threshold_keeps_the_case_and_a_hundredth_below_does_not()
    {
        Assert.Equal(AllocationOutcome.KeepWithNps, Default.Decide(LowRisk with { RsrPercent = 6.9m }, GreaterManchester).Outcome);
        Assert.Equal(AllocationOutcome.KeepWithNps, Default.Decide(LowRisk with { RsrPercent = 6.90m }, GreaterManchester).Outcome);
        Assert.Equal(AllocationOutcome.AllocateToProvider, Default.Decide(LowRisk with { RsrPercent = 6.89m }, GreaterManchester).Outcome);
        Assert.Equal(AllocationOutcome.AllocateToProvider, Default.Decide(LowRisk with { RsrPercent = 6.8999m }, GreaterManchester).Outcome);
    }

    [Fact]
    public void A_case_with_no_risk_assessment_is_provisional_and_names_every_missing_fact()
    {
        var decision = Default.Decide(NoAssessment, GreaterManchester);

        Assert.True(decision.Provisional);
        Assert.Equal(AllocationOutcome.AllocateToProvider, decision.Outcome);
        Assert.Equal(["rosh", "mappaCategory", "rsrPercent", "flags"], decision.MissingFacts);
        Assert.Equal(["rosh"], decision.Rules[0].MissingFacts);
        Assert.Equal([new FactRead("rosh", null)], decision.Rules[0].Facts);
    }

    [Fact]
    public void A_missing_RSR_with_Low_RoSH_is_provisional_naming_rsrPercent()
    {
        var decision = Default.Decide(LowRisk with { RsrPercent = null }, GreaterManchester);

        Assert.True(decision.Provisional);
        Assert.Equal(["rsrPercent"], decision.MissingFacts);
        Assert.Equal(["rsrPercent"], decision.Rules.Single(r => r.RuleId == "rsr-at-or-above-threshold").MissingFacts);
    }

    [Fact]
    public void High_RoSH_with_a_missing_RSR_is_a_definite_NPS_case()
    {
        var decision = Default.Decide(LowRisk with { Rosh = RoshLevel.High, RsrPercent = null }, GreaterManchester);

        Assert.Equal(AllocationOutcome.KeepWithNps, decision.Outcome);
        Assert.False(decision.Provisional);
        Assert.Empty(decision.MissingFacts);
        Assert.Equal(["rsrPercent"], decision.Rules.Single(r => r.RuleId == "rsr-at-or-above-threshold").MissingFacts);
    }

    [Fact]
    public void The_same_facts_always_give_the_same_decision()
    {
        var facts = LowRisk with { RsrPercent = 6.9m, Flags = RiskFlags.PublicInterest };

        var first = Default.Decide(facts, GreaterManchester);
        var again = Ruleset.Parse(Default.Content).Decide(facts with { Requirements = [.. facts.Requirements] }, GreaterManchester);

        Assert.Equal(first.FiredRules, again.FiredRules);
        Assert.Equal(first.Rules.SelectMany(r => r.Facts), again.Rules.SelectMany(r => r.Facts));
        Assert.Equal((first.Outcome, first.ReceivingOrganisationCode, first.RulesetHash), (again.Outcome, again.ReceivingOrganisationCode, again.RulesetHash));
    }

    [Fact]
    public void The_proposed_ruleset_keeps_RSR_6_5_with_the_NPS_and_lets_public_interest_alone_go_to_the_provider()
    {
        var rsr = LowRisk with { RsrPercent = 6.5m };
        var publicInterest = LowRisk with { Flags = RiskFlags.PublicInterest };

        Assert.Equal(AllocationOutcome.AllocateToProvider, Default.Decide(rsr, GreaterManchester).Outcome);
        Assert.Equal(AllocationOutcome.KeepWithNps, Proposed.Decide(rsr, GreaterManchester).Outcome);
        Assert.Equal(AllocationOutcome.KeepWithNps, Default.Decide(publicInterest, GreaterManchester).Outcome);
        Assert.Equal(AllocationOutcome.AllocateToProvider, Proposed.Decide(publicInterest, GreaterManchester).Outcome);
    }

    [Fact]
    public void Facts_come_from_the_case_and_its_newest_assessment()
    {
        var at = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        var @case = Case.Open(
            Guid.CreateVersion7(), Crn.Parse("X123456"), "John", null, "Smith", new DateOnly(1985, 3, 14), null, null, GreaterManchester,
            new Sentence(SentenceType.CommunityOrder, new(2026, 1, 10), new(2026, 1, 10), new(2027, 1, 10), null, null),
            [(RequirementType.UnpaidWork, null, null), (RequirementType.DrugRehabilitation, null, null), (RequirementType.UnpaidWork, null, null)],
            at);
        @case.RecordRiskAssessment(new RiskFacts(new(2026, 2, 1), RoshLevel.High, 7m, 50m, MappaCategory.None, MappaLevel.None, null, RiskFlags.None), "a", "NPS-NW", at);
        @case.RecordRiskAssessment(new RiskFacts(new(2026, 1, 1), RoshLevel.Low, 1m, 10m, MappaCategory.None, MappaLevel.None, null, RiskFlags.None), "b", "NPS-NW", at.AddHours(1));

        var current = AllocationFacts.CurrentAssessment(@case.RiskAssessments);
        var facts = AllocationFacts.From(@case, current);

        Assert.Equal(RoshLevel.High, facts.Rosh);
        Assert.Equal(7m, facts.RsrPercent);
        Assert.True(facts.HasRiskAssessment);
        Assert.Equal([RequirementType.UnpaidWork, RequirementType.DrugRehabilitation], facts.Requirements);
        Assert.False(AllocationFacts.From(@case, null).HasRiskAssessment);
    }

    [Fact]
    public void A_decision_for_another_area_is_refused()
    {
        var london = new Area("LDNN", "London North", "NPS-LDN", "CRC-LDN");

        Assert.Throws<ArgumentException>(() => Default.Decide(LowRisk, london));
    }
}

/// <summary>Comparing a stored decision with its facts re-run, as the consistency audit does.</summary>
public class DecisionComparisonTests
{
    private static readonly Area GreaterManchester = new("GMAN", "Greater Manchester", "NPS-NW", "CRC-CGM");

    private static AllocationFacts LowRisk => new(
        "GMAN", SentenceType.CommunityOrder, true, RoshLevel.Low, 1.2m, 20m, MappaCategory.None, MappaLevel.None, RiskFlags.None, []);

    [Fact]
    public void A_public_interest_case_kept_under_2026_1_goes_to_the_provider_under_2026_2_and_says_why()
    {
        var facts = LowRisk with { Flags = RiskFlags.PublicInterest };
        var stored = ShippedRulesets.Load("2026.1").Decide(facts, GreaterManchester);

        var why = stored.Differences(ShippedRulesets.Load("2026.2").Decide(facts, GreaterManchester));

        Assert.Equal(
            [
                "stored under 2026.1: KeepWithNps to NPS-NW by public-interest; re-run under 2026.2: AllocateToProvider to CRC-CGM by otherwise",
                "rule public-interest is not in ruleset 2026.2",
            ],
            why);
    }

    [Fact]
    public void An_RSR_of_6_6_names_the_rule_that_now_fires_with_the_threshold_it_read()
    {
        var facts = LowRisk with { RsrPercent = 6.6m };
        var stored = ShippedRulesets.Load("2026.1").Decide(facts, GreaterManchester);

        var why = stored.Differences(ShippedRulesets.Load("2026.2").Decide(facts, GreaterManchester));

        Assert.Contains("rule rsr-at-or-above-threshold fires under 2026.2: rsrPercent 6.6, rsrThreshold 6.5", why);
    }

    [Fact]
    public void The_same_decision_re_run_has_no_differences()
    {
        var ruleset = ShippedRulesets.Load("2026.1");

        Assert.Empty(ruleset.Decide(LowRisk, GreaterManchester).Differences(ruleset.Decide(LowRisk, GreaterManchester)));
    }
}
