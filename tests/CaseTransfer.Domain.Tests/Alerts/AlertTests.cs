using CaseTransfer.Domain.Alerts;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Tests.Escalations;

namespace CaseTransfer.Domain.Tests.Alerts;

/// <summary>Open -> Acknowledged -> Resolved, or Open -> Resolved; the service clears what no longer holds. Every other move is refused by name.</summary>
public class AlertTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 28, 1, 30, 0, TimeSpan.Zero);
    private static readonly AlertPolicy Policy = new(28, 24);

    private static Alert Raised(string kind = AlertKinds.EscalationAcknowledgementOverdue, AlertAudience audience = AlertAudience.Everyone) =>
        Alert.Raise(Guid.CreateVersion7(At), new AlertFinding(kind, Guid.CreateVersion7(), Crn.Parse("X123456"), Guid.CreateVersion7(), "NPS-NW", audience, At, At), Policy, At);

    private static void AssertRefusedBy(string rule, Action action) => Assert.Equal(rule, Assert.Throws<DomainRuleViolation>(action).Rule);

    [Fact]
    public void A_raised_alert_is_open_and_says_so_to_partner_systems_without_personal_data()
    {
        var alert = Raised();

        Assert.Equal(AlertState.Open, alert.State);
        Assert.Equal(1, alert.Version);
        var raised = Assert.IsType<AlertEvent>(Assert.Single(alert.DomainEvents));
        Assert.Equal("case-transfer.alert.raised", raised.EventType);
        Assert.Equal("X123456", raised.Crn);
        Assert.Equal("NPS-NW", raised.Organisation);
        Assert.Equal("Emergency escalation not acknowledged by its deadline, 2027-03-28T02:30:00+01:00.", alert.Why);
    }

    [Fact]
    public void Acknowledged_then_resolved_by_a_person()
    {
        var alert = Raised();
        alert.Acknowledge("nw-spo-05", At.AddMinutes(5));
        Assert.Equal(AlertState.Acknowledged, alert.State);
        alert.Resolve("nw-spo-05", At.AddMinutes(10));

        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal(At.AddMinutes(10), alert.ResolvedAt);
        Assert.False(alert.ClearedBySystem);
        Assert.Equal(3, alert.Version);
        Assert.Equal(["case-transfer.alert.raised", "case-transfer.alert.acknowledged", "case-transfer.alert.resolved"], alert.DomainEvents.Select(e => e.EventType));
    }

    [Fact]
    public void An_open_alert_may_be_resolved_without_acknowledging_it()
    {
        var alert = Raised();
        alert.Resolve("nw-spo-05", At);
        Assert.Equal(AlertState.Resolved, alert.State);
    }

    [Fact]
    public void The_service_clears_an_alert_whose_condition_no_longer_holds()
    {
        var alert = Raised();
        alert.Acknowledge("nw-spo-05", At);
        alert.Clear(At.AddHours(1));

        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.True(alert.ClearedBySystem);
        Assert.Equal(Alert.SystemActor, alert.ResolvedBy);
        Assert.Equal("case-transfer.alert.cleared", alert.DomainEvents[^1].EventType);
    }

    [Fact]
    public void Acknowledging_twice_is_refused()
    {
        var alert = Raised();
        alert.Acknowledge("nw-spo-05", At);
        AssertRefusedBy("alert-already-acknowledged", () => alert.Acknowledge("nw-spo-06", At));
    }

    [Fact]
    public void Nothing_moves_a_resolved_alert()
    {
        var alert = Raised();
        alert.Resolve("nw-spo-05", At);
        AssertRefusedBy("alert-resolved", () => alert.Acknowledge("nw-spo-05", At));
        AssertRefusedBy("alert-resolved", () => alert.Resolve("nw-spo-05", At));
        AssertRefusedBy("alert-resolved", () => alert.Clear(At));
        Assert.Equal(2, alert.Version);
    }

    [Fact]
    public void The_same_condition_has_one_key_whoever_finds_it()
    {
        var subject = Guid.CreateVersion7();
        var a = new AlertFinding(AlertKinds.CaseQuiet, subject, Crn.Parse("X123456"), subject, "NPS-NW", AlertAudience.Everyone, At, null);
        var b = a with { Since = At.AddDays(1) };
        Assert.Equal(a.Key, b.Key);
        Assert.NotEqual(a.Key, (a with { Audience = AlertAudience.Managers }).Key);
        Assert.NotEqual(a.Key, (a with { OrganisationCode = "CRC-CGM" }).Key);
    }

    [Fact]
    public void A_case_is_quiet_after_the_configured_days_and_escalation_required_is_raised_again_after_the_configured_hours()
    {
        Assert.Equal(At.AddDays(-28), Policy.QuietBefore(At));
        Assert.Equal(At.AddHours(-24), Policy.ReraiseBefore(At));
    }

    [Fact]
    public void An_expected_date_is_missed_when_the_next_London_day_begins()
    {
        // 5 July is in summer time: the 6th begins at 23:00 UTC on the 5th. 5 January is GMT.
        Assert.Equal(new DateTimeOffset(2027, 7, 5, 23, 0, 0, TimeSpan.Zero), AlertPolicy.MissedAt(new DateOnly(2027, 7, 5)));
        Assert.Equal(new DateTimeOffset(2027, 1, 6, 0, 0, 0, TimeSpan.Zero), AlertPolicy.MissedAt(new DateOnly(2027, 1, 5)));
        Assert.Equal(new DateOnly(2027, 7, 6), AlertPolicy.Today(new DateTimeOffset(2027, 7, 5, 23, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Every_kind_says_why_in_words_with_its_dates()
    {
        foreach (var kind in AlertKinds.All)
        {
            var why = Raised(kind).Why;
            Assert.False(string.IsNullOrWhiteSpace(why));
            Assert.True(why.Length <= Alert.WhyMaxLength);
        }

        Assert.Contains("raised again to managers", Raised(AlertKinds.EscalationRequired, AlertAudience.Managers).Why, StringComparison.Ordinal);
        Assert.Contains("2027-03-27", Raised(AlertKinds.RequirementNotStarted).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Escalation_is_required_from_the_assessment_that_requires_it_until_one_does_not_or_the_case_moves()
    {
        var (@case, assessment) = EscalationWorld.ProviderHeldCase(At);
        var requirement = new EscalationRequirement(@case.Crn.Value, "CRC-CGM", "NPS-NW", assessment.Id, [], "2026.1", "hash");
        @case.RequireEscalation(requirement, At);
        @case.RequireEscalation(requirement, At.AddHours(2));
        Assert.Equal(At, @case.EscalationRequiredSince);
        Assert.Equal("CRC-CGM", @case.EscalationRequiredOf);

        @case.EscalationNoLongerRequired();
        Assert.Null(@case.EscalationRequiredSince);

        @case.RequireEscalation(requirement, At.AddHours(3));
        @case.TransferTo("NPS-NW", At.AddHours(4), "Escalation accepted (RoshIncrease)", EscalationWorld.PriyaPatel);
        Assert.Null(@case.EscalationRequiredSince);
        Assert.Null(@case.EscalationRequiredOf);
    }

    [Fact]
    public void An_audited_write_moves_the_case_stamp_forward_only()
    {
        var (@case, _) = EscalationWorld.ProviderHeldCase(At);
        var opened = @case.LastAuditedWriteAt;
        @case.AuditedWrite(At);
        @case.AuditedWrite(At.AddHours(-1));
        Assert.True(At > opened);
        Assert.Equal(At, @case.LastAuditedWriteAt);
    }

    [Fact]
    public void A_requirement_starts_once_and_not_in_the_future()
    {
        var @case = Case.Open(
            Guid.CreateVersion7(), Crn.Parse("X123457"), "John", null, "Smith", new DateOnly(1985, 3, 14), null, null, EscalationWorld.Manchester,
            new Sentence(SentenceType.CommunityOrder, new DateOnly(2026, 10, 1), null, null, null, null),
            [(RequirementType.UnpaidWork, new DateOnly(2027, 1, 5), new DateOnly(2027, 6, 5))], At);
        var requirement = @case.Requirements[0];
        AssertRefusedBy("requirement-started-in-future", () => @case.StartRequirement(requirement.Id, new DateOnly(2027, 3, 29), At));
        @case.StartRequirement(requirement.Id, new DateOnly(2027, 1, 6), At);
        Assert.Equal(new DateOnly(2027, 1, 6), requirement.StartedOn);
        AssertRefusedBy("requirement-already-started", () => @case.StartRequirement(requirement.Id, new DateOnly(2027, 1, 7), At));
    }
}
