using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// The allocations the caller sees (its own proposals, or those sent to it), oldest first, filtered by state, case, or
/// whether the provider's deadline has passed. Each page read is logged: it shows case data.
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Manager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record ListAllocations(AllocationState? State, string? Crn, bool? Overdue, int? Limit, string? Cursor)
    : IQuery<Page<AllocationView>>, IConsultation
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation,
        nameof(ListAllocations),
        Crn is not null && Domain.Identifiers.Crn.IsValid(Crn) ? Crn : null,
        "allocations",
        null,
        null,
        $"{((Page<AllocationView>)result).Items.Count} allocations; filters: {string.Join(", ", Filters())}");

    private IEnumerable<string> Filters()
    {
        if (State is not null) yield return $"state={State}";
        if (Crn is not null) yield return "crn";
        if (Overdue is not null) yield return $"overdue={Overdue}";
    }
}

public sealed class ListAllocationsValidator : AbstractValidator<ListAllocations>
{
    public ListAllocationsValidator()
    {
        RuleFor(q => q.Crn).Must(c => c is null || Crn.IsValid(c)).WithMessage($"must match {Crn.Pattern}");
        RuleFor(q => q.Limit).InclusiveBetween(1, ListAllocations.MaxLimit).WithMessage($"must be from 1 to {ListAllocations.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage("is not a cursor this service issued");
    }
}

public sealed class ListAllocationsHandler(AllocationAccess access, AllocationViews views, TimeProvider clock)
    : IQueryHandler<ListAllocations, Page<AllocationView>>
{
    public async ValueTask<Page<AllocationView>> Handle(ListAllocations query, CancellationToken cancellationToken)
    {
        var allocations = (await access.VisibleAsync(cancellationToken)).AsNoTracking();
        if (query.State is { } state)
        {
            allocations = allocations.Where(a => a.State == state);
        }

        if (query.Crn is not null)
        {
            var crn = Crn.Parse(query.Crn);
            allocations = allocations.Where(a => a.Crn == crn);
        }

        if (query.Overdue is { } overdue)
        {
            // As Allocation.IsOverdue: still waiting for the provider and past its deadline.
            var now = clock.GetUtcNow();
            allocations = overdue
                ? allocations.Where(a => a.State == AllocationState.Proposed && a.DueBy < now)
                : allocations.Where(a => a.State != AllocationState.Proposed || a.DueBy >= now);
        }

        if (query.Cursor is not null)
        {
            var after = Guid.Parse(query.Cursor);
            allocations = allocations.Where(a => a.Id.CompareTo(after) > 0);
        }

        // Ids are UUID v7, so their order is the order of proposal.
        var limit = query.Limit ?? ListAllocations.DefaultLimit;
        var page = await allocations.OrderBy(a => a.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = await views.ForAsync([.. page.Take(limit)], cancellationToken);
        return new Page<AllocationView>(items, page.Count > limit ? items[^1].Id.ToString() : null);
    }
}
