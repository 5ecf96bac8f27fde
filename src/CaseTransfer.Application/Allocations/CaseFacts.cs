using System.Linq.Expressions;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// A case as the allocation rules see it: the facts they read and the area that says who receives it, and the case as
/// an allocation view shows it (read in the same queries, so a proposal answers without reading the case again).
/// </summary>
public sealed record CaseFacts(
    Guid CaseId, string Crn, long CaseVersion, string HolderOrganisationCode, Area Area, AllocationFacts Facts, AllocationCaseView View);

public static class CaseFactsReader
{
    /// <summary>Reads the facts of a case the caller has already been allowed to see (see CaseAccess), untracked.</summary>
    public static async Task<CaseFacts> ReadAsync(IAppDbContext db, Guid caseId, CancellationToken cancellationToken) =>
        From(await ById.For(db)((DbContext)db, caseId, cancellationToken))!.Value.Facts;

    /// <summary>
    /// The facts of the case with this CRN if the caller sees it (<see cref="CaseAccess.Sees"/>), untracked, and whether
    /// it has an open allocation; null when there is no such case or the caller may not see it.
    /// </summary>
    public static async Task<(CaseFacts Facts, bool OpenAllocation)?> ReadVisibleAsync(
        IAppDbContext db, CaseAccess access, Crn crn, CancellationToken cancellationToken)
    {
        var (codes, user) = await access.VisibilityAsync(cancellationToken);
        return From(await ByVisibleCrn.For(db)((DbContext)db, codes, user, crn, cancellationToken));
    }

    private static (CaseFacts Facts, bool OpenAllocation)? From(Row? read)
    {
        if (read is null)
        {
            return null;
        }

        var (@case, area, risk) = (read.Case, read.Area, read.Current);
        return (new CaseFacts(
            @case.Id, @case.Crn.Value, @case.Version, @case.HolderOrganisationCode, area, AllocationFacts.From(@case, risk), AllocationViews.CaseView(@case, area.Name, risk?.Facts)),
            read.Open);
    }

    // Compiled (every proposal and preview reads through them), both from the one shape below.
    private static readonly CompiledQuery<Func<DbContext, Guid, CancellationToken, Task<Row?>>> ById = new(() =>
        EF.CompileAsyncQuery(QueryParts.Expand<Func<DbContext, Guid, CancellationToken, Row?>>((db, id, ct) => Shape(db, db.Set<Case>().Where(c => c.Id == id)).SingleOrDefault())));

    private static readonly CompiledQuery<Func<DbContext, IReadOnlyList<string>, string, Crn, CancellationToken, Task<Row?>>> ByVisibleCrn = new(() =>
        EF.CompileAsyncQuery(QueryParts.Expand<Func<DbContext, IReadOnlyList<string>, string, Crn, CancellationToken, Row?>>((db, codes, user, crn, ct) =>
            Shape(db, db.Set<Case>().Where(c => c.Crn == crn && CaseAccess.Sees(db, c, codes, user))).SingleOrDefault())));

    /// <summary>
    /// One round trip: the case with its requirements, its area (a join) and its current risk, the same one the case
    /// summary shows (a left join on the id the newest-first subquery picks: a scalar subquery, which SQLite runs too,
    /// where taking the newest row itself would need APPLY or ROW_NUMBER over the whole table), and the open-allocation check.
    /// </summary>
    private static readonly Expression<Func<DbContext, IQueryable<Case>, IQueryable<Row>>> ShapeOf = (db, cases) =>
        from c in cases.AsNoTracking().Include(c => c.Requirements)
        join a in db.Set<Area>().AsNoTracking() on c.AreaCode equals a.Code
        join r in db.Set<RiskAssessment>().AsNoTracking()
            on new { CaseId = c.Id, Id = db.Set<RiskAssessment>().NewestFirst().Where(x => x.CaseId == c.Id).Select(x => (Guid?)x.Id).FirstOrDefault() }
            equals new { r.CaseId, Id = (Guid?)r.Id }
            into currents
        from current in currents.DefaultIfEmpty()
        select new Row { Case = c, Area = a, Current = current, Open = db.Set<Allocation>().Any(o => o.OpenCaseId == c.Id) };

    [ExpandsTo(nameof(ShapeOf))]
    private static IQueryable<Row> Shape(DbContext db, IQueryable<Case> cases) => throw new InvalidOperationException("Only inside an expanded query.");

    private sealed class Row
    {
        public required Case Case { get; init; }
        public required Area Area { get; init; }
        public RiskAssessment? Current { get; init; }
        public bool Open { get; init; }
    }
}
