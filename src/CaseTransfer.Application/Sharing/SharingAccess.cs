using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Documents;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Sharing;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Sharing;

/// <summary>Settings of information sharing (<c>Sharing:*</c>), checked at start.</summary>
public sealed record SharingOptions
{
    public const string Section = "Sharing";
    public const int DefaultMaximumDays = 90;

    /// <summary>The longest a share may last: its expiry is required and at most this many days ahead.</summary>
    public int MaximumDays { get; init; } = DefaultMaximumDays;

    public TimeSpan MaximumDuration => TimeSpan.FromDays(MaximumDays);

    public SharingOptions Validate() => MaximumDays is >= 1 and <= 3_650
        ? this
        : throw new InvalidOperationException($"{Section}:{nameof(MaximumDays)} must be from 1 to 3650, not {MaximumDays}.");
}

/// <summary>
/// Who sees what of information sharing. A share: its sharer organisation always (for the record); its recipient
/// organisation, or only the people it names, while it is live; nobody else. A request: the requester and addressee
/// organisations. A document: its owner organisation, and the recipients of a live share that gives it. Anything
/// else is a 404, as for something that never existed. The NPS sees what its regions see, as for cases.
/// </summary>
public sealed class SharingAccess(IAppDbContext db, CaseAccess cases, ICaller caller, TimeProvider clock)
{
    public DateTimeOffset Now => clock.GetUtcNow();

    public SharingParty Caller() => new(caller.OrganisationCode, caller.UserId, caller.UserName);

    public Task<IReadOnlyList<string>> CodesAsync(CancellationToken cancellationToken) => cases.VisibleHolderCodesAsync(cancellationToken);

    /// <summary>The shares the caller sees: sent by its organisation, or received and live (naming the caller, where it names people).</summary>
    public async Task<IQueryable<Share>> VisibleSharesAsync(CancellationToken cancellationToken)
    {
        var codes = await CodesAsync(cancellationToken);
        var (user, now) = (caller.UserId, Now);
        return db.Shares.Where(QueryParts.Expand<Func<Share, bool>>(s => codes.Contains(s.SharerOrganisationCode) || CaseAccess.ShareReaches(s, codes, user, now)));
    }

    /// <summary>The live shares the caller receives (not those its organisation sent).</summary>
    public async Task<IQueryable<Share>> ReceivedLiveSharesAsync(CancellationToken cancellationToken)
    {
        var codes = await CodesAsync(cancellationToken);
        return (await cases.SharesReachingCallerAsync(cancellationToken)).Where(s => !codes.Contains(s.SharerOrganisationCode));
    }

    /// <summary>The share with its recipients and documents, untracked; 404 when the caller cannot see it.</summary>
    public async Task<Share> GetVisibleShareAsync(Guid id, CancellationToken cancellationToken) =>
        await WithParts(await VisibleSharesAsync(cancellationToken)).AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("Share", id.ToString());

    /// <summary>The share, tracked, for its sharer's change: 404 unless the caller's organisation sent it, 412 when stale.</summary>
    public async Task<Share> GetOwnShareForChangeAsync(Guid id, IfMatch? expectedVersion, CancellationToken cancellationToken)
    {
        var codes = await CodesAsync(cancellationToken);
        var visible = await VisibleSharesAsync(cancellationToken);
        var share = await WithParts(visible).SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("Share", id.ToString());
        if (!codes.Contains(share.SharerOrganisationCode))
        {
            throw new ForbiddenException("Only the organisation that shared the information may revoke it.");
        }

        IfMatch.Ensure(expectedVersion, "share", share.Version);
        return share;
    }

    /// <summary>The requests the caller's organisation made or was asked.</summary>
    public async Task<IQueryable<InformationRequest>> VisibleRequestsAsync(CancellationToken cancellationToken)
    {
        var codes = await CodesAsync(cancellationToken);
        return db.InformationRequests.Where(r => codes.Contains(r.RequesterOrganisationCode) || codes.Contains(r.AddresseeOrganisationCode));
    }

    public async Task<InformationRequest> GetVisibleRequestAsync(Guid id, bool tracked, CancellationToken cancellationToken)
    {
        var requests = await VisibleRequestsAsync(cancellationToken);
        return await (tracked ? requests : requests.AsNoTracking()).SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new NotFoundException("Information request", id.ToString());
    }

    /// <summary>
    /// A request for the side that must act on it: the addressee answers, the requester withdraws. The other side, which
    /// sees the request, gets a 403 naming who acts; 412 when stale.
    /// </summary>
    public async Task<InformationRequest> GetRequestForChangeAsync(Guid id, bool asAddressee, IfMatch? expectedVersion, CancellationToken cancellationToken)
    {
        var request = await GetVisibleRequestAsync(id, tracked: true, cancellationToken);
        var codes = await CodesAsync(cancellationToken);
        if (!codes.Contains(asAddressee ? request.AddresseeOrganisationCode : request.RequesterOrganisationCode))
        {
            throw new ForbiddenException(asAddressee
                ? $"Only the organisation asked ({request.AddresseeOrganisationCode}) answers this request."
                : $"Only the organisation that asked ({request.RequesterOrganisationCode}) withdraws this request.");
        }

        // Whoever acts on a request acts on its case: a member of staff the case's lists keep from it does not.
        if (!await cases.CasesTheListsAllow().AnyAsync(c => c.Id == request.CaseId, cancellationToken))
        {
            throw new NotFoundException("Information request", id.ToString());
        }

        IfMatch.Ensure(expectedVersion, "information request", request.Version);
        return request;
    }

    /// <summary>
    /// The documents the caller sees, each with the live shares through which it sees it (none for its own organisation's).
    /// An infected document is seen by its owner organisation only.
    /// </summary>
    public async Task<(Document Document, bool Owner, IReadOnlyList<Share> Through)> GetVisibleDocumentAsync(Guid id, CancellationToken cancellationToken)
    {
        var codes = await CodesAsync(cancellationToken);
        var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new NotFoundException("Document", id.ToString());
        if (codes.Contains(document.OwnerOrganisationCode))
        {
            return (document, true, []);
        }

        // An infected document is its owner organisation's sight alone, whatever shares give it.
        if (document.ScanStatus == ScanStatus.Infected)
        {
            throw new NotFoundException("Document", id.ToString());
        }

        var received = await ReceivedLiveSharesAsync(cancellationToken);
        var through = await received.AsNoTracking().Where(s => s.Documents.Any(d => d.DocumentId == id)).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return through.Count == 0 ? throw new NotFoundException("Document", id.ToString()) : (document, false, through);
    }

    /// <summary>
    /// The case, for an organisation that gives information about it: it holds or has held the case, or it is asked
    /// about it by an open request; and for a member of staff its exclusion and restriction lists do not keep from it
    /// (<see cref="CaseAccess.CasesTheListsAllow"/>). Anyone else gets a 404, as for a case they cannot see.
    /// </summary>
    public async Task<(Guid Id, Crn Crn)> CaseToGiveAboutAsync(string crn, CancellationToken cancellationToken)
    {
        var codes = await CodesAsync(cancellationToken);
        var id = Crn.Parse(crn);
        var found = await cases.CasesTheListsAllow().AsNoTracking()
            .Where(c => c.Crn == id && (codes.Contains(c.HolderOrganisationCode)
                || db.CaseHoldings.Any(h => h.CaseId == c.Id && codes.Contains(h.OrganisationCode))
                || db.InformationRequests.Any(r => r.CaseId == c.Id && r.State == InformationRequestState.Requested && codes.Contains(r.AddresseeOrganisationCode))))
            .Select(c => (Guid?)c.Id)
            .SingleOrDefaultAsync(cancellationToken);
        return found is { } caseId ? (caseId, id) : throw new NotFoundException("Case", crn);
    }

    /// <summary>
    /// The case, for an organisation asking about it: it holds it (and sees it), or an open allocation or escalation
    /// asks it to take it; in either case the case's lists must not keep the caller from it. Anyone else gets a 404.
    /// </summary>
    public async Task<(Guid Id, Crn Crn)> CaseToAskAboutAsync(string crn, CancellationToken cancellationToken)
    {
        var codes = await CodesAsync(cancellationToken);
        var id = Crn.Parse(crn);
        var held = await (await cases.VisibleCasesAsync(cancellationToken)).Where(c => c.Crn == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
        var found = held ?? await cases.CasesTheListsAllow().AsNoTracking()
            .Where(c => c.Crn == id && (db.Allocations.Any(a => a.OpenCaseId == c.Id && codes.Contains(a.ToOrganisationCode))
                || db.Escalations.Any(e => e.OpenCaseId == c.Id && codes.Contains(e.NpsRegionCode))))
            .Select(c => (Guid?)c.Id)
            .SingleOrDefaultAsync(cancellationToken);
        return found is { } caseId ? (caseId, id) : throw new NotFoundException("Case", crn);
    }

    /// <summary>400 naming <paramref name="field"/> unless <paramref name="code"/> is an organisation the service knows.</summary>
    public async Task EnsureOrganisationAsync(string code, string field, CancellationToken cancellationToken)
    {
        if (await cases.OrganisationAsync(code, cancellationToken) is null)
        {
            throw new ValidationException([new ValidationFailure(field, $"'{code}' is not an organisation this service knows")]);
        }
    }

    /// <summary>Recipients and documents are part of a share: read with it.</summary>
    public static IQueryable<Share> WithParts(IQueryable<Share> shares) =>
        shares.Include(s => s.Recipients).Include(s => s.Documents).AsSplitQuery();
}
