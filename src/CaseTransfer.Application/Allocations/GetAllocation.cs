using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>One allocation, as its proposer or its receiving provider sees it. Reading it consults case data and is logged.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Manager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetAllocation(Guid Id) : IQuery<AllocationView>, IConsultation
{
    public AuditFacts Consulted(object result) => ((ICaseWorkflowView)result).Consulted(nameof(GetAllocation));
}

public sealed class GetAllocationValidator : AbstractValidator<GetAllocation>
{
    public GetAllocationValidator() => RuleFor(q => q.Id).MustBeAllocationId();
}

public sealed class GetAllocationHandler(AllocationAccess access, AllocationViews views) : IQueryHandler<GetAllocation, AllocationView>
{
    public async ValueTask<AllocationView> Handle(GetAllocation query, CancellationToken cancellationToken)
    {
        var visible = await access.VisibleAsync(cancellationToken);
        var allocation = await visible.AsNoTracking().SingleOrDefaultAsync(a => a.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Allocation", query.Id.ToString());
        return await views.ForAsync(allocation, cancellationToken);
    }
}
