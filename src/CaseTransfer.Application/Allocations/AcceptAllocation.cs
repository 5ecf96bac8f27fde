using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
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
    IAppDbContext db, AllocationChanges changes, PractitionerAssignment assignment, ICaller caller, TimeProvider clock)
    : ICommandHandler<AcceptAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(AcceptAllocation command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command.Id, AllocationSide.Receiver, command.ExpectedVersion, async allocation =>
        {
            // The provider does not hold the case yet, so it is loaded by the allocation, not through CaseAccess; the
            // answer's area name and current risk come in the same round trip (accepting changes neither).
            var caseId = allocation.CaseId;
            var risks = db.RiskAssessments.Where(r => r.CaseId == caseId).NewestFirst(); // Inlined into the one query below.
            var read = await db.Cases.Include(c => c.Holdings)
                .Where(c => c.Id == caseId)
                .Select(c => new
                {
                    Case = c,
                    AreaName = db.Areas.Where(a => a.Code == c.AreaCode).Select(a => a.Name).First(),
                    // Two scalar subqueries rather than one row (SQLite has no APPLY); the same order picks the same assessment.
                    RiskTier = risks.Select(r => r.Facts.Tier).FirstOrDefault(),
                    Rosh = risks.Select(r => (RoshLevel?)r.Facts.Rosh).FirstOrDefault(),
                })
                .SingleAsync(cancellationToken);
            var @case = read.Case;
            var (practitioner, acknowledgement) = await assignment.PrepareAsync(
                @case, allocation.ToOrganisationCode, command.ResponsibleOfficerId!.Value, command.CapacityAcknowledgement, cancellationToken);
            allocation.Accept(@case, caller.UserId, clock.GetUtcNow(), practitioner, acknowledgement);
            return AllocationViews.CaseView(@case, read.AreaName, read.RiskTier, read.Rosh);
        }, cancellationToken);
}
