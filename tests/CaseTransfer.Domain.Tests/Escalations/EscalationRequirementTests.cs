using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Tests.Allocations;
using static CaseTransfer.Domain.Tests.Escalations.EscalationWorld;

namespace CaseTransfer.Domain.Tests.Escalations;

/// <summary>The rules that allocate also escalate: a provider's case the rules now keep with the NPS must be escalated.</summary>
public class EscalationRequirementTests
{
    private static readonly DateTimeOffset At = new(2027, 1, 12, 10, 0, 0, TimeSpan.Zero);
    private static readonly Ruleset Rules = ShippedRulesets.Load("2026.1");

    private static EscalationRequirement? After(Case @case, RiskAssessment current, Organisation holder) =>
        EscalationRequirement.Of(@case, holder, Manchester, current, Rules.Decide(AllocationFacts.From(@case, current), Manchester));

    [Fact]
    public void A_provider_held_case_whose_risk_rises_to_high_requires_escalation_to_the_NPS_region_covering_it()
    {
        var (@case, assessment) = ProviderHeldCase(At, RoshLevel.High);

        var requirement = After(@case, assessment, Provider);

        Assert.NotNull(requirement);
        Assert.Equal(("CRC-CGM", "NPS-NW", assessment.Id), (requirement.Provider, requirement.NpsRegion, requirement.RiskAssessmentId));
        Assert.Equal("rosh-high-or-very-high", Assert.Single(requirement.FiredRules).RuleId);
        Assert.Equal("2026.1", requirement.RulesetVersion);

        @case.RequireEscalation(requirement with { OpenEscalationId = null }, At);
        var raised = Assert.IsType<CaseEscalationRequired>(Assert.Single(@case.DomainEvents));
        Assert.Equal("case-transfer.case.escalation-required", raised.EventType);
        Assert.Equal(["rosh-high-or-very-high"], raised.FiredRules);
        Assert.Equal(At, raised.OccurredAt);
    }

    [Fact]
    public void A_provider_held_case_the_rules_leave_with_the_provider_requires_nothing()
    {
        var (@case, assessment) = ProviderHeldCase(At, RoshLevel.Medium);

        Assert.Null(After(@case, assessment, Provider));
    }

    [Fact]
    public void A_case_the_NPS_holds_requires_no_escalation()
    {
        var (@case, assessment) = ProviderHeldCase(At, RoshLevel.High);
        @case.TransferTo("NPS-NW", At.AddMinutes(1), "Escalation accepted", PriyaPatel);

        Assert.Null(After(@case, assessment, NpsNorthWest));
    }
}
