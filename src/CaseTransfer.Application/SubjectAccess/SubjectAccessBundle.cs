using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Disputes;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Sharing;
using CaseTransfer.Domain.SubjectAccess;
using CaseTransfer.Domain.VictimLiaison;

namespace CaseTransfer.Application.SubjectAccess;

/// <summary>
/// Everything the service holds on one person over a period, for a subject access request: the JSON bundle (the PDF
/// says the same for the person). Staff appear as their role at their organisation; what was withheld, and why, is in
/// <see cref="Withheld"/>. Each list holds the records made within the period, oldest first.
/// </summary>
public sealed record SubjectAccessBundle(
    Guid RequestId,
    string Reference,
    DateTimeOffset GeneratedAt,
    DateOnly? From,
    DateOnly? To,
    BundleSubject Subject,
    BundleCaseRecord CaseRecord,
    IReadOnlyList<BundleName> Names,
    IReadOnlyList<BundleRiskAssessment> RiskAssessments,
    IReadOnlyList<BundleTier> Tiers,
    IReadOnlyList<BundleHolding> Holdings,
    IReadOnlyList<BundleAllocation> Allocations,
    IReadOnlyList<BundleEscalation> Escalations,
    IReadOnlyList<BundleDispute> Disputes,
    IReadOnlyList<BundleInformationRequest> InformationRequests,
    IReadOnlyList<BundleShare> Shares,
    IReadOnlyList<BundleDocument> Documents,
    IReadOnlyList<BundleVictimCondition> VictimConditions,
    IReadOnlyList<BundleDisclosure> DisclosureLog,
    IReadOnlyList<WithheldItem> Withheld);

/// <summary>Who the bundle is about.</summary>
public sealed record BundleSubject(string Crn, string FirstName, string? MiddleNames, string LastName, DateOnly DateOfBirth, string? PncId, string? NomsNumber);

/// <summary>The case record as it stands: who holds it, its sentence, its tier.</summary>
public sealed record BundleCaseRecord(
    string AreaCode,
    string HolderOrganisation,
    DateTimeOffset HeldSince,
    string? Tier,
    SentenceType SentenceType,
    DateOnly SentenceDate,
    DateOnly? StartDate,
    DateOnly? ExpectedEndDate,
    DateOnly? ReleaseDate,
    DateOnly? LicenceEndDate,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A name the person has been known by (an alias, a maiden name, a misspelling recorded as such).</summary>
public sealed record BundleName(OtherNameKind Kind, string FirstName, string? MiddleNames, string LastName, DateTimeOffset RecordedAt, string RecordedBy);

public sealed record BundleRiskAssessment(
    DateOnly AssessedOn,
    RoshLevel RiskOfSeriousHarm,
    decimal? RsrPercent,
    decimal? OgrsPercent,
    MappaCategory MappaCategory,
    MappaLevel MappaLevel,
    string? Tier,
    string Flags,
    DateTimeOffset RecordedAt,
    string RecordedBy);

public sealed record BundleTier(string? Tier, int ProtectPoints, int ChangePoints, string RulesetVersion, DateTimeOffset ComputedAt);

/// <summary>A period during which one organisation held the case.</summary>
public sealed record BundleHolding(string Organisation, DateTimeOffset From, DateTimeOffset? To, string Reason, string? ResponsibleOfficer);

/// <summary>An allocation of the case from one organisation to another, with the rules' decision and the people's.</summary>
public sealed record BundleAllocation(
    Guid Id,
    string FromOrganisation,
    string ToOrganisation,
    AllocationReason Reason,
    string? ReasonText,
    string RulesOrganisation,
    string RulesetVersion,
    bool IsOverride,
    string? OverrideJustification,
    string ProposedBy,
    DateTimeOffset ProposedAt,
    string? ApprovedBy,
    AllocationState State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    AllocationRejectionReason? RejectionReason,
    string? DecisionText);

public sealed record BundleEscalation(
    Guid Id,
    string Provider,
    string NpsRegion,
    EscalationReason Reason,
    string? ReasonText,
    EscalationUrgency Urgency,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    EscalationState State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    EscalationAcceptanceReason? AcceptanceReason,
    EscalationDeclineReason? DeclineReason,
    string? DecisionText);

public sealed record BundleDispute(
    Guid Id,
    DisputeSubjectKind SubjectKind,
    string RaisedBy,
    DateTimeOffset RaisedAt,
    string Grounds,
    DisputeStage Stage,
    DisputeOutcome? Outcome,
    string? OutcomeText,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<BundleDisputeStatement> Statements);

public sealed record BundleDisputeStatement(DisputeStage Stage, string Author, string Text, DateTimeOffset At);

public sealed record BundleInformationRequest(
    Guid Id,
    string RequestedBy,
    string Addressee,
    InformationType Type,
    string? OtherType,
    string Purpose,
    LawfulBasis LawfulBasis,
    DateTimeOffset RequestedAt,
    InformationRequestState State,
    DateTimeOffset? AnsweredAt,
    WithholdingReason? RefusalReason);

/// <summary>Information about the person given to another organisation, with what was given (its content as written).</summary>
public sealed record BundleShare(
    Guid Id,
    string SharedBy,
    string Recipient,
    InformationType Type,
    string? OtherType,
    string Purpose,
    LawfulBasis LawfulBasis,
    ShareMode Mode,
    DateTimeOffset SharedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? Content);

/// <summary>A document held about the person: its metadata, never its contents.</summary>
public sealed record BundleDocument(Guid Id, string Owner, string UploadedBy, DateTimeOffset UploadedAt, string FileName, string? Title, string ContentType, long Length, string Sha256);

/// <summary>A condition the person must keep to protect a victim; who the victim is, is withheld.</summary>
public sealed record BundleVictimCondition(VictimConditionKind Kind, string Description, string? Place, DateOnly StartsOn, DateOnly? EndsOn, DateTimeOffset RecordedAt, DateTimeOffset? EndedAt);

/// <summary>One consultation or disclosure of the person's data: who (by role and organisation), when, what, why and to whom.</summary>
public sealed record BundleDisclosure(
    DateTimeOffset OccurredAt,
    AuditOperation Operation,
    string Action,
    string By,
    string? ResourceType,
    string? Justification,
    string? Recipients);
