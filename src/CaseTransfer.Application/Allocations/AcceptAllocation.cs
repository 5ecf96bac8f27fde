using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// The provider accepts and names the practitioner who will hold the case: the case moves to the provider in the same
/// transaction, through the one gate for giving a case to a practitioner (capacity, exclusions).
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager)]
public sealed record AcceptAllocation(Guid Id, Guid? ResponsibleOfficerId, CapacityAcknowledgement? CapacityAcknowledgement, long? ExpectedVersion)
    : ICommand<AllocationView>, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "allocation accepted; case holder changed";
}

public sealed class AcceptAllocationValidator : AbstractValidator<AcceptAllocation>
{
    public AcceptAllocationValidator()
    {
        RuleFor(c => c.Id).MustBeAllocationId();
        RuleFor(c => c.ResponsibleOfficerId).Required();
        RuleFor(c => c.CapacityAcknowledgement!).SetValidator(new CapacityAcknowledgementValidator()).When(c => c.CapacityAcknowledgement is not null);
    }
}

public sealed class AcceptAllocationHandler(
    IAppDbContext db, AllocationChanges changes, AllocationViews views, PractitionerAssignment assignment, ICaller caller, TimeProvider clock)
    : ICommandHandler<AcceptAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(AcceptAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command.Id, AllocationSide.Receiver, command.ExpectedVersion, async allocation =>
        {
            // The provider does not hold the case yet, so it is loaded by the allocation, not through CaseAccess.
            var @case = await db.Cases.Include(c => c.Holdings).SingleAsync(c => c.Id == allocation.CaseId, cancellationToken);
            var (practitioner, acknowledgement) = await assignment.PrepareAsync(
                @case, allocation.ToOrganisationCode, command.ResponsibleOfficerId!.Value, command.CapacityAcknowledgement, cancellationToken);
            allocation.Accept(@case, caller.UserId, clock.GetUtcNow(), practitioner, acknowledgement);
            return await views.CaseViewAsync(@case, cancellationToken);
        }, cancellationToken);
}
