using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Organisations;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// The provider accepts and names the practitioner who will hold the case: the case moves to the provider in the same
/// transaction, through the one gate for giving a case to a practitioner (capacity, exclusions).
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager)]
public sealed record AcceptAllocation(Guid Id, Guid? ResponsibleOfficerId, CapacityAcknowledgement? CapacityAcknowledgement, IfMatch? ExpectedVersion)
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
        await changes.ApplyAsync(
            command.Id,
            AllocationSide.Receiver,
            command.ExpectedVersion,
            codes => Read.For(db)((DbContext)db, codes, command.Id, command.ResponsibleOfficerId!.Value, cancellationToken),
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

    /// <summary>
    /// The provider does not hold the case yet, so it is loaded by the allocation, not through CaseAccess. One round
    /// trip (compiled: every accept runs it) reads the allocation as the caller sees it (<see cref="AllocationAccess.Sees"/>),
    /// its case with holdings (both tracked), the answer's area name and current risk (accepting changes neither; two
    /// scalar subqueries rather than one row, since SQLite has no APPLY; the same order picks the same assessment), and
    /// the practitioner named (a left join on the id).
    /// </summary>
    private static readonly CompiledQuery<Func<DbContext, IReadOnlyList<string>, Guid, Guid, CancellationToken, Task<AcceptRead?>>> Read = new(() =>
        EF.CompileAsyncQuery(QueryParts.Expand<Func<DbContext, IReadOnlyList<string>, Guid, Guid, CancellationToken, AcceptRead?>>((db, codes, id, officerId, ct) =>
            (from a in db.Set<Allocation>()
             where a.Id == id && AllocationAccess.Sees(a, codes)
             join c in db.Set<Case>().Include(c => c.Holdings) on a.CaseId equals c.Id
             join p in db.Set<Practitioner>() on officerId equals p.Id into named
             from practitioner in named.DefaultIfEmpty()
             select new AcceptRead
             {
                 Allocation = a,
                 Case = c,
                 AreaName = db.Set<Area>().Where(r => r.Code == c.AreaCode).Select(r => r.Name).First(),
                 RiskTier = db.Set<RiskAssessment>().NewestFirst().Where(r => r.CaseId == c.Id).Select(r => r.Facts.Tier).FirstOrDefault(),
                 Rosh = db.Set<RiskAssessment>().NewestFirst().Where(r => r.CaseId == c.Id).Select(r => (RoshLevel?)r.Facts.Rosh).FirstOrDefault(),
                 Practitioner = practitioner,
             }).SingleOrDefault())));

    private sealed class AcceptRead
    {
        public required Allocation Allocation { get; init; }
        public required Case Case { get; init; }
        public required string AreaName { get; init; }
        public string? RiskTier { get; init; }
        public RoshLevel? Rosh { get; init; }
        public Practitioner? Practitioner { get; init; }
    }
}
