using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Tests.Allocations;

/// <summary>Tiering under the default ruleset, with its working shown.</summary>
public class TieringTests
{
    private static readonly Ruleset Default = ShippedRulesets.Load("2026.1");

    /// <summary>Medium RoSH, RSR 7.5, MAPPA level 1, two complexity flags, OGRS 41, drug rehabilitation and a programme.</summary>
    private static AllocationFacts Assessed => new(
        "GMAN", SentenceType.DeterminateCustody, true, RoshLevel.Medium, 7.5m, 41m, MappaCategory.Category2, MappaLevel.Level1,
        RiskFlags.DomesticAbuse | RiskFlags.SafeguardingChildren,
        [RequirementType.Supervision, RequirementType.AccreditedProgramme, RequirementType.DrugRehabilitation]);

    [Fact]
    public void The_tier_shows_its_working_and_the_breakdown_sums_to_the_totals()
    {
        var tier = Default.Tier(Assessed);

        Assert.Equal("B2", tier.Tier);
        Assert.Equal('B', tier.ProtectLevel);
        Assert.Equal(2, tier.ChangeLevel);
        Assert.Equal(20 + 5 + 2 + 2, tier.ProtectPoints);
        Assert.Equal(4 + 4 + 2, tier.ChangePoints);
        Assert.Equal(tier.ProtectPoints, tier.Breakdown.Where(p => p.Component.StartsWith("protect.", StringComparison.Ordinal)).Sum(p => p.Points));
        Assert.Equal(tier.ChangePoints, tier.Breakdown.Where(p => p.Component.StartsWith("change.", StringComparison.Ordinal)).Sum(p => p.Points));
        Assert.Contains(new TierPoints("protect.rsr", "rsrPercent", "7.5", 20, "at least rsrThreshold (6.9)"), tier.Breakdown);
        Assert.Contains(new TierPoints("protect.complexity", "flags", "SafeguardingChildren", 2), tier.Breakdown);
        Assert.Contains(new TierPoints("change.needs", "requirements", "DrugRehabilitation", 4), tier.Breakdown);
        Assert.Empty(tier.MissingFacts);
        Assert.Equal(("2026.1", Default.Hash), (tier.RulesetVersion, tier.RulesetHash));
    }

    [Fact]
    public void Only_the_higher_of_RoSH_and_RSR_counts_and_the_other_says_so()
    {
        var tier = Default.Tier(Assessed);

        var rosh = tier.Breakdown.Single(p => p.Component == "protect.rosh");
        Assert.Equal(0, rosh.Points);
        Assert.Equal("only the higher of rosh and rsr counts; rosh would give 10", rosh.Note);
    }

    [Fact]
    public void MAPPA_level_2_puts_any_case_in_protect_level_A()
    {
        var tier = Default.Tier(Assessed with { Rosh = RoshLevel.Low, RsrPercent = 0.5m, MappaLevel = MappaLevel.Level2, Flags = RiskFlags.None });

        Assert.Equal('A', tier.ProtectLevel);
        Assert.Equal(30, tier.ProtectPoints);
    }

    [Fact]
    public void A_community_order_of_unpaid_work_alone_has_no_mandate_for_change()
    {
        var tier = Default.Tier(Assessed with { SentenceType = SentenceType.CommunityOrder, Requirements = [RequirementType.UnpaidWork], OgrsPercent = 95m });

        Assert.Equal(0, tier.ChangeLevel);
        Assert.Equal("B0", tier.Tier);
        Assert.Contains(tier.Breakdown, p => p.Component == "change.noMandateForChange");
    }

    [Fact]
    public void With_no_risk_assessment_there_is_no_tier_only_the_missing_facts()
    {
        var tier = Default.Tier(Assessed with
        {
            HasRiskAssessment = false, Rosh = null, RsrPercent = null, OgrsPercent = null, MappaCategory = null, MappaLevel = null, Flags = RiskFlags.None,
        });

        Assert.Null(tier.Tier);
        Assert.Null(tier.ProtectLevel);
        Assert.Null(tier.ChangeLevel);
        Assert.True(tier.Provisional);
        Assert.Equal(["rosh", "rsrPercent", "mappaLevel", "flags", "ogrsPercent"], tier.MissingFacts);
    }

    [Fact]
    public void A_missing_OGRS_still_tiers_but_names_the_missing_fact()
    {
        var tier = Default.Tier(Assessed with { OgrsPercent = null });

        Assert.Equal("B1", tier.Tier);
        Assert.Equal(["ogrsPercent"], tier.MissingFacts);
        Assert.Contains(new TierPoints("change.ogrs", "ogrsPercent", null, 0, "missing: no points until it is known"), tier.Breakdown);
    }

    [Fact]
    public void Recording_a_risk_assessment_recomputes_the_tier_as_the_same_change()
    {
        var at = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        var @case = Case.Open(
            Guid.CreateVersion7(), Crn.Parse("X123456"), "John", null, "Smith", new DateOnly(1985, 3, 14), null, null,
            new Area("GMAN", "Greater Manchester", "NPS-NW", "CRC-CGM"),
            new Sentence(SentenceType.DeterminateCustody, new(2025, 1, 10), new(2025, 1, 10), new(2030, 1, 10), new(2029, 6, 1), new(2030, 1, 10)),
            [(RequirementType.DrugRehabilitation, null, null)],
            at);
        var high = new RiskFacts(new(2026, 2, 1), RoshLevel.High, 3.2m, 41m, MappaCategory.None, MappaLevel.None, null, RiskFlags.None);
        var olderLow = high with { AssessedOn = new(2026, 1, 1), Rosh = RoshLevel.Low, RsrPercent = 0.5m };

        var (first, tier, _, _) = @case.RecordRiskAssessment(high, "a", "NPS-NW", at, null, Default);
        var (_, unchanged, current, _) = @case.RecordRiskAssessment(olderLow, "b", "NPS-NW", at.AddHours(1), first, Default);

        Assert.Equal("B1", tier.Tier);
        Assert.Equal("B1", unchanged.Tier);
        Assert.Equal("B1", @case.Tier);
        Assert.Same(first, current);
        Assert.Equal(3, @case.Version);
    }
}
