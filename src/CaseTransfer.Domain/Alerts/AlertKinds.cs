using System.Globalization;
using CaseTransfer.Domain.Common;

namespace CaseTransfer.Domain.Alerts;

/// <summary>
/// The limits alert conditions read: days without an audited write before a case is quiet, hours an
/// escalation-required alert waits before it is raised again to managers. The cut-offs are computed here once so
/// that a condition's query and a test agree on them.
/// </summary>
public sealed record AlertPolicy(int CaseQuietDays, int EscalationRequiredReraiseHours)
{
    public const int DefaultCaseQuietDays = 28;

    /// <summary>A case whose last audited write is before this instant is quiet at <paramref name="now"/>.</summary>
    public DateTimeOffset QuietBefore(DateTimeOffset now) => now - TimeSpan.FromDays(CaseQuietDays);

    /// <summary>An escalation required before this instant and still not requested is raised again at <paramref name="now"/>.</summary>
    public DateTimeOffset ReraiseBefore(DateTimeOffset now) => now - TimeSpan.FromHours(EscalationRequiredReraiseHours);

    /// <summary>The day an expected date is measured against: London's date at <paramref name="now"/>. A date is missed once the day after it has begun.</summary>
    public static DateOnly Today(DateTimeOffset now) => London.DateOf(now);

    /// <summary>The instant a date counts from, for <see cref="AlertFinding.Since"/>: the start of the London day after it.</summary>
    public static DateTimeOffset MissedAt(DateOnly expected) => London.StartOf(expected.AddDays(1));
}

/// <summary>The kinds of alert, each a condition that holds or not, and what the alert says.</summary>
public static class AlertKinds
{
    /// <summary>A provider holds a case the rules now keep with the NPS, and no escalation is open.</summary>
    public const string EscalationRequired = "escalation-required";

    /// <summary>An emergency escalation not acknowledged by its deadline (for the NPS region).</summary>
    public const string EscalationAcknowledgementOverdue = "escalation-acknowledgement-overdue";

    /// <summary>A standard escalation not decided by its deadline (for the NPS region).</summary>
    public const string EscalationDecisionOverdue = "escalation-decision-overdue";

    /// <summary>An allocation sent to a provider and not accepted or rejected by its deadline (for the provider).</summary>
    public const string AllocationDecisionOverdue = "allocation-decision-overdue";

    /// <summary>No audited write on the case for the configured number of days (for its holder).</summary>
    public const string CaseQuiet = "case-quiet";

    /// <summary>A requirement not started by its expected start date (for the case's holder).</summary>
    public const string RequirementNotStarted = "requirement-not-started";

    /// <summary>An order past its expected end date and still held (for the holder).</summary>
    public const string OrderPastEnd = "order-past-end";

    /// <summary>A dispute's stage past its time limit: a Local stage moved up by lapse, or a Senior one not resolved in time (for both parties).</summary>
    public const string DisputeStageOverdue = "dispute-stage-overdue";

    /// <summary>A request for information not answered by the end of its due date (for the organisation asked and the one asking).</summary>
    public const string InformationRequestOverdue = "information-request-overdue";

    /// <summary>A document uploaded by the organisation was found infected by the malware scanner and quarantined (for that organisation).</summary>
    public const string DocumentInfected = "document-infected";

    public const int KindMaxLength = 50;

    /// <summary>
    /// The kinds the service raises. A new kind is valid once it is listed here and has a condition; its
    /// <see cref="Why"/> falls back to a plain sentence until it has its own.
    /// </summary>
    public static readonly IReadOnlyList<string> All =
    [
        EscalationRequired, EscalationAcknowledgementOverdue, EscalationDecisionOverdue, AllocationDecisionOverdue,
        CaseQuiet, RequirementNotStarted, OrderPastEnd, DisputeStageOverdue, InformationRequestOverdue, DocumentInfected,
    ];

    /// <summary>Why the alert is raised, in words a practitioner reads. No personal data: dates, organisations and limits only.</summary>
    public static string Why(AlertFinding finding, AlertPolicy policy)
    {
        var since = London.Render(finding.Since);
        var deadline = finding.Deadline is { } d ? London.Render(d) : null;
        var why = finding.Kind switch
        {
            EscalationRequired when finding.Audience == AlertAudience.Managers =>
                $"Escalation required since {since} and still not requested after {policy.EscalationRequiredReraiseHours} hours: raised again to managers.",
            EscalationRequired =>
                $"A risk assessment recorded at {since} means the allocation rules keep this provider-held case with the NPS: escalate it to the NPS region.",
            EscalationAcknowledgementOverdue => $"Emergency escalation not acknowledged by its deadline, {deadline}.",
            EscalationDecisionOverdue => $"Escalation not decided by its deadline, {deadline}.",
            AllocationDecisionOverdue => $"Allocation not accepted or rejected by its deadline, {deadline}.",
            CaseQuiet => $"No audited write on the case since {since} ({policy.CaseQuietDays} days or more).",
            RequirementNotStarted => $"A requirement was expected to start by {DateOf(finding.Deadline)} and has not started.",
            OrderPastEnd => $"The order was expected to end by {DateOf(finding.Deadline)} and the case is still held.",
            DisputeStageOverdue when finding.Deadline == finding.Since => $"A dispute stage passed its time limit, {deadline}: a Local stage moves up to the heads of service; a Senior one awaits their resolution.",
            DisputeStageOverdue => $"A dispute's Local stage passed its time limit and moved up to the heads of service at {since}; the Senior stage is due {deadline}.",
            InformationRequestOverdue => $"A request for information was due by {deadline} and has not been answered.",
            DocumentInfected => $"A document your organisation uploaded was found infected by the malware scanner at {since}: it is quarantined and never served. Check the device it came from.",
            _ => $"{finding.Kind} since {since}" + (deadline is null ? "." : $"; deadline {deadline}."),
        };
        return why.Length <= Alert.WhyMaxLength ? why : why[..Alert.WhyMaxLength];
    }

    private static string DateOf(DateTimeOffset? missedAt) =>
        missedAt is { } at ? London.DateOf(at).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "its expected date";
}
