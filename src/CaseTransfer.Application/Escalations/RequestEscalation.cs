using System.Text.Json.Serialization;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Escalations;

/// <summary>
/// A case manager of the provider holding a case asks the NPS region covering it to take it: a coded reason, the
/// urgency, the risk assessment it rests on (named by id, or recorded with the request through the same path as any
/// risk assessment), what happened, and references to supporting documents. Requesting discloses the case to the
/// region, so the audit entry is a disclosure naming it.
/// </summary>
/// <param name="RiskAssessmentId">An assessment of this case already recorded; or leave it out and send <paramref name="RiskAssessment"/>.</param>
/// <param name="RiskAssessment">A new assessment, recorded with the request (as POST /cases/{crn}/risk-assessments records one).</param>
/// <param name="TriggeringEvents">What happened, in words.</param>
/// <param name="DocumentReferences">
/// Optional references to supporting documents in the provider's or a partner's system: opaque to this service (which
/// holds no documents yet), checked for shape only, at most 20, each 1 to 150 letters, digits and <c>. _ : / # -</c>.
/// </param>
[Authorise(Roles.CaseManager)]
public sealed record RequestEscalation(
    string Crn,
    EscalationReason? Reason,
    string? ReasonText,
    EscalationUrgency? Urgency,
    Guid? RiskAssessmentId,
    RiskAssessmentInput? RiskAssessment,
    string? TriggeringEvents,
    IReadOnlyList<string>? DocumentReferences) : ICommand<EscalationView>, ICaseMessage, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Disclosure;

    [JsonIgnore]
    public string? AuditSummary => "escalation requested";
}

public sealed class RequestEscalationValidator : AbstractValidator<RequestEscalation>
{
    public RequestEscalationValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.Reason).Required();
        RuleFor(c => c.ReasonText).NotEmpty().WithMessage("is required when the reason is Other").When(c => c.Reason == EscalationReason.Other);
        RuleFor(c => c.ReasonText).MustBeEscalationText();
        RuleFor(c => c.Urgency).Required();
        RuleFor(c => c.RiskAssessmentId).NotNull().WithMessage("is required unless riskAssessment is given").When(c => c.RiskAssessment is null);
        RuleFor(c => c.RiskAssessmentId).Null().WithMessage("give riskAssessmentId or riskAssessment, not both").When(c => c.RiskAssessment is not null);
        RuleFor(c => c.RiskAssessment!).SetValidator(new RiskAssessmentInputValidator()).When(c => c.RiskAssessment is not null);
        RuleFor(c => c.TriggeringEvents).NotEmpty().WithMessage("is required")
            .MaximumLength(Escalation.TriggeringEventsMaxLength).WithMessage($"must be at most {Escalation.TriggeringEventsMaxLength} characters");
        RuleFor(c => c.DocumentReferences)
            .Must(r => r is null || r.Count <= Escalation.MaxDocumentReferences).WithMessage($"must list at most {Escalation.MaxDocumentReferences} references")
            .Must(r => r is null || r.Distinct(StringComparer.Ordinal).Count() == r.Count).WithMessage("must not repeat a reference");
        RuleForEach(c => c.DocumentReferences).Must(EscalationValidation.IsDocumentReference)
            .WithMessage($"must be 1 to {Escalation.DocumentReferenceMaxLength} characters matching {EscalationValidation.DocumentReferencePattern}");
    }
}

public sealed class RequestEscalationHandler(
    IAppDbContext db,
    CaseAccess cases,
    RiskAssessmentRecorder recorder,
    EscalationViews views,
    EscalationOptions options,
    ICaller caller,
    TimeProvider clock) : ICommandHandler<RequestEscalation, EscalationView>
{
    public async ValueTask<EscalationView> Handle(RequestEscalation command, CancellationToken cancellationToken)
    {
        // Only a provider escalates; the NPS is refused whatever the CRN, so the answer says nothing about the case.
        if (await cases.CallerOrganisationAsync(cancellationToken) is not { Kind: OrganisationKind.Provider } provider)
        {
            throw new ForbiddenException("Only a provider escalates a case it holds; the NPS region covering the case acknowledges and decides.");
        }

        var crn = Crn.Parse(command.Crn);
        var subject = (await CaseFactsReader.ReadVisibleAsync(db, cases, crn, cancellationToken) ?? throw new NotFoundException("Case", command.Crn)).Facts;

        // Checked first for a clear answer; two requests racing past it are stopped by the unique open-case index.
        if (await db.Escalations.AnyAsync(e => e.OpenCaseId == subject.CaseId, cancellationToken))
        {
            throw new DomainRuleViolation("escalation-already-open", $"Case {command.Crn} already has an open escalation; withdraw it or wait for its decision.");
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var (assessment, caseView, caseVersion) = command.RiskAssessment is { } input
            ? await RecordAsync(command.Crn, input, id, subject.Area, cancellationToken)
            : (await NamedAsync(command.RiskAssessmentId!.Value, subject.CaseId, cancellationToken), subject.View, subject.CaseVersion);
        var escalation = Escalation.Request(
            id,
            subject.CaseId,
            crn,
            provider,
            subject.Area,
            command.Reason!.Value,
            command.ReasonText,
            command.Urgency!.Value,
            assessment,
            command.TriggeringEvents!,
            command.DocumentReferences ?? [],
            caller.UserId,
            now,
            options.Deadlines);
        db.Escalations.Add(escalation);
        return views.Requested(escalation, caseView, RiskAssessmentView.From(command.Crn, assessment, caseVersion));
    }

    /// <summary>Records the assessment sent with the request, through the one recording path; the case is read again, tracked, to change it.</summary>
    private async Task<(RiskAssessment, AllocationCaseView, long)> RecordAsync(
        string crn, RiskAssessmentInput input, Guid escalationId, Area area, CancellationToken cancellationToken)
    {
        var @case = await cases.GetForChangeAsync(crn, cancellationToken);
        var recorded = await recorder.RecordAsync(@case, input, escalationId, cancellationToken);
        return (recorded.Assessment, AllocationViews.CaseView(@case, area.Name, recorded.Current.Facts), @case.Version);
    }

    private async Task<RiskAssessment> NamedAsync(Guid id, Guid caseId, CancellationToken cancellationToken) =>
        await db.RiskAssessments.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.CaseId == caseId, cancellationToken)
            ?? throw new ValidationException([new ValidationFailure("riskAssessmentId", "is not a risk assessment of this case")]);
}
