using System.Linq.Expressions;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Identifiers;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Escalations;

/// <summary>One escalation, as the provider that requested it or the NPS region deciding it sees it. Reading it consults case data and is logged.</summary>
[Authorise(Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetEscalation(Guid Id) : IQuery<EscalationView>, IConsultation
{
    public AuditFacts Consulted(object result) => ((ICaseWorkflowView)result).Consulted(nameof(GetEscalation));
}

public sealed class GetEscalationValidator : AbstractValidator<GetEscalation>
{
    public GetEscalationValidator() => RuleFor(q => q.Id).MustBeEscalationId();
}

public sealed class GetEscalationHandler(EscalationAccess access, EscalationViews views) : IQueryHandler<GetEscalation, EscalationView>
{
    public async ValueTask<EscalationView> Handle(GetEscalation query, CancellationToken cancellationToken) =>
        (await views.ForAsync([await access.GetVisibleAsync(query.Id, cancellationToken)], cancellationToken))[0];
}

/// <summary>
/// The escalations the caller sees (its own requests, or those sent to its region), oldest first, filtered by state,
/// case, or whether the deadline that applies now has passed. Each page read is logged: it shows case data.
/// </summary>
[Authorise(Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record ListEscalations(EscalationState? State, string? Crn, bool? Overdue, int? Limit, string? Cursor)
    : IQuery<Page<EscalationView>>, IConsultation
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation,
        nameof(ListEscalations),
        Crn is not null && Domain.Identifiers.Crn.IsValid(Crn) ? Crn : null,
        "escalations",
        null,
        null,
        $"{((Page<EscalationView>)result).Items.Count} escalations; filters: {string.Join(", ", Filters())}");

    private IEnumerable<string> Filters()
    {
        if (State is not null) yield return $"state={State}";
        if (Crn is not null) yield return "crn";
        if (Overdue is not null) yield return $"overdue={Overdue}";
    }
}

public sealed class ListEscalationsValidator : AbstractValidator<ListEscalations>
{
    public ListEscalationsValidator()
    {
        RuleFor(q => q.Crn).Must(c => c is null || Crn.IsValid(c)).WithMessage($"must match {Crn.Pattern}");
        RuleFor(q => q.Limit).InclusiveBetween(1, ListEscalations.MaxLimit).WithMessage($"must be from 1 to {ListEscalations.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage("is not a cursor this service issued");
    }
}

public sealed class ListEscalationsHandler(EscalationAccess access, EscalationViews views, TimeProvider clock)
    : IQueryHandler<ListEscalations, Page<EscalationView>>
{
    public async ValueTask<Page<EscalationView>> Handle(ListEscalations query, CancellationToken cancellationToken)
    {
        var escalations = (await access.VisibleAsync(cancellationToken)).AsNoTracking();
        if (query.State is { } state)
        {
            escalations = escalations.Where(e => e.State == state);
        }

        if (query.Crn is not null)
        {
            var crn = Crn.Parse(query.Crn);
            escalations = escalations.Where(e => e.Crn == crn);
        }

        if (query.Overdue is { } overdue)
        {
            var overdueNow = QueryParts.Bind(Escalation.OverdueAt, clock.GetUtcNow());
            escalations = escalations.Where(overdue
                ? overdueNow
                : Expression.Lambda<Func<Escalation, bool>>(Expression.Not(overdueNow.Body), overdueNow.Parameters));
        }

        if (query.Cursor is not null)
        {
            var after = Guid.Parse(query.Cursor);
            escalations = escalations.Where(e => e.Id.CompareTo(after) > 0);
        }

        // Ids are UUID v7, so their order is the order of request.
        var limit = query.Limit ?? ListEscalations.DefaultLimit;
        var page = await escalations.OrderBy(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = await views.ForAsync([.. page.Take(limit)], cancellationToken);
        return new Page<EscalationView>(items, page.Count > limit ? items[^1].Id.ToString() : null);
    }
}
