using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Disputes;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Organisations;
using static CaseTransfer.Domain.Tests.Escalations.EscalationWorld;

namespace CaseTransfer.Domain.Tests.Disputes;

/// <summary>The dispute's state machine: Local -> Senior (on request or by lapse) -> Resolved, with every illegal move named.</summary>
public class DisputeTests
{
    private static readonly DateTimeOffset Thursday = new(2027, 4, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly DisputeActor ProviderManager = new("cgm-tm-01", "Jo Whitfield", "CRC-CGM");
    private static readonly DisputeActor NpsManager = new("nw-tm-01", "Sam Hughes", "NPS-NW");

    private static (Case Case, Escalation Escalation) Declined(DateTimeOffset at)
    {
        var (@case, assessment) = ProviderHeldCase(at.AddHours(-2));
        var escalation = Request(@case, assessment, at.AddHours(-2));
        escalation.Acknowledge("nw-spo-01", at.AddHours(-1));
        escalation.Decline("nw-spo-01", at.AddMinutes(-30), EscalationDeclineReason.ManageableByProvider, null);
        return (@case, escalation);
    }

    private static (Case Case, Dispute Dispute) Raised(DateTimeOffset at)
    {
        var (@case, escalation) = Declined(at);
        var dispute = Dispute.Raise(
            Guid.CreateVersion7(at), DisputeSubject.Escalation(escalation, DisputeSubjectKind.EscalationDecline), "CRC-CGM", false, ProviderManager,
            "The risk cannot be managed at the reporting centre", at, DisputeDeadlines.Default);
        return (@case, dispute);
    }

    private static void AssertRule(string rule, Action action) => Assert.Equal(rule, Assert.Throws<DomainRuleViolation>(action).Rule);

    [Fact]
    public void A_raised_dispute_is_at_the_Local_stage_with_its_grounds_as_the_first_statement_due_in_five_working_days()
    {
        var (_, dispute) = Raised(Thursday);

        Assert.Equal((DisputeStage.Local, DisputeStageCause.Raised), (dispute.Stage, dispute.StageReachedBy));
        Assert.Equal(new DateTimeOffset(2027, 5, 7, 23, 0, 0, TimeSpan.Zero), dispute.StageDueBy); // the May Day bank holiday does not count
        Assert.Equal(("NPS-NW", "CRC-CGM"), (dispute.NpsOrganisationCode, dispute.ProviderCode));
        var grounds = Assert.Single(dispute.Statements);
        Assert.Equal((1, "cgm-tm-01", "CRC-CGM"), (grounds.Sequence, grounds.AuthorUserId, grounds.AuthorOrganisationCode));
        Assert.Equal("case-transfer.dispute.raised", Assert.Single(dispute.DomainEvents).EventType);
        Assert.True(dispute.IsOpen);
        Assert.Equal(dispute.SubjectId, dispute.OpenSubjectId);
    }

    [Fact]
    public void Statements_are_appended_in_order_and_each_moves_the_version()
    {
        var (_, dispute) = Raised(Thursday);

        dispute.AddStatement(NpsManager, "Controls are in place", Thursday.AddHours(1));
        dispute.AddStatement(ProviderManager, "Two further incidents", Thursday.AddHours(2));

        Assert.Equal([1, 2, 3], dispute.Statements.Select(s => s.Sequence));
        Assert.Equal(["CRC-CGM", "NPS-NW", "CRC-CGM"], dispute.Statements.Select(s => s.AuthorOrganisationCode));
        Assert.Equal(3, dispute.Version);
        AssertRule("statement-text-required", () => dispute.AddStatement(NpsManager, " ", Thursday.AddHours(3)));
    }

    [Fact]
    public void Moving_up_on_request_starts_the_Senior_stage_with_ten_working_days()
    {
        var (_, dispute) = Raised(Thursday);

        dispute.MoveUp("nw-tm-01", Thursday.AddDays(5), DisputeDeadlines.Default);

        Assert.Equal((DisputeStage.Senior, DisputeStageCause.Request), (dispute.Stage, dispute.StageReachedBy));
        Assert.Equal(WorkingDays.DueBy(Thursday.AddDays(5), 10), dispute.StageDueBy);
        Assert.Equal([DisputeStageCause.Raised, DisputeStageCause.Request], dispute.StageChanges.Select(c => c.Cause));
        AssertRule("dispute-already-senior", () => dispute.MoveUp("cgm-tm-01", Thursday.AddDays(6), DisputeDeadlines.Default));
    }

    [Fact]
    public void A_Local_stage_lapses_only_after_its_limit_and_then_as_the_system()
    {
        var (_, dispute) = Raised(Thursday);
        var due = dispute.StageDueBy!.Value;

        AssertRule("dispute-stage-not-due", () => dispute.Lapse(due, DisputeDeadlines.Default));
        Assert.False(dispute.IsOverdue(due));
        Assert.True(dispute.IsOverdue(due.AddTicks(1)));
        dispute.Lapse(due.AddMinutes(1), DisputeDeadlines.Default);

        Assert.Equal((DisputeStage.Senior, DisputeStageCause.Lapse), (dispute.Stage, dispute.StageReachedBy));
        var change = dispute.StageChanges[^1];
        Assert.Equal((DisputeStage.Local, DisputeStage.Senior, DisputeStageCause.Lapse, Dispute.SystemActor, due.AddMinutes(1)), (change.From, change.To, change.Cause, change.By, change.At));
        Assert.Contains(dispute.DomainEvents, e => e.EventType == "case-transfer.dispute.stage-lapsed");

        // A Senior stage past its limit stays Senior: overdue, never moved again.
        var seniorDue = dispute.StageDueBy!.Value;
        AssertRule("dispute-already-senior", () => dispute.Lapse(seniorDue.AddDays(1), DisputeDeadlines.Default));
        Assert.True(dispute.IsOverdue(seniorDue.AddDays(1)));
    }

    [Fact]
    public void At_the_Senior_stage_only_a_head_of_service_resolves()
    {
        var (_, dispute) = Raised(Thursday);
        dispute.MoveUp("nw-tm-01", Thursday.AddHours(1), DisputeDeadlines.Default);

        AssertRule("senior-stage-needs-head-of-service", () => dispute.Resolve("cgm-tm-01", false, Thursday.AddHours(2), DisputeOutcome.NotUpheld, null));
        dispute.Resolve("nw-hos-01", true, Thursday.AddHours(2), DisputeOutcome.NotUpheld, null);

        Assert.Equal((DisputeStage.Resolved, DisputeOutcome.NotUpheld), (dispute.Stage, dispute.Outcome));
        Assert.Null(dispute.StageDueBy);
        Assert.Null(dispute.OpenSubjectId);
        Assert.Null(dispute.OpenCaseId);
        Assert.False(dispute.IsOverdue(Thursday.AddYears(1)));
    }

    [Fact]
    public void A_resolved_dispute_refuses_every_further_action()
    {
        var (_, dispute) = Raised(Thursday);
        dispute.Resolve("nw-tm-01", false, Thursday.AddHours(1), DisputeOutcome.Agreed, "Joint plan");

        AssertRule("dispute-resolved", () => dispute.AddStatement(NpsManager, "More", Thursday.AddHours(2)));
        AssertRule("dispute-resolved", () => dispute.MoveUp("nw-tm-01", Thursday.AddHours(2), DisputeDeadlines.Default));
        AssertRule("dispute-resolved", () => dispute.Lapse(Thursday.AddYears(1), DisputeDeadlines.Default));
        AssertRule("dispute-resolved", () => dispute.Resolve("nw-hos-01", true, Thursday.AddHours(2), DisputeOutcome.Upheld, null));
    }

    [Fact]
    public void An_Agreed_outcome_needs_a_text()
    {
        var (_, dispute) = Raised(Thursday);

        AssertRule("outcome-text-required", () => dispute.Resolve("nw-tm-01", false, Thursday.AddHours(1), DisputeOutcome.Agreed, null));
        Assert.True(dispute.IsOpen);
    }

    [Fact]
    public void An_upheld_resolution_hands_the_case_to_the_other_party_at_that_instant()
    {
        var (@case, dispute) = Raised(Thursday);
        var at = Thursday.AddDays(1);

        dispute.Resolve(@case, "nw-hos-01", true, at, DisputeOutcome.Upheld, null, PriyaPatel, null);

        Assert.Equal("NPS-NW", @case.HolderOrganisationCode);
        Assert.Equal(PriyaPatel.Id, @case.ResponsibleOfficerId);
        Assert.Equal(("NPS-NW", PriyaPatel.Id), (dispute.NewHolderCode, dispute.ResponsibleOfficerId));
        Assert.Equal(at, @case.Holdings.Single(h => h.To is null).From);
        Assert.Contains(@case.DomainEvents, e => e.EventType == "case-transfer.case.holder-changed");
    }

    [Fact]
    public void A_resolution_moves_the_case_only_between_the_parties_and_not_to_its_holder()
    {
        var (@case, dispute) = Raised(Thursday);
        var elsewhere = new Practitioner(Guid.CreateVersion7(), "ldn-po-02", "Fatima Begum", "NPS-LDN", Grade.Po, 37m);

        AssertRule("new-holder-not-a-party", () => dispute.Resolve(@case, "nw-hos-01", true, Thursday, DisputeOutcome.Upheld, null, elsewhere, null));
        AssertRule("already-holder", () => dispute.Resolve(@case, "nw-hos-01", true, Thursday, DisputeOutcome.Upheld, null, TomRiley, null));
        Assert.True(dispute.IsOpen);
        Assert.Equal("CRC-CGM", @case.HolderOrganisationCode);
    }

    [Fact]
    public void Only_a_decision_in_a_disputable_state_may_be_disputed()
    {
        var (@case, assessment) = ProviderHeldCase(Thursday);
        var open = Request(@case, assessment, Thursday);

        AssertRule("escalation-not-declined", () => DisputeSubject.Escalation(open, DisputeSubjectKind.EscalationDecline));
        AssertRule("escalation-not-accepted", () => DisputeSubject.Escalation(open, DisputeSubjectKind.UnfoundedEscalation));
        var (_, declined) = Declined(Thursday);
        AssertRule("escalation-not-accepted", () => DisputeSubject.Escalation(declined, DisputeSubjectKind.UnfoundedEscalation));
    }

    [Fact]
    public void Only_the_NPS_disputes_an_escalation_as_unfounded()
    {
        var (@case, assessment) = ProviderHeldCase(Thursday);
        var escalation = Request(@case, assessment, Thursday);
        escalation.Acknowledge("nw-spo-01", Thursday.AddMinutes(5));
        escalation.Accept(@case, "nw-spo-01", Thursday.AddMinutes(10), EscalationAcceptanceReason.EmergencyResponse, null, PriyaPatel, null, TimeSpan.FromDays(14));
        var subject = DisputeSubject.Escalation(escalation, DisputeSubjectKind.UnfoundedEscalation);

        AssertRule("unfounded-escalation-disputed-by-nps", () => Dispute.Raise(Guid.CreateVersion7(), subject, "CRC-CGM", false, ProviderManager, "Not us", Thursday.AddHours(1), DisputeDeadlines.Default));
        var dispute = Dispute.Raise(Guid.CreateVersion7(), subject, "NPS-NW", true, NpsManager, "The RoSH rose on one unverified report", Thursday.AddHours(1), DisputeDeadlines.Default);
        Assert.Equal(DisputeSubjectKind.UnfoundedEscalation, dispute.SubjectKind);
    }
}
