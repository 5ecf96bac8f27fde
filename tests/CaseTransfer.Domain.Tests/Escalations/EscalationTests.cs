using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Escalations;
using static CaseTransfer.Domain.Tests.Escalations.EscalationWorld;

namespace CaseTransfer.Domain.Tests.Escalations;

/// <summary>Requested -> Acknowledged -> Accepted | Declined; Withdrawn by the provider before a decision. Every other move is refused by name.</summary>
public class EscalationTests
{
    private static readonly DateTimeOffset At = new(2027, 1, 12, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Handover = TimeSpan.FromDays(14);

    private static void AssertRefusedBy(string rule, Action action) =>
        Assert.Equal(rule, Assert.Throws<DomainRuleViolation>(action).Rule);

    private static (Case Case, Escalation Escalation) Requested(EscalationUrgency urgency = EscalationUrgency.Standard)
    {
        var (@case, assessment) = ProviderHeldCase(At);
        return (@case, Request(@case, assessment, At, urgency));
    }

    private static (Case Case, Escalation Escalation) Acknowledged()
    {
        var (@case, escalation) = Requested();
        escalation.Acknowledge("nw-spo-01", At.AddHours(1));
        return (@case, escalation);
    }

    private static CaseAccessGrant Accept(Case @case, Escalation escalation, DateTimeOffset? at = null) =>
        escalation.Accept(@case, "nw-spo-01", at ?? At.AddDays(1), EscalationAcceptanceReason.RulesKeepWithNps, null, PriyaPatel, null, Handover);

    private static string Event(Escalation escalation) => escalation.DomainEvents[^1].EventType;

    [Fact]
    public void A_request_is_open_for_the_NPS_region_covering_the_case_and_says_so_to_partner_systems()
    {
        var (@case, escalation) = Requested();

        Assert.Equal(EscalationState.Requested, escalation.State);
        Assert.True(escalation.IsOpen);
        Assert.Equal(@case.Id, escalation.OpenCaseId);
        Assert.Equal("CRC-CGM", escalation.ProviderCode);
        Assert.Equal("NPS-NW", escalation.NpsRegionCode);
        Assert.Equal(["oasys:2027-0001"], escalation.DocumentReferences);
        var requested = Assert.IsType<EscalationEvent>(Assert.Single(escalation.DomainEvents));
        Assert.Equal("case-transfer.escalation.requested", requested.EventType);
        Assert.Equal(escalation.DecideBy, requested.DecideBy);
    }

    [Fact]
    public void Only_a_provider_escalates_a_case()
    {
        var (@case, assessment) = ProviderHeldCase(At);

        AssertRefusedBy("case-not-held-by-provider", () => Request(@case, assessment, At, holder: NpsNorthWest));
    }

    [Fact]
    public void A_reason_of_Other_needs_a_text()
    {
        var (@case, assessment) = ProviderHeldCase(At);

        AssertRefusedBy("reason-text-required", () => Request(@case, assessment, At, reason: EscalationReason.Other));
        Assert.Equal("Threats made at a home visit", Request(@case, assessment, At, reason: EscalationReason.Other, reasonText: " Threats made at a home visit ").ReasonText);
    }

    [Fact]
    public void Acknowledging_puts_it_in_the_NPS_regions_hands()
    {
        var (_, escalation) = Requested();

        escalation.Acknowledge("nw-spo-01", At.AddMinutes(20));

        Assert.Equal(EscalationState.Acknowledged, escalation.State);
        Assert.Equal(At.AddMinutes(20), escalation.AcknowledgedAt);
        Assert.Equal(2, escalation.Version);
        Assert.Equal("case-transfer.escalation.acknowledged", Event(escalation));
    }

    [Fact]
    public void Acknowledging_twice_is_a_conflict()
    {
        var (_, escalation) = Acknowledged();

        AssertRefusedBy("escalation-already-acknowledged", () => escalation.Acknowledge("nw-spo-02", At.AddHours(2)));
    }

    [Fact]
    public void Accepting_before_acknowledging_is_a_conflict_and_leaves_the_case_with_the_provider()
    {
        var (@case, escalation) = Requested();

        AssertRefusedBy("escalation-not-acknowledged", () => Accept(@case, escalation));
        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
        Assert.Equal(EscalationState.Requested, escalation.State);
    }

    [Fact]
    public void Declining_before_acknowledging_is_a_conflict()
    {
        var (_, escalation) = Requested();

        AssertRefusedBy("escalation-not-acknowledged", () => escalation.Decline("nw-spo-01", At.AddDays(1), EscalationDeclineReason.ThresholdNotMet, null));
    }

    [Fact]
    public void Accepting_moves_the_case_to_the_NPS_region_at_that_instant_and_gives_the_provider_read_only_sight_for_the_handover()
    {
        var (@case, escalation) = Acknowledged();
        var at = At.AddDays(1);

        var grant = Accept(@case, escalation, at);

        Assert.Equal(EscalationState.Accepted, escalation.State);
        Assert.Null(escalation.OpenCaseId);
        Assert.Equal(PriyaPatel.Id, escalation.ResponsibleOfficerId);
        Assert.Equal(at + Handover, escalation.HandoverUntil);
        Assert.Equal("NPS-NW", @case.HolderOrganisationCode);
        Assert.Equal(PriyaPatel.Id, @case.ResponsibleOfficerId);
        Assert.Equal(at, @case.HeldSince);

        // One holder at every instant: the provider's holding ends exactly where the region's begins.
        var open = Assert.Single(@case.Holdings, h => h.IsOpen);
        Assert.Equal(at, open.From);
        Assert.Equal(at, Assert.Single(@case.Holdings, h => h.OrganisationCode == "CRC-CGM" && h.To == at).To);

        Assert.Equal("CRC-CGM", grant.OrganisationCode);
        Assert.Equal(CaseAccessScope.ReadSummaryAndHistory, grant.Scope);
        Assert.Equal((at, at + Handover), (grant.From, grant.Until));
        Assert.True(grant.IsInForceAt(at + Handover - TimeSpan.FromTicks(1)));
        Assert.False(grant.IsInForceAt(at + Handover));
        Assert.Equal("case-transfer.escalation.accepted", Event(escalation));
        Assert.Contains(@case.DomainEvents, e => e.EventType == "case-transfer.case.holder-changed");
    }

    [Fact]
    public void Accepting_on_professional_judgement_needs_a_text_saying_why()
    {
        var (@case, escalation) = Acknowledged();

        AssertRefusedBy("reason-text-required", () => escalation.Accept(
            @case, "nw-spo-01", At.AddDays(1), EscalationAcceptanceReason.ProfessionalJudgement, " ", PriyaPatel, null, Handover));
        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
    }

    [Fact]
    public void A_case_that_has_left_the_provider_cannot_be_accepted()
    {
        var (@case, escalation) = Acknowledged();
        @case.TransferTo("CRC-MLC", At.AddHours(3), "Bulk transfer");

        AssertRefusedBy("case-moved", () => Accept(@case, escalation));
        Assert.Equal(EscalationState.Acknowledged, escalation.State);
        Assert.Equal("CRC-MLC", @case.HolderOrganisationCode);
    }

    [Fact]
    public void An_officer_outside_the_NPS_region_cannot_be_named()
    {
        var (@case, escalation) = Acknowledged();

        AssertRefusedBy("responsible-officer-outside-holder", () => escalation.Accept(
            @case, "nw-spo-01", At.AddDays(1), EscalationAcceptanceReason.RulesKeepWithNps, null, TomRiley, null, Handover));
        Assert.Equal(EscalationState.Acknowledged, escalation.State);
        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
    }

    [Fact]
    public void Declining_leaves_the_case_with_the_provider_and_a_reason_of_Other_needs_a_text()
    {
        var (@case, escalation) = Acknowledged();

        AssertRefusedBy("reason-text-required", () => escalation.Decline("nw-spo-01", At.AddDays(1), EscalationDeclineReason.Other, null));
        escalation.Decline("nw-spo-01", At.AddDays(1), EscalationDeclineReason.ManageableByProvider, "Weekly reporting and a curfew address");

        Assert.Equal(EscalationState.Declined, escalation.State);
        Assert.Equal(EscalationDeclineReason.ManageableByProvider, escalation.DeclineReason);
        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
        Assert.Null(escalation.OpenCaseId);
        Assert.Equal("case-transfer.escalation.declined", Event(escalation));
    }

    [Fact]
    public void The_provider_may_withdraw_before_a_decision_even_once_acknowledged()
    {
        var (_, requested) = Requested();
        var (_, acknowledged) = Acknowledged();

        requested.Withdraw("cgm-po-02", At.AddHours(2), "Arrested and remanded");
        acknowledged.Withdraw("cgm-po-02", At.AddHours(2), null);

        Assert.Equal(EscalationState.Withdrawn, requested.State);
        Assert.Equal("Arrested and remanded", requested.DecisionText);
        Assert.Equal(EscalationState.Withdrawn, acknowledged.State);
        Assert.Equal("case-transfer.escalation.withdrawn", Event(acknowledged));
    }

    [Fact]
    public void Accepting_a_withdrawn_escalation_is_a_conflict()
    {
        var (@case, escalation) = Acknowledged();
        escalation.Withdraw("cgm-po-02", At.AddHours(2), null);

        AssertRefusedBy("escalation-withdrawn", () => Accept(@case, escalation));
        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
    }

    [Fact]
    public void Acknowledging_a_withdrawn_escalation_is_a_conflict()
    {
        var (_, escalation) = Requested();
        escalation.Withdraw("cgm-po-02", At.AddHours(2), null);

        AssertRefusedBy("escalation-withdrawn", () => escalation.Acknowledge("nw-spo-01", At.AddHours(3)));
    }

    /// <summary>One escalation accepted and another declined, with the declined one's case.</summary>
    private static (Escalation Accepted, Escalation Declined, Case DeclinedCase) Decided()
    {
        var (acceptedCase, accepted) = Acknowledged();
        Accept(acceptedCase, accepted);
        var (declinedCase, declined) = Acknowledged();
        declined.Decline("nw-spo-01", At.AddDays(1), EscalationDeclineReason.ThresholdNotMet, null);
        return (accepted, declined, declinedCase);
    }

    [Fact]
    public void Withdrawing_a_decided_escalation_is_a_conflict()
    {
        var (accepted, declined, _) = Decided();

        AssertRefusedBy("escalation-accepted", () => accepted.Withdraw("cgm-po-02", At.AddDays(2), null));
        AssertRefusedBy("escalation-declined", () => declined.Withdraw("cgm-po-02", At.AddDays(2), null));
    }

    [Fact]
    public void A_decided_escalation_cannot_be_decided_or_acknowledged_again()
    {
        var (accepted, declined, declinedCase) = Decided();

        AssertRefusedBy("escalation-accepted", () => accepted.Decline("nw-spo-01", At.AddDays(2), EscalationDeclineReason.ThresholdNotMet, null));
        AssertRefusedBy("escalation-declined", () => Accept(declinedCase, declined, At.AddDays(2)));
        AssertRefusedBy("escalation-accepted", () => accepted.Acknowledge("nw-spo-01", At.AddDays(2)));
    }
}
