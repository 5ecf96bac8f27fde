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
    public async ValueTask<AllocationView> Handle(AcceptAllocation command, CancellationToken cancellationToken)
    {
        // The provider does not hold the case yet, so it is loaded by the allocation, not through CaseAccess. One round
        // trip reads the allocation, its case with holdings (both tracked), the answer's area name and current risk
        // (accepting changes neither; two scalar subqueries rather than one row, since SQLite has no APPLY; the same
        // order picks the same assessment), and the practitioner named.
        var officerId = command.ResponsibleOfficerId!.Value;
        var newestFirst = db.RiskAssessments.NewestFirst(); // Inlined into the query below, then narrowed to the case.
        return await changes.ApplyAsync(
            command.Id,
            AllocationSide.Receiver,
            command.ExpectedVersion,
            allocations =>
                from a in allocations
                join c in db.Cases.Include(c => c.Holdings) on a.CaseId equals c.Id
                join p in db.Practitioners on officerId equals p.Id into named
                from practitioner in named.DefaultIfEmpty()
                select new
                {
                    Allocation = a,
                    Case = c,
                    AreaName = db.Areas.Where(r => r.Code == c.AreaCode).Select(r => r.Name).First(),
                    RiskTier = newestFirst.Where(r => r.CaseId == c.Id).Select(r => r.Facts.Tier).FirstOrDefault(),
                    Rosh = newestFirst.Where(r => r.CaseId == c.Id).Select(r => (RoshLevel?)r.Facts.Rosh).FirstOrDefault(),
                    Practitioner = practitioner,
                },
            read => read.Allocation,
            async read =>
            {
                var (allocation, @case) = (read.Allocation, read.Case);
                var (practitioner, acknowledgement) = await assignment.PrepareAsync(
                    @case, allocation.ToOrganisationCode, read.Practitioner, command.CapacityAcknowledgement, cancellationToken);
                allocation.Accept(@case, caller.UserId, clock.GetUtcNow(), practitioner, acknowledgement);
                return AllocationViews.CaseView(@case, read.AreaName, read.RiskTier, read.Rosh);
            },
            cancellationToken);
    }
}
