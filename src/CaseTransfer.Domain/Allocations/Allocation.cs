using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Allocations;

public enum AllocationState
{
    /// <summary>An override waiting for a second NPS manager's approval; the provider has not been sent it.</summary>
    AwaitingApproval,

    /// <summary>Sent to the provider, which must accept or reject it by the deadline.</summary>
    Proposed,
    Accepted,
    Rejected,
    Withdrawn,

    /// <summary>An override the approving manager refused; it was never sent.</summary>
    Refused,
}

/// <summary>Why the NPS proposes the allocation.</summary>
public enum AllocationReason
{
    NewSentence,
    TransferIn,
    ChangeInTierOrRisk,
    ChangeOfAddress,
    RiskToStaff,
    Other,
}

/// <summary>Why a provider rejects an allocation.</summary>
public enum AllocationRejectionReason
{
    OutsideProviderArea,
    RiskAboveProviderThreshold,
    InsufficientInformation,
    ConflictOfInterest,
    Other,
}

/// <summary>
/// A proposal by the NPS to hand a case it holds to a provider, with the rules' decision it was made against. It is
/// an override when it goes against that decision: then it needs a justification and a second NPS manager's approval
/// before the provider sees it. Exactly one open allocation per case (<see cref="OpenCaseId"/> is unique).
/// </summary>
public sealed class Allocation : AggregateRoot
{
    public const int TextMaxLength = 1000;

    private Allocation()
    {
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public string AreaCode { get; private set; } = null!;
    public string FromOrganisationCode { get; private set; } = null!;
    public string ToOrganisationCode { get; private set; } = null!;
    public AllocationReason Reason { get; private set; }
    public string? ReasonText { get; private set; }

    /// <summary>The rules' decision at the time of proposal: outcome, where it sends the case, whether facts were missing.</summary>
    public AllocationOutcome RulesOutcome { get; private set; }
    public string RulesOrganisationCode { get; private set; } = null!;
    public bool RulesProvisional { get; private set; }
    public string RulesetVersion { get; private set; } = null!;
    public string RulesetHash { get; private set; } = null!;

    /// <summary>The facts the rules read, as JSON, so the decision can be re-run later under any ruleset.</summary>
    public string FactsJson { get; private set; } = null!;

    /// <summary>The whole decision with every rule and the facts it read, as JSON.</summary>
    public string DecisionJson { get; private set; } = null!;

    public bool IsOverride { get; private set; }
    public string? OverrideJustification { get; private set; }

    public string ProposedBy { get; private set; } = null!;
    public DateTimeOffset ProposedAt { get; private set; }
    public string? ApprovedBy { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }

    /// <summary>When the provider was sent it (at proposal, or at approval for an override), and when it must decide by.</summary>
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? DueBy { get; private set; }

    public AllocationState State { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public AllocationRejectionReason? RejectionReason { get; private set; }

    /// <summary>The text given with a rejection, a withdrawal or a refusal.</summary>
    public string? DecisionText { get; private set; }

    /// <summary>On acceptance: the practitioner the provider gave the case to.</summary>
    public Guid? ResponsibleOfficerId { get; private set; }

    /// <summary>On acceptance over 100% capacity: the figures the person accepting saw and acknowledged, as JSON.</summary>
    public string? CapacityAcknowledgement { get; private set; }

    /// <summary>The case id while the allocation is open, null once closed: a unique index allows one open allocation per case.</summary>
    public Guid? OpenCaseId { get; private set; }

    public long Version { get; private set; }

    public bool IsOpen => State is AllocationState.AwaitingApproval or AllocationState.Proposed;

    public static Allocation Propose(
        Guid id,
        Guid caseId,
        Crn crn,
        string areaCode,
        string fromOrganisationCode,
        string toOrganisationCode,
        AllocationReason reason,
        string? reasonText,
        RulesDecision rules,
        string? justification,
        string proposedBy,
        DateTimeOffset at,
        DateTimeOffset dueBy)
    {
        if (reason == AllocationReason.Other && string.IsNullOrWhiteSpace(reasonText))
        {
            throw new DomainRuleViolation("reason-text-required", "A reason of Other needs a text saying what it is.");
        }

        // Against the rules, or on incomplete facts (a provisional outcome), the proposal is an override: someone must
        // say why and a second manager must agree, so no case leaves the NPS on a silent default.
        var isOverride = rules.Outcome != AllocationOutcome.AllocateToProvider
            || rules.Provisional
            || rules.OrganisationCode != toOrganisationCode;
        if (isOverride && string.IsNullOrWhiteSpace(justification))
        {
            throw new DomainRuleViolation(
                "override-needs-justification",
                rules.Provisional
                    ? $"The rules' outcome is provisional (missing: {string.Join(", ", rules.MissingFacts)}); proposing on it is an override and needs a justification."
                    : $"The rules send this case to {rules.OrganisationCode}; proposing it to {toOrganisationCode} is an override and needs a justification.");
        }

        var allocation = new Allocation
        {
            Id = id,
            CaseId = caseId,
            Crn = crn,
            AreaCode = areaCode,
            FromOrganisationCode = fromOrganisationCode,
            ToOrganisationCode = toOrganisationCode,
            Reason = reason,
            ReasonText = string.IsNullOrWhiteSpace(reasonText) ? null : reasonText.Trim(),
            RulesOutcome = rules.Outcome,
            RulesOrganisationCode = rules.OrganisationCode,
            RulesProvisional = rules.Provisional,
            RulesetVersion = rules.RulesetVersion,
            RulesetHash = rules.RulesetHash,
            FactsJson = rules.FactsJson,
            DecisionJson = rules.DecisionJson,
            IsOverride = isOverride,
            OverrideJustification = isOverride ? justification!.Trim() : null,
            ProposedBy = proposedBy,
            ProposedAt = at,
            State = isOverride ? AllocationState.AwaitingApproval : AllocationState.Proposed,
            OpenCaseId = caseId,
            Version = 1,
        };
        if (isOverride)
        {
            allocation.Raise(new AllocationEvent("override-requested", "Allocation override awaiting a manager's approval", allocation, at));
        }
        else
        {
            allocation.Send(at, dueBy);
        }

        return allocation;
    }

    /// <summary>A second NPS manager approves an override; it is sent to the provider with a fresh deadline.</summary>
    public void Approve(string approvedBy, DateTimeOffset at, DateTimeOffset dueBy)
    {
        Ensure(AllocationState.AwaitingApproval, "approve");
        if (string.Equals(approvedBy, ProposedBy, StringComparison.Ordinal))
        {
            throw new DomainRuleViolation("approver-is-proposer", "An override needs the approval of a second person, not the one who proposed it.");
        }

        ApprovedBy = approvedBy;
        ApprovedAt = at;
        Touch();
        Raise(new AllocationEvent("override-approved", "Allocation override approved by a manager", this, at));
        Send(at, dueBy);
    }

    /// <summary>The approving manager refuses the override; the case stays with the NPS.</summary>
    public void Refuse(string refusedBy, DateTimeOffset at, string text)
    {
        Ensure(AllocationState.AwaitingApproval, "refuse");
        if (string.Equals(refusedBy, ProposedBy, StringComparison.Ordinal))
        {
            throw new DomainRuleViolation("approver-is-proposer", "Only a second person can refuse an override; the proposer may withdraw it.");
        }

        Close(AllocationState.Refused, refusedBy, at, text);
        Raise(new AllocationEvent("override-refused", "Allocation override refused by a manager", this, at));
    }

    /// <summary>The provider accepts and names the practitioner who will hold the case.</summary>
    public void Accept(string acceptedBy, DateTimeOffset at, Guid responsibleOfficerId, string? capacityAcknowledgement)
    {
        Ensure(AllocationState.Proposed, "accept");
        ResponsibleOfficerId = responsibleOfficerId;
        CapacityAcknowledgement = capacityAcknowledgement;
        Close(AllocationState.Accepted, acceptedBy, at, null);
        Raise(new AllocationEvent("accepted", "Allocation accepted by the provider", this, at));
    }

    /// <summary>
    /// The provider accepts and the case moves to it, with the practitioner it named, at the same instant. Refused when
    /// the case has since left the organisation that proposed it: the provider would take it from someone else.
    /// </summary>
    public void Accept(Case @case, string acceptedBy, DateTimeOffset at, Practitioner responsibleOfficer, string? capacityAcknowledgement)
    {
        if (@case.Id != CaseId)
        {
            throw new ArgumentException($"Allocation {Id} is for case {CaseId}, not {@case.Id}.", nameof(@case));
        }

        Ensure(AllocationState.Proposed, "accept");

        // The case first: a refusal (case-moved, an officer of another organisation) leaves the allocation as it was.
        @case.HandOver(FromOrganisationCode, ToOrganisationCode, at, $"Allocation accepted ({Reason})", responsibleOfficer);
        Accept(acceptedBy, at, responsibleOfficer.Id, capacityAcknowledgement);
    }

    /// <summary>The provider rejects with a reason; the case stays with the NPS.</summary>
    public void Reject(string rejectedBy, DateTimeOffset at, AllocationRejectionReason reason, string? text)
    {
        Ensure(AllocationState.Proposed, "reject");
        if (reason == AllocationRejectionReason.Other && string.IsNullOrWhiteSpace(text))
        {
            throw new DomainRuleViolation("reason-text-required", "A rejection reason of Other needs a text saying what it is.");
        }

        RejectionReason = reason;
        Close(AllocationState.Rejected, rejectedBy, at, text);
        Raise(new AllocationEvent("rejected", "Allocation rejected by the provider", this, at));
    }

    /// <summary>The NPS withdraws the proposal before the provider decides.</summary>
    public void Withdraw(string withdrawnBy, DateTimeOffset at, string? text)
    {
        if (!IsOpen)
        {
            throw Closed("withdraw");
        }

        Close(AllocationState.Withdrawn, withdrawnBy, at, text);
        Raise(new AllocationEvent("withdrawn", "Allocation withdrawn by the NPS", this, at));
    }

    public bool IsOverdue(DateTimeOffset now) => State == AllocationState.Proposed && DueBy is { } due && now > due;

    private void Send(DateTimeOffset at, DateTimeOffset dueBy)
    {
        if (dueBy <= at)
        {
            throw new ArgumentOutOfRangeException(nameof(dueBy), "The deadline must be after the instant the allocation is sent.");
        }

        State = AllocationState.Proposed;
        SentAt = at;
        DueBy = dueBy;
        Raise(new AllocationEvent("proposed", "Case allocation proposed to a provider", this, at));
    }

    private void Close(AllocationState state, string by, DateTimeOffset at, string? text)
    {
        State = state;
        DecidedBy = by;
        DecidedAt = at;
        DecisionText = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        OpenCaseId = null;
        Touch();
    }

    private void Ensure(AllocationState expected, string action)
    {
        if (State != expected)
        {
            throw IsOpen
                ? new DomainRuleViolation($"allocation-not-{Kebab(expected)}", $"Cannot {action} an allocation that is {Kebab(State)}; it must be {Kebab(expected)}.")
                : Closed(action);
        }
    }

    private DomainRuleViolation Closed(string action) =>
        new($"allocation-{Kebab(State)}", $"Cannot {action} an allocation that was already {Kebab(State)}.");

    private static string Kebab(AllocationState state) => state switch
    {
        AllocationState.AwaitingApproval => "awaiting-approval",
        _ => state.ToString().ToLowerInvariant(),
    };

    private void Touch() => Version++;
}

/// <summary>The parts of the rules' decision an allocation keeps, with the whole decision and its facts as JSON.</summary>
public sealed record RulesDecision(
    AllocationOutcome Outcome,
    string OrganisationCode,
    bool Provisional,
    IReadOnlyList<string> MissingFacts,
    string RulesetVersion,
    string RulesetHash,
    string FactsJson,
    string DecisionJson);

/// <summary>A change to an allocation that partner systems hear about (<c>case-transfer.allocation.{kind}</c>).</summary>
public sealed record AllocationEvent(
    string Kind,
    string Description,
    string Crn,
    Guid AllocationId,
    string FromOrganisation,
    string ToOrganisation,
    bool IsOverride,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [FromOrganisation, ToOrganisation];

    public AllocationEvent(string kind, string description, Allocation allocation, DateTimeOffset at)
        : this(kind, description, allocation.Crn.Value, allocation.Id, allocation.FromOrganisationCode, allocation.ToOrganisationCode, allocation.IsOverride, at)
    {
    }

    public string EventType => $"case-transfer.allocation.{Kind}";
    string? IDomainEvent.Crn => Crn;
}
