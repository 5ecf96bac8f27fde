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

/// <summary>One share: its sharer always, its recipients while it is live. Each read is on the record with the share's purpose and basis.</summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager, Roles.Allocator, Roles.EscalationDecider, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetShare(Guid Id) : IQuery<ShareView>, IConsultation
{
    public AuditFacts Consulted(object result) => ((ShareView)result).Consulted(nameof(GetShare));
}

public sealed class GetShareValidator : AbstractValidator<GetShare>
{
    public GetShareValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class GetShareHandler(SharingAccess access, ShareMaker maker) : IQueryHandler<GetShare, ShareView>
{
    public async ValueTask<ShareView> Handle(GetShare query, CancellationToken cancellationToken) =>
        await maker.ViewAsync(await access.GetVisibleShareAsync(query.Id, cancellationToken), cancellationToken);
}

/// <summary>Which shares a list shows: those the caller's organisation sent, or those it receives (live only).</summary>
public enum ShareDirection
{
    Received,
    Sent,
}

/// <summary>
/// The shares the caller sees, newest first: received (live, naming the caller where they name people) or sent (all,
/// with whether each is still live). Filtered by case and, for sent ones, live or not.
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager, Roles.Allocator, Roles.EscalationDecider, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin, Roles.PartnerSystem)]
public sealed record ListShares(ShareDirection? Direction, string? Crn, bool? Live, int? Limit, string? Cursor) : IQuery<Page<ShareView>>, IConsultation, ISharingList
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public AuditFacts Consulted(object result) => ((ISharingList)this).ListConsulted(
        nameof(ListShares), "shares", $"{((Page<ShareView>)result).Items.Count} shares; direction={Direction ?? ShareDirection.Received}");
}

public sealed class ListSharesValidator() : SharingListValidator<ListShares>(ListShares.MaxLimit);


public sealed class ListSharesHandler(IAppDbContext db, SharingAccess access) : IQueryHandler<ListShares, Page<ShareView>>
{
    public async ValueTask<Page<ShareView>> Handle(ListShares query, CancellationToken cancellationToken)
    {
        var codes = await access.CodesAsync(cancellationToken);
        var now = access.Now;
        var shares = query.Direction == ShareDirection.Sent
            ? db.Shares.Where(s => codes.Contains(s.SharerOrganisationCode))
            : await access.ReceivedLiveSharesAsync(cancellationToken);
        if (query.Crn is not null)
        {
            var crn = Crn.Parse(query.Crn);
            shares = shares.Where(s => s.Crn == crn);
        }

        if (query.Live is { } live)
        {
            shares = live ? shares.Where(s => s.RevokedAt == null && s.ExpiresAt > now) : shares.Where(s => s.RevokedAt != null || s.ExpiresAt <= now);
        }

        if (query.Cursor is not null)
        {
            var before = Guid.Parse(query.Cursor);
            shares = shares.Where(s => s.Id.CompareTo(before) < 0);
        }

        // Ids are UUID v7: newest first is descending id.
        var limit = query.Limit ?? ListShares.DefaultLimit;
        var page = await SharingAccess.WithParts(shares.AsNoTracking().OrderByDescending(s => s.Id).Take(limit + 1)).ToListAsync(cancellationToken);
        var items = await ShareView.ForAsync(db, [.. page.Take(limit)], codes, now, cancellationToken);
        return new Page<ShareView>(items, page.Count > limit ? items[^1].Id.ToString() : null);
    }
}

/// <summary>A list of shares or requests: optionally about one case, paged by an id cursor.</summary>
public interface ISharingList
{
    string? Crn { get; }
    int? Limit { get; }
    string? Cursor { get; }

    /// <summary>The consultation entry for a page of <paramref name="resource"/>: the case when one was asked for, and counts only.</summary>
    AuditFacts ListConsulted(string action, string resource, string summary) => new(
        AuditOperation.Consultation, action, Crn is not null && Domain.Identifiers.Crn.IsValid(Crn) ? Crn : null, resource, null, null, summary);
}

/// <summary>The shape rules every sharing list shares: a CRN, a limit up to <c>maxLimit</c>, a cursor this service issued.</summary>
public abstract class SharingListValidator<T> : AbstractValidator<T>
    where T : ISharingList
{
    protected SharingListValidator(int maxLimit)
    {
        RuleFor(q => q.Crn).Must(c => c is null || Crn.IsValid(c)).WithMessage($"must match {Crn.Pattern}");
        RuleFor(q => q.Limit).InclusiveBetween(1, maxLimit).WithMessage($"must be from 1 to {maxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage("is not a cursor this service issued");
    }
}
