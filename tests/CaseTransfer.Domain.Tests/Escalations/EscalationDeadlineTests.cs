using System.Globalization;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Escalations;
using static CaseTransfer.Domain.Tests.Escalations.EscalationWorld;

namespace CaseTransfer.Domain.Tests.Escalations;

/// <summary>
/// Deadlines that never sleep: an emergency is acknowledged within clock hours (elapsed time, around the clock); a
/// standard one is decided within working days. Stored in UTC, shown in London time.
/// </summary>
public class EscalationDeadlineTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static Escalation RequestedAt(DateTimeOffset at, EscalationUrgency urgency)
    {
        var (@case, assessment) = ProviderHeldCase(at);
        return Request(@case, assessment, at, urgency);
    }

    [Fact]
    public void An_emergency_requested_at_two_on_a_Sunday_morning_is_overdue_at_three_not_on_Monday()
    {
        // Sunday 10 January 2027, GMT: London time is UTC.
        var escalation = RequestedAt(Utc(2027, 1, 10, 2), EscalationUrgency.Emergency);

        Assert.Equal(Utc(2027, 1, 10, 3), escalation.AcknowledgeBy);
        Assert.Null(escalation.DecideBy);
        Assert.False(escalation.IsOverdue(Utc(2027, 1, 10, 2, 59)));
        Assert.False(escalation.IsOverdue(Utc(2027, 1, 10, 3)));
        Assert.True(escalation.IsOverdue(Utc(2027, 1, 10, 3, 1)));
    }

    /// <remarks>
    /// Clocks go forward at 01:00 UTC on Sunday 28 March 2027: 00:30 GMT plus one hour is 01:30 UTC, 02:30 BST (a
    /// reading of London's clocks would make it 03:30, two hours). They go back at 01:00 UTC on Sunday 31 October
    /// 2027: 01:30 BST plus one hour is 01:30 GMT, which London's clocks show twice; the deadline is the second.
    /// </remarks>
    [Theory]
    [InlineData("2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z", "2027-03-28T02:30:00+01:00")]
    [InlineData("2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z", "2027-10-31T01:30:00+00:00")]
    public void An_emergency_requested_on_the_night_the_clocks_change_is_overdue_after_one_elapsed_hour(string requested, string due, string dueInLondon)
    {
        var escalation = RequestedAt(DateTimeOffset.Parse(requested, CultureInfo.InvariantCulture), EscalationUrgency.Emergency);

        var dueBy = DateTimeOffset.Parse(due, CultureInfo.InvariantCulture);
        Assert.Equal(dueBy, escalation.AcknowledgeBy);
        Assert.Equal(dueInLondon, London.Render(escalation.AcknowledgeBy!.Value));
        Assert.False(escalation.IsOverdue(dueBy.AddMinutes(-1)));
        Assert.True(escalation.IsOverdue(dueBy.AddMinutes(1)));
    }

    [Fact]
    public void A_standard_escalation_is_decided_within_working_days_across_a_weekend_and_a_bank_holiday()
    {
        // Requested Thursday 29 April 2027 at 10:00 BST; Monday 3 May is a bank holiday. Fri 30, Tue 4, Wed 5, Thu 6,
        // Fri 7: due at the end of Friday 7 May, midnight BST.
        var escalation = RequestedAt(Utc(2027, 4, 29, 9), EscalationUrgency.Standard);

        Assert.Null(escalation.AcknowledgeBy);
        Assert.Equal(Utc(2027, 5, 7, 23), escalation.DecideBy);
        Assert.Equal("2027-05-08T00:00:00+01:00", London.Render(escalation.DecideBy!.Value));
        Assert.False(escalation.IsOverdue(Utc(2027, 5, 7, 22, 59)));
        Assert.True(escalation.IsOverdue(Utc(2027, 5, 7, 23, 1)));

        // Acknowledging does not stop a standard one's clock; deciding does.
        escalation.Acknowledge("nw-spo-01", Utc(2027, 4, 30, 9));
        Assert.True(escalation.IsOverdue(Utc(2027, 5, 8, 9)));
    }

    [Fact]
    public void Acknowledging_an_emergency_stops_its_clock_even_late()
    {
        var escalation = RequestedAt(Utc(2027, 1, 10, 2), EscalationUrgency.Emergency);

        escalation.Acknowledge("nw-spo-01", Utc(2027, 1, 10, 4));

        Assert.False(escalation.IsOverdue(Utc(2027, 1, 11, 9)));
    }

    [Fact]
    public void A_closed_escalation_is_never_overdue()
    {
        var escalation = RequestedAt(Utc(2027, 1, 10, 2), EscalationUrgency.Standard);

        escalation.Withdraw("cgm-po-02", Utc(2027, 1, 10, 3), null);

        Assert.False(escalation.IsOverdue(Utc(2027, 6, 1)));
    }

    [Fact]
    public void Deadlines_need_at_least_an_hour_and_a_working_day()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationDeadlines(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationDeadlines(1, 0));
    }
}
