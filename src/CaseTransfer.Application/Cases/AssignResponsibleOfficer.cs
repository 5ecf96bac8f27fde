using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Application.Workload;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Cases;

/// <summary>Names the practitioner, in the organisation holding the case, who is responsible for it.</summary>
[Authorise(Roles.CaseManager, Roles.Allocator)]
public sealed record AssignResponsibleOfficer(string Crn, Guid? PractitionerId, CapacityAcknowledgement? CapacityAcknowledgement, IfMatch? ExpectedVersion)
    : ICommand<CaseChanged>, ICaseMessage, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "responsibleOfficer";
}

public sealed class AssignResponsibleOfficerValidator : AbstractValidator<AssignResponsibleOfficer>
{
    public AssignResponsibleOfficerValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.PractitionerId).Required();
        RuleFor(c => c.CapacityAcknowledgement!).SetValidator(new CapacityAcknowledgementValidator()).When(c => c.CapacityAcknowledgement is not null);
    }
}

public sealed class AssignResponsibleOfficerHandler(CaseAccess access, PractitionerAssignment assignment, TimeProvider clock)
    : ICommandHandler<AssignResponsibleOfficer, CaseChanged>
{
    public async ValueTask<CaseChanged> Handle(AssignResponsibleOfficer command, CancellationToken cancellationToken)
    {
        var @case = await access.GetForChangeAsync(command.Crn, cancellationToken);
        CaseAccess.EnsureVersion(@case, command.ExpectedVersion);
        var (practitioner, acknowledgement) = await assignment.PrepareAsync(
            @case, @case.HolderOrganisationCode, command.PractitionerId!.Value, command.CapacityAcknowledgement, cancellationToken);
        var previous = @case.ResponsibleOfficerId;
        @case.AssignResponsibleOfficer(practitioner, clock.GetUtcNow(), acknowledgement);
        return new CaseChanged(@case.Crn.Value, @case.Version)
        {
            ChangeSummary = $"responsibleOfficerId: {previous?.ToString() ?? "none"} -> {practitioner.Id}"
                + (acknowledgement is null ? "" : "; capacityAcknowledgement: over capacity, acknowledged"),
        };
    }
}
