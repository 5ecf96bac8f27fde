using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Sharing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Sharing;

/// <summary>One request, as the requester and the organisation asked see it.</summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager, Roles.Allocator, Roles.EscalationDecider, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetInformationRequest(Guid Id) : IQuery<InformationRequestView>, IConsultation
{
    public AuditFacts Consulted(object result) => ((InformationRequestView)result).Consulted(nameof(GetInformationRequest));
}

public sealed class GetInformationRequestValidator : AbstractValidator<GetInformationRequest>
{
    public GetInformationRequestValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class GetInformationRequestHandler(SharingAccess access) : IQueryHandler<GetInformationRequest, InformationRequestView>
{
    public async ValueTask<InformationRequestView> Handle(GetInformationRequest query, CancellationToken cancellationToken) =>
        InformationRequestView.From(
            await access.GetVisibleRequestAsync(query.Id, tracked: false, cancellationToken), access.Now, await access.CodesAsync(cancellationToken));
}

/// <summary>Which requests a list shows: those the caller's organisation was asked (to answer), or those it made.</summary>
public enum RequestDirection
{
    Received,
    Sent,
}

/// <summary>The requests the caller's organisation was asked or made, oldest first; filtered by state, case, and whether overdue.</summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager, Roles.Allocator, Roles.EscalationDecider, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin, Roles.PartnerSystem)]
public sealed record ListInformationRequests(RequestDirection? Direction, InformationRequestState? State, string? Crn, bool? Overdue, int? Limit, string? Cursor)
    : IQuery<Page<InformationRequestView>>, IConsultation, ISharingList
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public AuditFacts Consulted(object result) => ((ISharingList)this).ListConsulted(
        nameof(ListInformationRequests), "information-requests",
        $"{((Page<InformationRequestView>)result).Items.Count} requests; direction={Direction ?? RequestDirection.Received}");
}

public sealed class ListInformationRequestsValidator() : SharingListValidator<ListInformationRequests>(ListInformationRequests.MaxLimit);


public sealed class ListInformationRequestsHandler(IAppDbContext db, SharingAccess access) : IQueryHandler<ListInformationRequests, Page<InformationRequestView>>
{
    public async ValueTask<Page<InformationRequestView>> Handle(ListInformationRequests query, CancellationToken cancellationToken)
    {
        var codes = await access.CodesAsync(cancellationToken);
        var now = access.Now;
        var requests = query.Direction == RequestDirection.Sent
            ? db.InformationRequests.Where(r => codes.Contains(r.RequesterOrganisationCode))
            : db.InformationRequests.Where(r => codes.Contains(r.AddresseeOrganisationCode));
        if (query.State is { } state)
        {
            requests = requests.Where(r => r.State == state);
        }

        if (query.Crn is not null)
        {
            var crn = Crn.Parse(query.Crn);
            requests = requests.Where(r => r.Crn == crn);
        }

        if (query.Overdue is { } overdue)
        {
            requests = overdue
                ? requests.Where(r => r.State == InformationRequestState.Requested && r.DueBy <= now)
                : requests.Where(r => r.State != InformationRequestState.Requested || r.DueBy > now);
        }

        if (query.Cursor is not null)
        {
            var after = Guid.Parse(query.Cursor);
            requests = requests.Where(r => r.Id.CompareTo(after) > 0);
        }

        var limit = query.Limit ?? ListInformationRequests.DefaultLimit;
        var page = await requests.AsNoTracking().OrderBy(r => r.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(r => InformationRequestView.From(r, now, codes)).ToList();
        return new Page<InformationRequestView>(items, page.Count > limit ? items[^1].Id.ToString() : null);
    }
}
