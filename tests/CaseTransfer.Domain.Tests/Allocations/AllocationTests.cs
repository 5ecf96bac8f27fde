using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Tests.Allocations;

public class AllocationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = At.AddDays(7);
    private static readonly Guid CaseId = Guid.CreateVersion7();

    private static RulesDecision Rules(AllocationOutcome outcome = AllocationOutcome.AllocateToProvider, string to = "CRC-CGM", bool provisional = false) =>
        new(outcome, outcome == AllocationOutcome.KeepWithNps ? "NPS-NW" : to, provisional, provisional ? ["rsrPercent"] : [], "2026.1", new string('a', 64), "{}", "{}");

    private static Allocation Propose(RulesDecision? rules = null, string to = "CRC-CGM", string? justification = null, string proposer = "nw-alloc-01") =>
        Allocation.Propose(
            Guid.CreateVersion7(), CaseId, Crn.Parse("X123456"), "GMAN", "NPS-NW", to, AllocationReason.NewSentence, null,
            rules ?? Rules(), justification, proposer, At, Due);

    private static void AssertRefusedBy(string rule, Action action) =>
        Assert.Equal(rule, Assert.Throws<DomainRuleViolation>(action).Rule);

    [Fact]
    public void A_proposal_that_follows_the_rules_is_sent_to_the_provider_with_its_deadline()
    {
        var allocation = Propose();

        Assert.Equal(AllocationState.Proposed, allocation.State);
        Assert.False(allocation.IsOverride);
        Assert.Equal(At, allocation.SentAt);
        Assert.Equal(Due, allocation.DueBy);
        Assert.Equal(CaseId, allocation.OpenCaseId);
        Assert.Equal("case-transfer.allocation.proposed", Assert.Single(allocation.DomainEvents).EventType);
    }

    [Fact]
    public void Proposing_a_case_the_rules_keep_with_the_NPS_is_an_override_that_needs_a_justification()
    {
        AssertRefusedBy("override-needs-justification", () => Propose(Rules(AllocationOutcome.KeepWithNps)));

        var allocation = Propose(Rules(AllocationOutcome.KeepWithNps), justification: "Risk reassessed in court; OASys pending");
        Assert.True(allocation.IsOverride);
        Assert.Equal(AllocationState.AwaitingApproval, allocation.State);
        Assert.Null(allocation.SentAt);
        Assert.Equal("case-transfer.allocation.override-requested", Assert.Single(allocation.DomainEvents).EventType);
    }

    [Fact]
    public void Proposing_to_another_provider_than_the_rules_name_is_an_override()
    {
        Assert.True(Propose(to: "CRC-MLC", justification: "Moving to Merseyside next week").IsOverride);
    }

    [Fact]
    public void Proposing_on_a_provisional_outcome_is_an_override()
    {
        AssertRefusedBy("override-needs-justification", () => Propose(Rules(provisional: true)));
        Assert.True(Propose(Rules(provisional: true), justification: "RSR to follow; low risk on every other fact").IsOverride);
    }

    [Fact]
    public void An_override_is_sent_only_when_a_second_person_approves_it()
    {
        var allocation = Propose(Rules(AllocationOutcome.KeepWithNps), justification: "why");

        AssertRefusedBy("approver-is-proposer", () => allocation.Approve("nw-alloc-01", At.AddHours(1), Due));
        AssertRefusedBy("allocation-not-proposed", () => allocation.Accept("cgm-po-01", At.AddHours(1), Guid.NewGuid(), null));

        allocation.Approve("nw-spo-01", At.AddHours(1), Due.AddHours(1));
        Assert.Equal(AllocationState.Proposed, allocation.State);
        Assert.Equal("nw-spo-01", allocation.ApprovedBy);
        Assert.Equal(At.AddHours(1), allocation.SentAt);
        Assert.Equal(2, allocation.Version);
    }

    [Fact]
    public void A_refused_override_is_closed_and_frees_the_case()
    {
        var allocation = Propose(Rules(AllocationOutcome.KeepWithNps), justification: "why");
        allocation.Refuse("nw-spo-01", At.AddHours(1), "Keep with the NPS");

        Assert.Equal(AllocationState.Refused, allocation.State);
        Assert.Null(allocation.OpenCaseId);
        AssertRefusedBy("allocation-refused", () => allocation.Approve("nw-spo-02", At.AddHours(2), Due));
    }

    [Fact]
    public void Accepting_names_the_officer_and_closes_the_allocation()
    {
        var allocation = Propose();
        var officer = Guid.NewGuid();
        allocation.Accept("cgm-po-01", At.AddDays(1), officer, null);

        Assert.Equal(AllocationState.Accepted, allocation.State);
        Assert.Equal(officer, allocation.ResponsibleOfficerId);
        Assert.Null(allocation.OpenCaseId);
        Assert.Equal(2, allocation.Version);
        AssertRefusedBy("allocation-accepted", () => allocation.Reject("cgm-po-01", At.AddDays(1), AllocationRejectionReason.Other, "x"));
        AssertRefusedBy("allocation-accepted", () => allocation.Withdraw("nw-alloc-01", At.AddDays(1), null));
    }

    [Fact]
    public void Rejecting_for_another_reason_needs_a_text()
    {
        var allocation = Propose();
        AssertRefusedBy("reason-text-required", () => allocation.Reject("cgm-po-01", At, AllocationRejectionReason.Other, " "));

        allocation.Reject("cgm-po-01", At.AddDays(1), AllocationRejectionReason.InsufficientInformation, null);
        Assert.Equal(AllocationState.Rejected, allocation.State);
        Assert.Equal(AllocationRejectionReason.InsufficientInformation, allocation.RejectionReason);
    }

    [Fact]
    public void Accepting_a_withdrawn_allocation_is_a_conflict()
    {
        var allocation = Propose();
        allocation.Withdraw("nw-alloc-01", At.AddHours(2), "Sentence varied on appeal");

        AssertRefusedBy("allocation-withdrawn", () => allocation.Accept("cgm-po-01", At.AddHours(3), Guid.NewGuid(), null));
    }

    [Fact]
    public void An_allocation_is_overdue_only_while_proposed_and_past_its_deadline()
    {
        var allocation = Propose();
        Assert.False(allocation.IsOverdue(Due));
        Assert.True(allocation.IsOverdue(Due.AddTicks(1)));

        allocation.Reject("cgm-po-01", Due.AddDays(1), AllocationRejectionReason.ConflictOfInterest, null);
        Assert.False(allocation.IsOverdue(Due.AddDays(2)));
    }
}
