using System.Linq.Expressions;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Sharing;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>
/// The heart of the security model: an organisation sees a case only while it (or an organisation below it, such as
/// an NPS region below the NPS) holds it, or, for reading only, while a <see cref="CaseAccessGrant"/> shares it with
/// the organisation and has not expired. Every read and change of a case goes through here, and anything else is a
/// 404 indistinguishable from a case that does not exist.
/// </summary>
public sealed class CaseAccess(IAppDbContext db, ICaller caller, TimeProvider clock, OrganisationDirectory? directory = null)
{
    private IReadOnlyList<string>? _holderCodes;
    private Organisation? _callerOrganisation;

    /// <summary>The caller's organisation (null for a code the service does not know), read once per request.</summary>
    public async Task<Organisation?> CallerOrganisationAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return _callerOrganisation;
    }

    /// <summary>The holder codes whose cases the caller sees. The organisation tree is two levels deep (NPS, regions).</summary>
    public async Task<IReadOnlyList<string>> VisibleHolderCodesAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return _holderCodes!;
    }

    /// <summary>An organisation by code (reference data, see <see cref="OrganisationDirectory"/>), or null.</summary>
    public async Task<Organisation?> OrganisationAsync(string code, CancellationToken cancellationToken) =>
        (await OrganisationsAsync(code, cancellationToken)).SingleOrDefault(o => o.Code == code);

    // The caller's organisation and those below it, from the organisations as last read (a handful of rows).
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_holderCodes is null)
        {
            var own = caller.OrganisationCode;
            var organisations = await OrganisationsAsync(own, cancellationToken);
            _callerOrganisation = organisations.SingleOrDefault(o => o.Code == own);
            _holderCodes = [.. organisations.Where(o => o.Code == own || o.ParentCode == own).Select(o => o.Code)];
        }
    }

    /// <summary>Every organisation: kept per process for a short while, and read again when <paramref name="code"/> is not among them.</summary>
    private async Task<IReadOnlyList<Organisation>> OrganisationsAsync(string code, CancellationToken cancellationToken)
    {
        if (directory?.Current is { } kept && kept.Any(o => o.Code == code))
        {
            return kept;
        }

        var all = await db.Organisations.AsNoTracking().ToListAsync(cancellationToken);
        directory?.Keep(all);
        return all;
    }

    /// <summary>
    /// The cases the caller sees: held by their organisation (or one below it) and, for a case with access limits,
    /// not excluding them and, where it has a restriction list, naming them on it (<see cref="AccessLists.Allows"/>).
    /// The lists are read only for cases flagged <see cref="Case.HasAccessLimits"/>, so the other cases cost nothing more.
    /// </summary>
    public async Task<IQueryable<Case>> VisibleCasesAsync(CancellationToken cancellationToken) =>
        db.Cases.Where(QueryParts.Bind(SeesCase, (DbContext)db, await VisibleHolderCodesAsync(cancellationToken), caller.UserId));

    /// <summary>
    /// The cases whose exclusion and restriction lists let the caller act on them (<see cref="AccessLists.Allows"/>),
    /// whichever organisation holds them: for giving or asking information about a case its holder's lists bind too.
    /// </summary>
    public IQueryable<Case> CasesTheListsAllow()
    {
        var user = caller.UserId;
        return db.Cases.Where(QueryParts.Expand<Func<Case, bool>>(c => LimitsAllow((DbContext)db, c, user)));
    }

    /// <summary>The caller's visible holder codes and user id, as a compiled query takes them (see <see cref="Sees"/>).</summary>
    public async Task<(IReadOnlyList<string> Codes, string User)> VisibilityAsync(CancellationToken cancellationToken) =>
        (await VisibleHolderCodesAsync(cancellationToken), caller.UserId);

    /// <summary>
    /// Whether the case's exclusion and restriction lists let the user see it (<see cref="AccessLists.Allows"/>); a case
    /// with none (most) reads nothing more. It applies however the organisation sees the case, held or granted.
    /// </summary>
    private static readonly Expression<Func<DbContext, Case, string, bool>> LimitsAllowOf = (db, c, user) =>
        !c.HasAccessLimits
        || (!db.Set<CaseAccessLimit>().Any(l => l.RemovedAt == null && l.CaseId == c.Id && l.Kind == AccessLimitKind.Exclusion && l.StaffCode == user)
            && (!db.Set<CaseAccessLimit>().Any(l => l.RemovedAt == null && l.CaseId == c.Id && l.Kind == AccessLimitKind.Restriction)
                || db.Set<CaseAccessLimit>().Any(l => l.RemovedAt == null && l.CaseId == c.Id && l.Kind == AccessLimitKind.Restriction && l.StaffCode == user)));

    [ExpandsTo(nameof(LimitsAllowOf))]
    private static bool LimitsAllow(DbContext db, Case @case, string user) => throw new InvalidOperationException("Only inside an expanded query.");

    /// <summary>
    /// The one definition of who sees a case (for <see cref="VisibleCasesAsync"/>, and through <see cref="Sees"/> in
    /// compiled queries): the context, the case, the holder codes the caller sees and the caller's user id.
    /// </summary>
    internal static readonly Expression<Func<DbContext, Case, IReadOnlyList<string>, string, bool>> SeesCase =
        QueryParts.Expand<Func<DbContext, Case, IReadOnlyList<string>, string, bool>>((db, c, codes, user) =>
            codes.Contains(c.HolderOrganisationCode) && LimitsAllow(db, c, user));

    /// <summary>
    /// Whether a share reaches the caller now: to one of the caller's holder codes, live (<see cref="Share.LiveAt"/>),
    /// and, when it names people, naming the caller. The one definition for the case's summary and search
    /// (<see cref="SharedWithOf"/>) and for the shares a caller sees (<c>SharingAccess</c>).
    /// </summary>
    private static readonly Expression<Func<Share, IReadOnlyList<string>, string, DateTimeOffset, bool>> ShareReachesOf = (s, codes, user, now) =>
        codes.Contains(s.RecipientOrganisationCode) && s.RevokedAt == null && s.ExpiresAt > now && (!s.NamesPeople || s.Recipients.Any(r => r.UserId == user));

    /// <summary>Stands for <see cref="ShareReachesOf"/> in a query given to <see cref="QueryParts.Expand{TDelegate}"/>; not callable.</summary>
    [ExpandsTo(nameof(ShareReachesOf))]
    public static bool ShareReaches(Share share, IReadOnlyList<string> codes, string user, DateTimeOffset now) =>
        throw new InvalidOperationException("Only inside a query expanded by QueryParts.Expand.");

    /// <summary>Whether a share of the case reaches the caller now (<see cref="ShareReachesOf"/>).</summary>
    private static readonly Expression<Func<DbContext, Case, IReadOnlyList<string>, string, DateTimeOffset, bool>> SharedWithOf = (db, c, codes, user, now) =>
        db.Set<Share>().Any(s => s.CaseId == c.Id && ShareReaches(s, codes, user, now));

    [ExpandsTo(nameof(SharedWithOf))]
    private static bool SharedWith(DbContext db, Case @case, IReadOnlyList<string> codes, string user, DateTimeOffset now) =>
        throw new InvalidOperationException("Only inside an expanded query.");

    /// <summary>Whether a grant of the case to one of the caller's holder codes is in force (an escalation's handover period).</summary>
    private static readonly Expression<Func<DbContext, Case, IReadOnlyList<string>, DateTimeOffset, bool>> GrantedToOf = (db, c, codes, now) =>
        db.Set<CaseAccessGrant>().Any(g => g.CaseId == c.Id && codes.Contains(g.OrganisationCode) && g.From <= now && g.Until > now);

    [ExpandsTo(nameof(GrantedToOf))]
    private static bool GrantedTo(DbContext db, Case @case, IReadOnlyList<string> codes, DateTimeOffset now) =>
        throw new InvalidOperationException("Only inside an expanded query.");

    /// <summary>
    /// Who may read a case's summary and find it in search (<see cref="ReadableCasesAsync"/>): the holder, an
    /// organisation with a grant of it in force, or the recipients of a live share of it. Read-only: changes go through
    /// <see cref="SeesCase"/> alone.
    /// </summary>
    private static readonly Expression<Func<DbContext, Case, IReadOnlyList<string>, string, DateTimeOffset, bool>> ReadsCase =
        QueryParts.Expand<Func<DbContext, Case, IReadOnlyList<string>, string, DateTimeOffset, bool>>((db, c, codes, user, now) =>
            (codes.Contains(c.HolderOrganisationCode) || GrantedTo(db, c, codes, now) || SharedWith(db, c, codes, user, now))
            && LimitsAllow(db, c, user));

    /// <summary>
    /// Who finds a case in search: the holder, or the recipients of a live share of it. A grant (an escalation's handover
    /// period) lets the provider read the case it handed over, not find it among the cases it works with.
    /// </summary>
    private static readonly Expression<Func<DbContext, Case, IReadOnlyList<string>, string, DateTimeOffset, bool>> FindsCase =
        QueryParts.Expand<Func<DbContext, Case, IReadOnlyList<string>, string, DateTimeOffset, bool>>((db, c, codes, user, now) =>
            (codes.Contains(c.HolderOrganisationCode) || SharedWith(db, c, codes, user, now)) && LimitsAllow(db, c, user));

    /// <summary>
    /// Who may read a case's history (its risk assessments and holders): the holder, or an organisation with a grant in
    /// force. A share gives its recipients the case's summary only, not its history.
    /// </summary>
    private static readonly Expression<Func<DbContext, Case, IReadOnlyList<string>, string, DateTimeOffset, bool>> ReadsHistory =
        QueryParts.Expand<Func<DbContext, Case, IReadOnlyList<string>, string, DateTimeOffset, bool>>((db, c, codes, user, now) =>
            (codes.Contains(c.HolderOrganisationCode) || GrantedTo(db, c, codes, now)) && LimitsAllow(db, c, user));

    /// <summary>Stands for <see cref="SeesCase"/> in a query given to <see cref="QueryParts.Expand{TDelegate}"/>; not callable.</summary>
    [ExpandsTo(nameof(SeesCase))]
    public static bool Sees(DbContext db, Case @case, IReadOnlyList<string> codes, string user) =>
        throw new InvalidOperationException("Only inside a query expanded by QueryParts.Expand.");

    /// <summary>The case, tracked with its holdings, for a change; 404 when the caller may not see it.</summary>
    public async Task<Case> GetForChangeAsync(string crn, CancellationToken cancellationToken)
    {
        var id = Crn.Parse(crn);
        var cases = await VisibleCasesAsync(cancellationToken);
        return await cases.Include(c => c.Holdings).SingleOrDefaultAsync(c => c.Crn == id, cancellationToken)
            ?? throw new NotFoundException("Case", crn);
    }

    /// <summary>The id of a visible case, for reads; 404 when the caller may not see it.</summary>
    public async Task<Guid> GetVisibleIdAsync(string crn, CancellationToken cancellationToken) =>
        await IdIn(await VisibleCasesAsync(cancellationToken), crn, cancellationToken);

    /// <summary>
    /// The cases the caller may read: those it sees, those granted to its organisation now, and those a live share gives
    /// it (read-only). For the case summary; search is <see cref="SearchableCasesAsync"/>; changes see held cases.
    /// </summary>
    public async Task<IQueryable<Case>> ReadableCasesAsync(CancellationToken cancellationToken) =>
        db.Cases.Where(QueryParts.Bind(ReadsCase, (DbContext)db, await VisibleHolderCodesAsync(cancellationToken), caller.UserId, Now));

    /// <summary>The shares that reach the caller now (<see cref="ShareReachesOf"/>), for a query to build on.</summary>
    public async Task<IQueryable<Share>> SharesReachingCallerAsync(CancellationToken cancellationToken)
    {
        var (codes, user, now) = (await VisibleHolderCodesAsync(cancellationToken), caller.UserId, Now);
        return db.Shares.Where(QueryParts.Expand<Func<Share, bool>>(s => ShareReaches(s, codes, user, now)));
    }

    /// <summary>The cases the caller finds in search: held by its organisation, or shared with it by a live share.</summary>
    public async Task<IQueryable<Case>> SearchableCasesAsync(CancellationToken cancellationToken) =>
        db.Cases.Where(QueryParts.Bind(FindsCase, (DbContext)db, await VisibleHolderCodesAsync(cancellationToken), caller.UserId, Now));

    /// <summary>The id of a case whose summary the caller may read (see <see cref="ReadableCasesAsync"/>); 404 otherwise.</summary>
    public async Task<Guid> GetReadableIdAsync(string crn, CancellationToken cancellationToken) =>
        await IdIn(await ReadableCasesAsync(cancellationToken), crn, cancellationToken);

    /// <summary>
    /// The id of a case whose history the caller may read (held, or granted; not through a share); 404 otherwise. Also
    /// what victim liaison conditions need: they bind the holder, not a share's recipients.
    /// </summary>
    public async Task<Guid> GetHistoryReadableIdAsync(string crn, CancellationToken cancellationToken) =>
        await IdIn(
            db.Cases.Where(QueryParts.Bind(ReadsHistory, (DbContext)db, await VisibleHolderCodesAsync(cancellationToken), caller.UserId, Now)),
            crn,
            cancellationToken);

    private DateTimeOffset Now => clock.GetUtcNow();

    private static async Task<Guid> IdIn(IQueryable<Case> cases, string crn, CancellationToken cancellationToken)
    {
        var id = Crn.Parse(crn);
        var found = await cases.Where(c => c.Crn == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
        return found ?? throw new NotFoundException("Case", crn);
    }

    public static void EnsureVersion(Case @case, IfMatch? expected) => IfMatch.Ensure(expected, "case", @case.Version);
}

/// <summary>How a caller that does not hold a case reads it: until when, and whether only through shares (summary only).</summary>
public sealed record ReadOnlySight(DateTimeOffset Until, bool ThroughSharesOnly)
{
    /// <summary>From the latest grant and live share of the case to the caller (both null for its holder): null when neither.</summary>
    public static ReadOnlySight? Of(DateTimeOffset? grantedUntil, DateTimeOffset? sharedUntil) =>
        (grantedUntil, sharedUntil) switch
        {
            (null, null) => null,
            (null, { } shared) => new(shared, ThroughSharesOnly: true),
            ({ } granted, null) => new(granted, ThroughSharesOnly: false),
            ({ } granted, { } shared) => new(granted > shared ? granted : shared, ThroughSharesOnly: false),
        };
}

/// <summary>
/// The organisations as last read, for <see cref="Expiry"/>: reference data (immutable rows that only the seeder adds,
/// and it calls <see cref="Invalidate"/>), read on every request before. An organisation that is not among them is
/// looked for in the database at once, so a new one is never refused. A singleton.
/// </summary>
public sealed class OrganisationDirectory
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    private Kept? _kept;

    public IReadOnlyList<Organisation>? Current =>
        _kept is { } kept && System.Diagnostics.Stopwatch.GetElapsedTime(kept.ReadAt) < Expiry ? kept.Organisations : null;

    public void Keep(IReadOnlyList<Organisation> organisations) => _kept = new Kept(organisations, System.Diagnostics.Stopwatch.GetTimestamp());

    public void Invalidate() => _kept = null;

    private sealed record Kept(IReadOnlyList<Organisation> Organisations, long ReadAt);
}
