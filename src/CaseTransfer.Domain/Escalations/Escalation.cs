using System.Linq.Expressions;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Escalations;

public enum EscalationState
{
    /// <summary>Sent by the provider; the NPS region must acknowledge it (an emergency within its deadline).</summary>
    Requested,

    /// <summary>The NPS region has it in hand and must decide it (a standard one within its deadline).</summary>
    Acknowledged,

    /// <summary>The NPS region took the case: it holds it from the instant of acceptance.</summary>
    Accepted,

    /// <summary>The NPS region declined; the provider keeps the case.</summary>
    Declined,

    /// <summary>The provider withdrew it before a decision.</summary>
    Withdrawn,
}

/// <summary>Why a provider escalates a case it holds to the NPS.</summary>
public enum EscalationReason
{
    /// <summary>The risk of serious harm has risen (to High or Very High).</summary>
    RoshIncrease,

    /// <summary>The case has become eligible for MAPPA, or its MAPPA category or level has changed.</summary>
    MappaChange,
    RiskToStaff,
    RiskToPublic,

    /// <summary>The person has absconded (for example from an Approved Premises).</summary>
    Absconded,

    /// <summary>The person must be recalled to custody at once.</summary>
    EmergencyRecall,

    /// <summary>Anything else: a text must say what.</summary>
    Other,
}

/// <summary>How fast the NPS must answer: an emergency is acknowledged within clock hours, around the clock; a standard one decided within working days.</summary>
public enum EscalationUrgency
{
    Standard,
    Emergency,
}

/// <summary>Why the NPS region takes the case.</summary>
public enum EscalationAcceptanceReason
{
    /// <summary>The allocation rules in force keep such a case with the NPS (high RoSH, MAPPA, RSR at the threshold...).</summary>
    RulesKeepWithNps,

    /// <summary>The risk of serious harm is High or Very High on the assessment the escalation rests on.</summary>
    RiskOfSeriousHarm,

    /// <summary>MAPPA eligibility or management level needs the NPS to manage the case.</summary>
    MappaManagement,

    /// <summary>Absconding, an emergency recall or an imminent risk needs the NPS's response now.</summary>
    EmergencyResponse,

    /// <summary>Below the rules' thresholds, but the decider judges the NPS should hold the case: a text must say why.</summary>
    ProfessionalJudgement,

    /// <summary>Anything else: a text must say what.</summary>
    Other,
}

/// <summary>Why the NPS region leaves the case with the provider (a decline a provider may later dispute).</summary>
public enum EscalationDeclineReason
{
    /// <summary>The facts do not meet the NPS's threshold: the rules leave such a case with the provider.</summary>
    ThresholdNotMet,

    /// <summary>The risk assessment the escalation rests on is incomplete or out of date: reassess, then escalate again.</summary>
    RiskAssessmentNeedsReview,

    /// <summary>The triggering events and documents given do not support the escalation.</summary>
    InsufficientEvidence,

    /// <summary>The risk can be managed by the provider, with the controls the decision text names.</summary>
    ManageableByProvider,

    /// <summary>Anything else: a text must say what.</summary>
    Other,
}

/// <summary>
/// A provider's request that the NPS take a case it holds, because its risk has risen. The NPS region covering the
/// case's area (see <see cref="Area.NpsRegionCode"/>) acknowledges and decides it; on acceptance the case moves to that
/// region at that instant and the provider keeps read-only sight of it for a handover period (a
/// <see cref="CaseAccessGrant"/>). Exactly one open escalation per case (<see cref="OpenCaseId"/> is unique).
/// </summary>
public sealed class Escalation : AggregateRoot
{
    public const int TextMaxLength = 1000;
    public const int TriggeringEventsMaxLength = 4000;
    public const int DocumentReferenceMaxLength = 150;
    public const int MaxDocumentReferences = 20;

    private Escalation()
    {
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public string AreaCode { get; private set; } = null!;

    /// <summary>The provider that held the case and asked: the requesting side.</summary>
    public string ProviderCode { get; private set; } = null!;

    /// <summary>The NPS region covering the case's area when it was requested: the deciding side, and the case's holder on acceptance.</summary>
    public string NpsRegionCode { get; private set; } = null!;

    public EscalationReason Reason { get; private set; }
    public string? ReasonText { get; private set; }
    public EscalationUrgency Urgency { get; private set; }

    /// <summary>The risk assessment the escalation rests on (named by the provider, or recorded with the request).</summary>
    public Guid RiskAssessmentId { get; private set; }

    /// <summary>What happened, in the provider's words.</summary>
    public string TriggeringEvents { get; private set; } = null!;

    /// <summary>References to supporting documents: opaque to this service until documents are held here.</summary>
    public IReadOnlyList<string> DocumentReferences { get; private set; } = [];

    public string RequestedBy { get; private set; } = null!;
    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>An emergency: when the NPS region must have acknowledged it by (null for a standard one).</summary>
    public DateTimeOffset? AcknowledgeBy { get; private set; }

    /// <summary>A standard escalation: when the NPS region must have decided it by (null for an emergency).</summary>
    public DateTimeOffset? DecideBy { get; private set; }

    public EscalationState State { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public EscalationAcceptanceReason? AcceptanceReason { get; private set; }
    public EscalationDeclineReason? DeclineReason { get; private set; }

    /// <summary>The text given with an acceptance, a decline or a withdrawal.</summary>
    public string? DecisionText { get; private set; }

    /// <summary>On acceptance: the NPS practitioner who holds the case.</summary>
    public Guid? ResponsibleOfficerId { get; private set; }

    /// <summary>On acceptance over 100% capacity: the figures the person accepting saw and acknowledged, as JSON.</summary>
    public string? CapacityAcknowledgement { get; private set; }

    /// <summary>On acceptance: until when the provider may still read the case (read-only).</summary>
    public DateTimeOffset? HandoverUntil { get; private set; }

    /// <summary>The case id while the escalation is open, null once closed: a unique index allows one open escalation per case.</summary>
    public Guid? OpenCaseId { get; private set; }

    public long Version { get; private set; }

    public bool IsOpen => State is EscalationState.Requested or EscalationState.Acknowledged;

    /// <summary>
    /// The provider holding the case asks the NPS region covering its area to take it. <paramref name="holder"/> is the
    /// organisation that holds the case; <paramref name="area"/> is the case's area.
    /// </summary>
    public static Escalation Request(
        Guid id,
        Guid caseId,
        Crn crn,
        Organisation holder,
        Area area,
        EscalationReason reason,
        string? reasonText,
        EscalationUrgency urgency,
        RiskAssessment riskAssessment,
        string triggeringEvents,
        IReadOnlyList<string> documentReferences,
        string requestedBy,
        DateTimeOffset at,
        EscalationDeadlines deadlines)
    {
        if (holder.Kind != OrganisationKind.Provider)
        {
            throw new DomainRuleViolation("case-not-held-by-provider", "Only a provider escalates a case, and only one it holds; the NPS already holds this one.");
        }

        if (riskAssessment.CaseId != caseId)
        {
            throw new ArgumentException($"Risk assessment {riskAssessment.Id} is not of case {caseId}.", nameof(riskAssessment));
        }

        RequireText(reason == EscalationReason.Other, reasonText, "A reason of Other needs a text saying what it is.");
        if (string.IsNullOrWhiteSpace(triggeringEvents))
        {
            throw new DomainRuleViolation("triggering-events-required", "An escalation says what happened: the triggering events.");
        }

        var escalation = new Escalation
        {
            Id = id,
            CaseId = caseId,
            Crn = crn,
            AreaCode = area.Code,
            ProviderCode = holder.Code,
            NpsRegionCode = area.NpsRegionCode,
            Reason = reason,
            ReasonText = Trimmed(reasonText),
            Urgency = urgency,
            RiskAssessmentId = riskAssessment.Id,
            TriggeringEvents = triggeringEvents.Trim(),
            DocumentReferences = [.. documentReferences.Distinct(StringComparer.Ordinal)],
            RequestedBy = requestedBy,
            RequestedAt = at,
            AcknowledgeBy = deadlines.AcknowledgeBy(urgency, at),
            DecideBy = deadlines.DecideBy(urgency, at),
            State = EscalationState.Requested,
            OpenCaseId = caseId,
            Version = 1,
        };
        escalation.Raise(new EscalationEvent("requested", $"{urgency} risk escalation requested by the provider", escalation, at));
        return escalation;
    }

    /// <summary>The NPS region has it in hand; an emergency's clock stops here.</summary>
    public void Acknowledge(string acknowledgedBy, DateTimeOffset at)
    {
        if (State == EscalationState.Acknowledged)
        {
            throw new DomainRuleViolation("escalation-already-acknowledged", "The escalation was already acknowledged.");
        }

        EnsureOpen("acknowledge");
        AcknowledgedBy = acknowledgedBy;
        AcknowledgedAt = at;
        State = EscalationState.Acknowledged;
        Touch();
        Raise(new EscalationEvent("acknowledged", "Risk escalation acknowledged by the NPS", this, at));
    }

    /// <summary>
    /// The NPS region takes the case, naming the practitioner there who holds it: the provider's holding closes and the
    /// region's opens at <paramref name="at"/>. The provider keeps read-only sight of the case for
    /// <paramref name="handover"/>: the grant returned, to be stored with the change. Refused when the case has since
    /// left the provider (case-moved) or the officer works elsewhere; nothing changes then.
    /// </summary>
    public CaseAccessGrant Accept(
        Case @case,
        string acceptedBy,
        DateTimeOffset at,
        EscalationAcceptanceReason reason,
        string? text,
        Practitioner responsibleOfficer,
        string? capacityAcknowledgement,
        TimeSpan handover)
    {
        if (@case.Id != CaseId)
        {
            throw new ArgumentException($"Escalation {Id} is for case {CaseId}, not {@case.Id}.", nameof(@case));
        }

        EnsureAwaitingDecision("accept");
        RequireText(
            reason is EscalationAcceptanceReason.Other or EscalationAcceptanceReason.ProfessionalJudgement,
            text,
            $"An acceptance for {reason} needs a text saying why.");
        @case.HandOver(ProviderCode, NpsRegionCode, at, $"Escalation accepted ({Reason})", responsibleOfficer);

        AcceptanceReason = reason;
        ResponsibleOfficerId = responsibleOfficer.Id;
        CapacityAcknowledgement = capacityAcknowledgement;
        HandoverUntil = at + handover;
        Close(EscalationState.Accepted, acceptedBy, at, text);
        Raise(new EscalationEvent("accepted", "Risk escalation accepted: the NPS holds the case", this, at));
        return CaseAccessGrant.ReadOnly(
            Guid.CreateVersion7(at), CaseId, ProviderCode, at, HandoverUntil.Value, $"Handover: escalation {Id} accepted by {NpsRegionCode}", acceptedBy);
    }

    /// <summary>The NPS region leaves the case with the provider, with a coded reason.</summary>
    public void Decline(string declinedBy, DateTimeOffset at, EscalationDeclineReason reason, string? text)
    {
        EnsureAwaitingDecision("decline");
        RequireText(reason == EscalationDeclineReason.Other, text, "A decline reason of Other needs a text saying what it is.");
        DeclineReason = reason;
        Close(EscalationState.Declined, declinedBy, at, text);
        Raise(new EscalationEvent("declined", "Risk escalation declined by the NPS", this, at));
    }

    /// <summary>The provider withdraws its request before a decision.</summary>
    public void Withdraw(string withdrawnBy, DateTimeOffset at, string? text)
    {
        EnsureOpen("withdraw");
        Close(EscalationState.Withdrawn, withdrawnBy, at, text);
        Raise(new EscalationEvent("withdrawn", "Risk escalation withdrawn by the provider", this, at));
    }

    /// <summary>
    /// Past the deadline that applies at the instant given: an emergency not yet acknowledged after its clock hours, a
    /// standard one not yet decided after its working days. Late answers are still allowed: the deadline flags the
    /// delay. One definition for an escalation in memory (<see cref="IsOverdue"/>) and for queries; the nulls are
    /// checked explicitly so that its negation means "not overdue" in SQL too.
    /// </summary>
    public static readonly Expression<Func<Escalation, DateTimeOffset, bool>> OverdueAt = (e, now) =>
        (e.State == EscalationState.Requested && e.AcknowledgeBy != null && e.AcknowledgeBy < now)
        || ((e.State == EscalationState.Requested || e.State == EscalationState.Acknowledged) && e.DecideBy != null && e.DecideBy < now);

    private static readonly Func<Escalation, DateTimeOffset, bool> IsOverdueAt = OverdueAt.Compile();

    /// <summary>Past the deadline that applies at <paramref name="now"/> (see <see cref="OverdueAt"/>).</summary>
    public bool IsOverdue(DateTimeOffset now) => IsOverdueAt(this, now);

    private void Close(EscalationState state, string by, DateTimeOffset at, string? text)
    {
        State = state;
        DecidedBy = by;
        DecidedAt = at;
        DecisionText = Trimmed(text);
        OpenCaseId = null;
        Touch();
    }

    /// <summary>
    /// Refuses <paramref name="action"/> (accept, decline) unless the escalation is acknowledged and undecided; a caller
    /// about to check other things first (a practitioner's capacity) asks here so the answer names the state.
    /// </summary>
    public void EnsureAwaitingDecision(string action)
    {
        if (State == EscalationState.Requested)
        {
            throw new DomainRuleViolation("escalation-not-acknowledged", $"Cannot {action} an escalation that is not acknowledged yet: acknowledge it first.");
        }

        EnsureOpen(action);
    }

    private void EnsureOpen(string action)
    {
        if (!IsOpen)
        {
            var state = State.ToString().ToLowerInvariant();
            throw new DomainRuleViolation($"escalation-{state}", $"Cannot {action} an escalation that was already {state}.");
        }
    }

    private static void RequireText(bool required, string? text, string message)
    {
        if (required && string.IsNullOrWhiteSpace(text))
        {
            throw new DomainRuleViolation("reason-text-required", message);
        }
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private void Touch() => Version++;
}

/// <summary>
/// A change to an escalation that partner systems hear about (<c>case-transfer.escalation.{kind}</c>), with its
/// deadlines, so that a consumer can watch them without reading the escalation.
/// </summary>
public sealed record EscalationEvent(
    string Kind,
    string Description,
    string Crn,
    Guid EscalationId,
    string Provider,
    string NpsRegion,
    EscalationUrgency Urgency,
    EscalationState State,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? DecideBy,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [Provider, NpsRegion];

    public EscalationEvent(string kind, string description, Escalation escalation, DateTimeOffset at)
        : this(
            kind,
            description,
            escalation.Crn.Value,
            escalation.Id,
            escalation.ProviderCode,
            escalation.NpsRegionCode,
            escalation.Urgency,
            escalation.State,
            escalation.AcknowledgeBy,
            escalation.DecideBy,
            at)
    {
    }

    public string EventType => $"case-transfer.escalation.{Kind}";
    string? IDomainEvent.Crn => Crn;
}
