using CaseTransfer.Domain.Common;

namespace CaseTransfer.Domain.Escalations;

/// <summary>
/// How long the NPS has to answer an escalation. An emergency must be acknowledged within so many clock hours, around
/// the clock, weekends and bank holidays included: elapsed time, added in UTC, so an hour across the change to or from
/// British Summer Time is still an hour. A standard one must be decided by the end of so many working days (England
/// and Wales) after the London day it was requested, as an allocation is.
/// </summary>
public sealed record EscalationDeadlines
{
    public const int DefaultEmergencyAcknowledgeHours = 1;
    public const int DefaultStandardDecisionWorkingDays = 5;

    public static readonly EscalationDeadlines Default = new(DefaultEmergencyAcknowledgeHours, DefaultStandardDecisionWorkingDays);

    public EscalationDeadlines(int emergencyAcknowledgeHours, int standardDecisionWorkingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(emergencyAcknowledgeHours);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(standardDecisionWorkingDays);
        EmergencyAcknowledgeHours = emergencyAcknowledgeHours;
        StandardDecisionWorkingDays = standardDecisionWorkingDays;
    }

    public int EmergencyAcknowledgeHours { get; }
    public int StandardDecisionWorkingDays { get; }

    /// <summary>When an escalation requested at <paramref name="requestedAt"/> must be acknowledged by: emergencies only.</summary>
    public DateTimeOffset? AcknowledgeBy(EscalationUrgency urgency, DateTimeOffset requestedAt) =>
        urgency == EscalationUrgency.Emergency ? requestedAt.ToUniversalTime().AddHours(EmergencyAcknowledgeHours) : null;

    /// <summary>When an escalation requested at <paramref name="requestedAt"/> must be decided by: standard ones only.</summary>
    public DateTimeOffset? DecideBy(EscalationUrgency urgency, DateTimeOffset requestedAt) =>
        urgency == EscalationUrgency.Standard ? WorkingDays.DueBy(requestedAt, StandardDecisionWorkingDays) : null;
}
