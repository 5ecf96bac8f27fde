using System.Text.Json.Serialization;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Escalations;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Escalations;

/// <summary>The actions open on the escalation in its current state (who may take them is for the server to say).</summary>
public sealed record EscalationLinks(string Self, string Case, string? Acknowledge, string? Accept, string? Decline, string? Withdraw);

/// <summary>
/// An escalation as both sides see it: the case (what the NPS region needs to decide on a case it does not hold), the
/// request with the risk assessment it rests on, its deadlines (UTC, and as London's clocks show them), whether it is
/// overdue now, and its outcome.
/// </summary>
/// <param name="AcknowledgeBy">An emergency: when it must be acknowledged by (clock hours after the request). Null for a standard one.</param>
/// <param name="AcknowledgeByLondon">The same instant in London time with its offset, e.g. <c>2027-03-28T02:30:00+01:00</c>.</param>
/// <param name="DecideBy">A standard escalation: when it must be decided by (the end of the last working day). Null for an emergency.</param>
/// <param name="DecideByLondon">The same instant in London time with its offset.</param>
/// <param name="Overdue">Past the deadline that applies now: an emergency not yet acknowledged, a standard one not yet decided.</param>
/// <param name="DocumentReferences">References to supporting documents, as the provider gave them: opaque until documents are held here.</param>
/// <param name="HandoverUntil">Once accepted: until when the provider may still read the case summary and history.</param>
public sealed record EscalationView(
    Guid Id,
    AllocationCaseView Case,
    string Provider,
    string NpsRegion,
    EscalationReason Reason,
    string? ReasonText,
    EscalationUrgency Urgency,
    RiskAssessmentView RiskAssessment,
    string TriggeringEvents,
    IReadOnlyList<string> DocumentReferences,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? AcknowledgeBy,
    string? AcknowledgeByLondon,
    DateTimeOffset? DecideBy,
    string? DecideByLondon,
    bool Overdue,
    EscalationState State,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    EscalationAcceptanceReason? AcceptanceReason,
    EscalationDeclineReason? DeclineReason,
    string? DecisionText,
    Guid? ResponsibleOfficerId,
    DateTimeOffset? HandoverUntil,
    long Version,
    EscalationLinks Links) : ICaseWorkflowView
{
    [JsonIgnore]
    public string ResourceType => "escalation";

    [JsonIgnore]
    public string? ChangeSummary { get; init; }

    [JsonIgnore]
    public string? Recipients { get; init; }
}

/// <summary>Builds escalation views with the case facts the NPS region needs, a page at a time.</summary>
public sealed class EscalationViews(IAppDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The view after a change, with the audit entry's summary of it (states and codes, no free text). When the change
    /// moved the case, <paramref name="changedCase"/> is it as changed, not yet saved.
    /// </summary>
    public async Task<EscalationView> ChangedAsync(Escalation escalation, EscalationState? before, Case? changedCase, CancellationToken cancellationToken) =>
        WithChange((await ForAsync([escalation], changedCase, cancellationToken))[0], escalation, before);

    public Task<EscalationView> ChangedAsync(Escalation escalation, EscalationState? before, CancellationToken cancellationToken) =>
        ChangedAsync(escalation, before, null, cancellationToken);

    /// <summary>The view of a new escalation, from what the request read and recorded in this transaction (nothing of it is saved yet).</summary>
    public EscalationView Requested(Escalation escalation, AllocationCaseView @case, RiskAssessmentView assessment) =>
        WithChange(Build(escalation, @case, assessment, clock.GetUtcNow()), escalation, null) with { Recipients = escalation.NpsRegionCode };

    public Task<IReadOnlyList<EscalationView>> ForAsync(IReadOnlyList<Escalation> escalations, CancellationToken cancellationToken) =>
        ForAsync(escalations, null, cancellationToken);

    private async Task<IReadOnlyList<EscalationView>> ForAsync(IReadOnlyList<Escalation> escalations, Case? changedCase, CancellationToken cancellationToken)
    {
        var cases = await AllocationViews.CaseViewsAsync(db, [.. escalations.Select(e => e.CaseId)], cancellationToken);
        var assessmentIds = escalations.Select(e => e.RiskAssessmentId).Distinct().ToList();
        var assessments = await db.RiskAssessments.AsNoTracking().Where(r => assessmentIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var now = clock.GetUtcNow();
        return [.. escalations.Select(e =>
        {
            var (view, version) = cases[e.CaseId];
            var caseVersion = changedCase is { } changed && changed.Id == e.CaseId ? changed.Version : version;
            return Build(e, view, RiskAssessmentView.From(e.Crn.Value, assessments[e.RiskAssessmentId], caseVersion), now);
        })];
    }

    private static EscalationView WithChange(EscalationView view, Escalation e, EscalationState? before) => view with
    {
        ChangeSummary = $"state: {before?.ToString() ?? "none"} -> {e.State}; urgency: {e.Urgency}; reason: {e.Reason}"
            + (e.AcceptanceReason is { } accepted ? $"; acceptanceReason: {accepted}; holder: {e.ProviderCode} -> {e.NpsRegionCode}; handover until {e.HandoverUntil:O}" : "")
            + (e.DeclineReason is { } declined ? $"; declineReason: {declined}" : ""),
    };

    private static EscalationView Build(Escalation e, AllocationCaseView @case, RiskAssessmentView assessment, DateTimeOffset now) => new(
        e.Id,
        @case,
        e.ProviderCode,
        e.NpsRegionCode,
        e.Reason,
        e.ReasonText,
        e.Urgency,
        assessment,
        e.TriggeringEvents,
        e.DocumentReferences,
        e.RequestedBy,
        e.RequestedAt,
        e.AcknowledgeBy,
        e.AcknowledgeBy is { } acknowledgeBy ? London.Render(acknowledgeBy) : null,
        e.DecideBy,
        e.DecideBy is { } decideBy ? London.Render(decideBy) : null,
        e.IsOverdue(now),
        e.State,
        e.AcknowledgedBy,
        e.AcknowledgedAt,
        e.DecidedBy,
        e.DecidedAt,
        e.AcceptanceReason,
        e.DeclineReason,
        e.DecisionText,
        e.ResponsibleOfficerId,
        e.HandoverUntil,
        e.Version,
        LinksFor(e));

    private static EscalationLinks LinksFor(Escalation e)
    {
        var self = $"/api/v1/escalations/{e.Id}";
        string? If(bool open, string action) => open ? $"{self}/{action}" : null;
        var acknowledged = e.State == EscalationState.Acknowledged;
        return new EscalationLinks(
            self,
            $"/api/v1/cases/{e.Crn.Value}",
            If(e.State == EscalationState.Requested, "acknowledge"),
            If(acknowledged, "accept"),
            If(acknowledged, "decline"),
            If(e.IsOpen, "withdraw"));
    }
}
