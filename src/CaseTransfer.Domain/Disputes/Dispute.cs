using System.Linq.Expressions;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Disputes;

/// <summary>Where a dispute stands. Local and Senior are open; Resolved is final.</summary>
public enum DisputeStage
{
    /// <summary>Between the team managers of both sides, within <c>Disputes:LocalStageWorkingDays</c>.</summary>
    Local,

    /// <summary>Between the heads of service of both sides, within <c>Disputes:SeniorStageWorkingDays</c>.</summary>
    Senior,

    /// <summary>Closed with an outcome (and, where it changed, the case's new holder).</summary>
    Resolved,
}

/// <summary>How the dispute came to be at its current stage: so an alert can tell a stage reached by lapse.</summary>
public enum DisputeStageCause
{
    /// <summary>The dispute was raised (the Local stage begins).</summary>
    Raised,

    /// <summary>A manager of either side asked for it to move up, or resolved it.</summary>
    Request,

    /// <summary>The Local stage passed its time limit and the service moved it up itself.</summary>
    Lapse,
}

/// <summary>What is disputed: a decision of one organisation that the other (or the same) contests.</summary>
public enum DisputeSubjectKind
{
    /// <summary>A provider's rejection of an allocation (the allocation is Rejected).</summary>
    AllocationRejection,

    /// <summary>The NPS region's decline of an escalation (the escalation is Declined).</summary>
    EscalationDecline,

    /// <summary>An escalation the NPS accepted but considers unfounded (the escalation is Accepted): NPS side only.</summary>
    UnfoundedEscalation,
}

/// <summary>How a dispute ended.</summary>
public enum DisputeOutcome
{
    /// <summary>The grounds were upheld: the disputed decision is reversed (usually with a new holder).</summary>
    Upheld,

    /// <summary>The grounds were not upheld: the disputed decision stands.</summary>
    NotUpheld,

    /// <summary>The sides agreed something else: a text must say what.</summary>
    Agreed,
}

/// <summary>
/// The decision disputed and the two parties to it: the NPS organisation and the provider on either side of the
/// allocation or escalation. Built from the subject only in a state that may be disputed.
/// </summary>
public sealed record DisputeSubject(DisputeSubjectKind Kind, Guid Id, Guid CaseId, Crn Crn, string NpsOrganisationCode, string ProviderCode)
{
    /// <summary>A rejected allocation: the NPS that proposed it and the provider that rejected it.</summary>
    public static DisputeSubject RejectedAllocation(Allocations.Allocation allocation)
    {
        if (allocation.State != Allocations.AllocationState.Rejected)
        {
            throw new DomainRuleViolation(
                "allocation-not-rejected", $"Only a rejected allocation may be disputed; this one is {allocation.State}.");
        }

        return new(DisputeSubjectKind.AllocationRejection, allocation.Id, allocation.CaseId, allocation.Crn, allocation.FromOrganisationCode, allocation.ToOrganisationCode);
    }

    /// <summary>
    /// An escalation: declined (either side disputes the decline) or, for <see cref="DisputeSubjectKind.UnfoundedEscalation"/>,
    /// accepted (the NPS took the case and disputes that the escalation was founded). An open escalation is declined,
    /// not disputed: declining is the NPS's answer to an unfounded request.
    /// </summary>
    public static DisputeSubject Escalation(Escalations.Escalation escalation, DisputeSubjectKind kind)
    {
        var (required, rule) = kind switch
        {
            DisputeSubjectKind.EscalationDecline => (Escalations.EscalationState.Declined, "escalation-not-declined"),
            DisputeSubjectKind.UnfoundedEscalation => (Escalations.EscalationState.Accepted, "escalation-not-accepted"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an escalation dispute."),
        };
        if (escalation.State != required)
        {
            throw new DomainRuleViolation(
                rule, $"A dispute of kind {kind} needs an escalation that is {required}; this one is {escalation.State}.");
        }

        return new(kind, escalation.Id, escalation.CaseId, escalation.Crn, escalation.NpsRegionCode, escalation.ProviderCode);
    }
}

/// <summary>Who wrote a statement or took an action: user id, name and organisation, as the token said.</summary>
public sealed record DisputeActor(string UserId, string Name, string OrganisationCode);

/// <summary>
/// A disagreement between the NPS and a provider about an allocation rejection or an escalation, with a route, a record
/// and an end: Local (team managers) -> Senior (heads of service) -> Resolved. Each open stage has a deadline in
/// working days; a Local stage past it moves up by itself (<see cref="Lapse"/>). While it is open the case stays
/// with its holder; a resolution may name a new holder, through <see cref="Case.HandOver"/>. Every statement is
/// kept, in order; every stage change is kept with its instant and cause. One open dispute per subject.
/// </summary>
public sealed class Dispute : AggregateRoot
{
    public const int TextMaxLength = 4000;
    public const string SystemActor = "system";

    private readonly List<DisputeStatement> _statements = [];
    private readonly List<DisputeStageChange> _stageChanges = [];

    private Dispute()
    {
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public DisputeSubjectKind SubjectKind { get; private set; }

    /// <summary>The allocation or escalation disputed.</summary>
    public Guid SubjectId { get; private set; }

    /// <summary>The NPS side: the organisation that proposed the allocation, or the region the escalation went to.</summary>
    public string NpsOrganisationCode { get; private set; } = null!;

    /// <summary>The provider side.</summary>
    public string ProviderCode { get; private set; } = null!;

    public string RaisedByOrganisationCode { get; private set; } = null!;
    public string RaisedBy { get; private set; } = null!;
    public DateTimeOffset RaisedAt { get; private set; }

    /// <summary>Why the decision is disputed, in the raising side's words (also the first statement).</summary>
    public string Grounds { get; private set; } = null!;

    public DisputeStage Stage { get; private set; }

    /// <summary>When the current stage began.</summary>
    public DateTimeOffset StageEnteredAt { get; private set; }

    /// <summary>How the current stage was reached (Raised, Request, Lapse).</summary>
    public DisputeStageCause StageReachedBy { get; private set; }

    /// <summary>The current open stage's time limit (end of its last working day); null once resolved.</summary>
    public DateTimeOffset? StageDueBy { get; private set; }

    public DisputeOutcome? Outcome { get; private set; }
    public string? OutcomeText { get; private set; }
    public string? ResolvedBy { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>On a resolution that moved the case: who holds it now, and the practitioner there.</summary>
    public string? NewHolderCode { get; private set; }
    public Guid? ResponsibleOfficerId { get; private set; }
    public string? CapacityAcknowledgement { get; private set; }

    /// <summary>The subject's id while open, null once resolved: a unique index allows one open dispute per subject.</summary>
    public Guid? OpenSubjectId { get; private set; }

    /// <summary>The case's id while open: what the case picture and bulk transfer look for.</summary>
    public Guid? OpenCaseId { get; private set; }

    public long Version { get; private set; }

    public IReadOnlyList<DisputeStatement> Statements => _statements;
    public IReadOnlyList<DisputeStageChange> StageChanges => _stageChanges;

    public bool IsOpen => Stage != DisputeStage.Resolved;

    /// <summary>
    /// A party disputes the subject, stating grounds: the Local stage begins, due in <paramref name="deadlines"/>' Local
    /// working days. <paramref name="raisedByOrganisation"/> is the party the caller stands for (the NPS side only for an
    /// unfounded escalation).
    /// </summary>
    public static Dispute Raise(Guid id, DisputeSubject subject, string raisedByOrganisation, bool raisedByNps, DisputeActor author, string grounds, DateTimeOffset at, DisputeDeadlines deadlines)
    {
        if (subject.Kind == DisputeSubjectKind.UnfoundedEscalation && !raisedByNps)
        {
            throw new DomainRuleViolation("unfounded-escalation-disputed-by-nps", "Only the NPS disputes an escalation as unfounded; a provider disputes a decline.");
        }

        if (raisedByOrganisation != subject.NpsOrganisationCode && raisedByOrganisation != subject.ProviderCode)
        {
            throw new ArgumentException($"{raisedByOrganisation} is not a party to {subject.Kind} {subject.Id}.", nameof(raisedByOrganisation));
        }

        RequireText(grounds, "grounds-required", "A dispute states its grounds.");
        var dispute = new Dispute
        {
            Id = id,
            CaseId = subject.CaseId,
            Crn = subject.Crn,
            SubjectKind = subject.Kind,
            SubjectId = subject.Id,
            NpsOrganisationCode = subject.NpsOrganisationCode,
            ProviderCode = subject.ProviderCode,
            RaisedByOrganisationCode = raisedByOrganisation,
            RaisedBy = author.UserId,
            RaisedAt = at,
            Grounds = grounds.Trim(),
            OpenSubjectId = subject.Id,
            OpenCaseId = subject.CaseId,
            Version = 1,
        };
        dispute.Enter(DisputeStage.Local, DisputeStageCause.Raised, author.UserId, at, deadlines);
        dispute._statements.Add(new DisputeStatement(Guid.CreateVersion7(at), id, 1, DisputeStage.Local, author, dispute.Grounds, at));
        dispute.Raise(new DisputeEvent("raised", $"{subject.Kind} disputed by {raisedByOrganisation}", dispute, at));
        return dispute;
    }

    /// <summary>A statement of either side, appended after every earlier one; statements are never changed or removed.</summary>
    public DisputeStatement AddStatement(DisputeActor author, string text, DateTimeOffset at)
    {
        EnsureOpen("add a statement to");
        RequireText(text, "statement-text-required", "A statement says something.");
        var statement = new DisputeStatement(Guid.CreateVersion7(at), Id, _statements.Count + 1, Stage, author, text.Trim(), at);
        _statements.Add(statement);
        Touch();
        Raise(new DisputeEvent("statement-added", $"Statement added to the dispute by {author.OrganisationCode}", this, at));
        return statement;
    }

    /// <summary>A manager of either side asks for the heads of service to take the dispute up before the Local deadline.</summary>
    public void MoveUp(string by, DateTimeOffset at, DisputeDeadlines deadlines)
    {
        EnsureLocal("move up");
        Enter(DisputeStage.Senior, DisputeStageCause.Request, by, at, deadlines);
        Touch();
        Raise(new DisputeEvent("moved-up", "Dispute moved up to the heads of service on request", this, at));
    }

    /// <summary>
    /// The Local stage passed its time limit: the service moves it up to the heads of service itself, as at
    /// <paramref name="at"/>. A Senior stage past its limit stays Senior (it is overdue); refused unless Local and due.
    /// </summary>
    public void Lapse(DateTimeOffset at, DisputeDeadlines deadlines)
    {
        EnsureLocal("move up by lapse");
        if (StageDueBy is not { } due || at <= due)
        {
            throw new DomainRuleViolation("dispute-stage-not-due", $"The Local stage is due by {StageDueBy:O}; it has not lapsed at {at:O}.");
        }

        Enter(DisputeStage.Senior, DisputeStageCause.Lapse, SystemActor, at, deadlines);
        Touch();
        Raise(new DisputeEvent("stage-lapsed", "Local stage of the dispute passed its time limit: moved up to the heads of service", this, at));
    }

    /// <summary>
    /// Ends the dispute with an outcome, leaving the case where it is. At the Senior stage only a head of service
    /// resolves (<paramref name="byHeadOfService"/>).
    /// </summary>
    public void Resolve(string by, bool byHeadOfService, DateTimeOffset at, DisputeOutcome outcome, string? text)
    {
        EnsureResolvable(byHeadOfService, outcome, text);
        Close(by, at, outcome, text);
    }

    /// <summary>
    /// Ends the dispute with an outcome that moves the case to <paramref name="responsibleOfficer"/>'s organisation (a
    /// party, not the holder now), through the one holder-change path: the old holding closes as the new one opens.
    /// </summary>
    public void Resolve(Case @case, string by, bool byHeadOfService, DateTimeOffset at, DisputeOutcome outcome, string? text, Practitioner responsibleOfficer, string? capacityAcknowledgement)
    {
        if (@case.Id != CaseId)
        {
            throw new ArgumentException($"Dispute {Id} is about case {CaseId}, not {@case.Id}.", nameof(@case));
        }

        EnsureResolvable(byHeadOfService, outcome, text);
        var to = responsibleOfficer.OrganisationCode;
        var from = EnsureMayMove(@case, to);
        @case.HandOver(from, to, at, $"Dispute resolved ({outcome})", responsibleOfficer);
        NewHolderCode = to;
        ResponsibleOfficerId = responsibleOfficer.Id;
        CapacityAcknowledgement = capacityAcknowledgement;
        Close(by, at, outcome, text);
    }

    /// <summary>
    /// Refuses a resolution that would move the case anywhere but from one party to the other: <paramref name="to"/>
    /// must be a party that does not hold the case now. Returns the party it moves from.
    /// </summary>
    public string EnsureMayMove(Case @case, string to)
    {
        var from = OtherParty(to)
            ?? throw new DomainRuleViolation("new-holder-not-a-party", $"The case may move only between the parties, {NpsOrganisationCode} and {ProviderCode}; {to} is neither.");
        if (@case.HolderOrganisationCode == to)
        {
            throw new DomainRuleViolation("already-holder", $"{to} already holds the case: resolve without a new holder.");
        }

        return from;
    }

    /// <summary>The party other than <paramref name="party"/>, or null when it is not a party.</summary>
    public string? OtherParty(string party) =>
        party == NpsOrganisationCode ? ProviderCode : party == ProviderCode ? NpsOrganisationCode : null;

    /// <summary>
    /// Refuses a resolution in the wrong stage or by the wrong level before anything else is read; the handler asks here
    /// first so that a closed dispute is refused by name.
    /// </summary>
    public void EnsureResolvable(bool byHeadOfService, DisputeOutcome outcome, string? text)
    {
        EnsureOpen("resolve");
        if (Stage == DisputeStage.Senior && !byHeadOfService)
        {
            throw new DomainRuleViolation("senior-stage-needs-head-of-service", "The dispute is with the heads of service: only a head of service resolves it now.");
        }

        if (outcome == DisputeOutcome.Agreed && string.IsNullOrWhiteSpace(text))
        {
            throw new DomainRuleViolation("outcome-text-required", "An Agreed outcome needs a text saying what was agreed.");
        }
    }

    /// <summary>
    /// Past the current stage's time limit at the instant given (Local or Senior). One definition for a dispute in
    /// memory and for queries; a lapsed Local stage moves up, a Senior one stays overdue.
    /// </summary>
    public static readonly Expression<Func<Dispute, DateTimeOffset, bool>> OverdueAt = (d, now) =>
        d.Stage != DisputeStage.Resolved && d.StageDueBy != null && d.StageDueBy < now;

    /// <summary>A Local stage past its limit: what the sweep moves up.</summary>
    public static readonly Expression<Func<Dispute, DateTimeOffset, bool>> LapsedAt = (d, now) =>
        d.Stage == DisputeStage.Local && d.StageDueBy != null && d.StageDueBy < now;

    private static readonly Func<Dispute, DateTimeOffset, bool> IsOverdueAt = OverdueAt.Compile();

    public bool IsOverdue(DateTimeOffset now) => IsOverdueAt(this, now);

    private void Close(string by, DateTimeOffset at, DisputeOutcome outcome, string? text)
    {
        var before = Stage;
        Outcome = outcome;
        OutcomeText = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        ResolvedBy = by;
        ResolvedAt = at;
        OpenSubjectId = null;
        OpenCaseId = null;
        Stage = DisputeStage.Resolved;
        StageEnteredAt = at;
        StageReachedBy = DisputeStageCause.Request;
        StageDueBy = null;
        _stageChanges.Add(new DisputeStageChange(Guid.CreateVersion7(at), Id, _stageChanges.Count + 1, before, DisputeStage.Resolved, DisputeStageCause.Request, by, at, null));
        Touch();
        Raise(new DisputeEvent("resolved", $"Dispute resolved: {outcome}", this, at));
    }

    private void Enter(DisputeStage stage, DisputeStageCause cause, string by, DateTimeOffset at, DisputeDeadlines deadlines)
    {
        var before = _stageChanges.Count == 0 ? (DisputeStage?)null : Stage;
        Stage = stage;
        StageEnteredAt = at;
        StageReachedBy = cause;
        StageDueBy = deadlines.DueBy(stage, at);
        _stageChanges.Add(new DisputeStageChange(Guid.CreateVersion7(at), Id, _stageChanges.Count + 1, before, stage, cause, by, at, StageDueBy));
    }

    private void EnsureLocal(string action)
    {
        EnsureOpen(action);
        if (Stage == DisputeStage.Senior)
        {
            throw new DomainRuleViolation("dispute-already-senior", $"Cannot {action} a dispute that is already with the heads of service.");
        }
    }

    private void EnsureOpen(string action)
    {
        if (!IsOpen)
        {
            throw new DomainRuleViolation("dispute-resolved", $"Cannot {action} a dispute that was already resolved.");
        }
    }

    private static void RequireText(string? text, string rule, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DomainRuleViolation(rule, message);
        }
    }

    private void Touch() => Version++;
}

/// <summary>One statement in a dispute: append-only, numbered in order, with its author and instant.</summary>
public sealed class DisputeStatement
{
    private DisputeStatement()
    {
    }

    public DisputeStatement(Guid id, Guid disputeId, int sequence, DisputeStage stage, DisputeActor author, string text, DateTimeOffset at)
    {
        Id = id;
        DisputeId = disputeId;
        Sequence = sequence;
        Stage = stage;
        AuthorUserId = author.UserId;
        AuthorName = author.Name;
        AuthorOrganisationCode = author.OrganisationCode;
        Text = text;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid DisputeId { get; private set; }
    public int Sequence { get; private set; }
    public DisputeStage Stage { get; private set; }
    public string AuthorUserId { get; private set; } = null!;
    public string AuthorName { get; private set; } = null!;
    public string AuthorOrganisationCode { get; private set; } = null!;
    public string Text { get; private set; } = null!;
    public DateTimeOffset At { get; private set; }
}

/// <summary>One change of a dispute's stage: from, to, why (request or lapse), who, when, and the new stage's deadline.</summary>
public sealed class DisputeStageChange
{
    private DisputeStageChange()
    {
    }

    public DisputeStageChange(Guid id, Guid disputeId, int sequence, DisputeStage? from, DisputeStage to, DisputeStageCause cause, string by, DateTimeOffset at, DateTimeOffset? dueBy)
    {
        Id = id;
        DisputeId = disputeId;
        Sequence = sequence;
        From = from;
        To = to;
        Cause = cause;
        By = by;
        At = at;
        DueBy = dueBy;
    }

    public Guid Id { get; private set; }
    public Guid DisputeId { get; private set; }
    public int Sequence { get; private set; }
    public DisputeStage? From { get; private set; }
    public DisputeStage To { get; private set; }
    public DisputeStageCause Cause { get; private set; }
    public string By { get; private set; } = null!;
    public DateTimeOffset At { get; private set; }
    public DateTimeOffset? DueBy { get; private set; }
}

/// <summary>Time limits of a dispute's open stages, in working days (England and Wales), each due at the end of its last day, London time.</summary>
public sealed record DisputeDeadlines
{
    public const int DefaultLocalStageWorkingDays = 5;
    public const int DefaultSeniorStageWorkingDays = 10;

    public static readonly DisputeDeadlines Default = new(DefaultLocalStageWorkingDays, DefaultSeniorStageWorkingDays);

    public DisputeDeadlines(int localStageWorkingDays, int seniorStageWorkingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(localStageWorkingDays);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seniorStageWorkingDays);
        LocalStageWorkingDays = localStageWorkingDays;
        SeniorStageWorkingDays = seniorStageWorkingDays;
    }

    public int LocalStageWorkingDays { get; }
    public int SeniorStageWorkingDays { get; }

    public DateTimeOffset? DueBy(DisputeStage stage, DateTimeOffset enteredAt) => stage switch
    {
        DisputeStage.Local => WorkingDays.DueBy(enteredAt, LocalStageWorkingDays),
        DisputeStage.Senior => WorkingDays.DueBy(enteredAt, SeniorStageWorkingDays),
        _ => null,
    };
}

/// <summary>
/// A change to a dispute that partner systems hear about (<c>case-transfer.dispute.{kind}</c>), with the stage, its
/// deadline and how it was reached, so a consumer (the dispute-stage-overdue alert) can watch it without reading it.
/// </summary>
public sealed record DisputeEvent(
    string Kind,
    string Description,
    string Crn,
    Guid DisputeId,
    DisputeSubjectKind SubjectKind,
    Guid SubjectId,
    string NpsOrganisation,
    string Provider,
    DisputeStage Stage,
    DateTimeOffset? StageDueBy,
    DisputeStageCause StageReachedBy,
    DisputeOutcome? Outcome,
    string? NewHolder,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [NpsOrganisation, Provider];

    public DisputeEvent(string kind, string description, Dispute dispute, DateTimeOffset at)
        : this(
            kind,
            description,
            dispute.Crn.Value,
            dispute.Id,
            dispute.SubjectKind,
            dispute.SubjectId,
            dispute.NpsOrganisationCode,
            dispute.ProviderCode,
            dispute.Stage,
            dispute.StageDueBy,
            dispute.StageReachedBy,
            dispute.Outcome,
            dispute.NewHolderCode,
            at)
    {
    }

    public string EventType => $"case-transfer.dispute.{Kind}";
    string? IDomainEvent.Crn => Crn;
}
