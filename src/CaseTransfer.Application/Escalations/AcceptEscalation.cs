using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Escalations;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Escalations;

/// <summary>
/// The NPS region covering the case takes it, naming the practitioner there who holds it, through the one gate for
/// giving a case to a practitioner (capacity, exclusions) as an allocation's acceptance does. In one transaction: the
/// provider's holding closes and the region's opens at the same instant, the provider is granted read-only sight of
/// the case for the handover period, and the events say so.
/// </summary>
[Authorise(Roles.EscalationDecider)]
public sealed record AcceptEscalation(
    Guid Id, EscalationAcceptanceReason? Reason, string? Text, Guid? ResponsibleOfficerId, CapacityAcknowledgement? CapacityAcknowledgement, IfMatch? ExpectedVersion)
    : EscalationAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => $"escalation accepted: {Reason}; case holder changed";
}

public sealed class AcceptEscalationValidator : EscalationActionValidator<AcceptEscalation>
{
    public AcceptEscalationValidator()
    {
        RuleFor(c => c.Reason).Required();
        RuleFor(c => c.Text).MustBeEscalationText();
        RuleFor(c => c.Text).NotEmpty().WithMessage("is required when the reason is Other or ProfessionalJudgement")
            .When(c => c.Reason is EscalationAcceptanceReason.Other or EscalationAcceptanceReason.ProfessionalJudgement);
        RuleFor(c => c.ResponsibleOfficerId).Required();
        RuleFor(c => c.CapacityAcknowledgement!).SetValidator(new CapacityAcknowledgementValidator()).When(c => c.CapacityAcknowledgement is not null);
    }
}

public sealed class AcceptEscalationHandler(
    IAppDbContext db, EscalationAccess access, EscalationViews views, PractitionerAssignment assignment, EscalationOptions options, ICaller caller, TimeProvider clock)
    : ICommandHandler<AcceptEscalation, EscalationView>
{
    public async ValueTask<EscalationView> Handle(AcceptEscalation command, CancellationToken cancellationToken)
    {
        var escalation = await access.GetForChangeAsync(command.Id, EscalationSide.Decider, command.ExpectedVersion, cancellationToken);
        var before = escalation.State;

        // The state first, so a closed escalation is refused by name before any practitioner's figures are read.
        escalation.EnsureAwaitingDecision("accept");
        var @case = await db.Cases.Include(c => c.Holdings).SingleAsync(c => c.Id == escalation.CaseId, cancellationToken);
        var (practitioner, acknowledgement) = await assignment.PrepareAsync(
            @case, escalation.NpsRegionCode, command.ResponsibleOfficerId!.Value, command.CapacityAcknowledgement, cancellationToken);
        var grant = escalation.Accept(
            @case, caller.UserId, clock.GetUtcNow(), command.Reason!.Value, command.Text, practitioner, acknowledgement, options.Handover);
        db.CaseAccessGrants.Add(grant);
        return await views.ChangedAsync(escalation, before, @case, cancellationToken);
    }
}
