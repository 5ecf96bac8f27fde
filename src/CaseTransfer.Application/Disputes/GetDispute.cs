using System.Linq.Expressions;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Disputes;
using CaseTransfer.Domain.Identifiers;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Disputes;

/// <summary>One dispute, as either party sees it. Reading it consults case data and is logged.</summary>
[Authorise(Roles.TeamManager, Roles.HeadOfService, Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetDispute(Guid Id) : IQuery<DisputeView>, IConsultation
{
    public AuditFacts Consulted(object result) => ((DisputeView)result).Consulted(nameof(GetDispute));
}

public sealed class GetDisputeValidator : AbstractValidator<GetDispute>
{
    public GetDisputeValidator() => RuleFor(q => q.Id).MustBeDisputeId();
}

public sealed class GetDisputeHandler(DisputeAccess access, TimeProvider clock) : IQueryHandler<GetDispute, DisputeView>
{
    public async ValueTask<DisputeView> Handle(GetDispute query, CancellationToken cancellationToken) =>
        DisputeView.From(await access.GetVisibleAsync(query.Id, cancellationToken), clock.GetUtcNow());
}

/// <summary>
/// The disputes the caller's organisation is a party to, oldest first, filtered by stage, case, or whether the
/// current stage is past its limit. Each page read is logged: it shows case data.
/// </summary>
[Authorise(Roles.TeamManager, Roles.HeadOfService, Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record ListDisputes(DisputeStage? Stage, string? Crn, bool? Overdue, int? Limit, string? Cursor) : IQuery<Page<DisputeView>>, IConsultation
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation,
        nameof(ListDisputes),
        Crn is not null && Domain.Identifiers.Crn.IsValid(Crn) ? Crn : null,
        "disputes",
        null,
        null,
        $"{((Page<DisputeView>)result).Items.Count} disputes; filters: {string.Join(", ", Filters())}");

    private IEnumerable<string> Filters()
    {
        if (Stage is not null) yield return $"stage={Stage}";
        if (Crn is not null) yield return "crn";
        if (Overdue is not null) yield return $"overdue={Overdue}";
    }
}

public sealed class ListDisputesValidator : AbstractValidator<ListDisputes>
{
    public ListDisputesValidator()
    {
        RuleFor(q => q.Crn).Must(c => c is null || Crn.IsValid(c)).WithMessage($"must match {Crn.Pattern}");
        RuleFor(q => q.Limit).InclusiveBetween(1, ListDisputes.MaxLimit).WithMessage($"must be from 1 to {ListDisputes.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage("is not a cursor this service issued");
    }
}

public sealed class ListDisputesHandler(DisputeAccess access, TimeProvider clock) : IQueryHandler<ListDisputes, Page<DisputeView>>
{
    public async ValueTask<Page<DisputeView>> Handle(ListDisputes query, CancellationToken cancellationToken)
    {
        var disputes = (await access.VisibleAsync(cancellationToken)).AsNoTracking();
        if (query.Stage is { } stage)
        {
            disputes = disputes.Where(d => d.Stage == stage);
        }

        if (query.Crn is not null)
        {
            var crn = Crn.Parse(query.Crn);
            disputes = disputes.Where(d => d.Crn == crn);
        }

        var now = clock.GetUtcNow();
        if (query.Overdue is { } overdue)
        {
            var overdueNow = QueryParts.Bind(Dispute.OverdueAt, now);
            disputes = disputes.Where(overdue
                ? overdueNow
                : Expression.Lambda<Func<Dispute, bool>>(Expression.Not(overdueNow.Body), overdueNow.Parameters));
        }

        if (query.Cursor is not null)
        {
            var after = Guid.Parse(query.Cursor);
            disputes = disputes.Where(d => d.Id.CompareTo(after) > 0);
        }

        // Ids are UUID v7, so their order is the order disputes were raised.
        var limit = query.Limit ?? ListDisputes.DefaultLimit;
        var page = await DisputeAccess.WithRecord(disputes.OrderBy(d => d.Id).Take(limit + 1)).ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(d => DisputeView.From(d, now)).ToList();
        return new Page<DisputeView>(items, page.Count > limit ? items[^1].Id.ToString() : null);
    }
}
