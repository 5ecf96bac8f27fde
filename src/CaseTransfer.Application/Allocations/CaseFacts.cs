using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
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
        (await ReadOneAsync(db, db.Cases.Where(c => c.Id == caseId), cancellationToken))!.Value.Facts;

    /// <summary>
    /// The facts of the one case of <paramref name="cases"/> (a visibility filter narrowed to one CRN, say), untracked,
    /// and whether it has an open allocation; null when there is no such case.
    /// </summary>
    public static async Task<(CaseFacts Facts, bool OpenAllocation)?> ReadOneAsync(
        IAppDbContext db, IQueryable<Case> cases, CancellationToken cancellationToken)
    {
        // One round trip: the case with its requirements, its area (a join) and its current risk, the same one the
        // case summary shows (a left join on the id the newest-first subquery picks: a scalar subquery, which SQLite
        // runs too, where taking the newest row itself would need APPLY or ROW_NUMBER over the whole table).
        var newestFirst = db.RiskAssessments.NewestFirst(); // Inlined into the query below, then narrowed to the case.
        var read = await (
                from c in cases.AsNoTracking().Include(c => c.Requirements)
                join a in db.Areas.AsNoTracking() on c.AreaCode equals a.Code
                join r in db.RiskAssessments.AsNoTracking()
                    on new { CaseId = c.Id, Id = newestFirst.Where(x => x.CaseId == c.Id).Select(x => (Guid?)x.Id).FirstOrDefault() }
                    equals new { r.CaseId, Id = (Guid?)r.Id }
                    into currents
                from current in currents.DefaultIfEmpty()
                select new { Case = c, Area = a, Current = current, Open = db.Allocations.Any(o => o.OpenCaseId == c.Id) })
            .SingleOrDefaultAsync(cancellationToken);
        if (read is null)
        {
            return null;
        }

        var (@case, area, risk) = (read.Case, read.Area, read.Current);
        return (new CaseFacts(
            @case.Id, @case.Crn.Value, @case.Version, @case.HolderOrganisationCode, area, AllocationFacts.From(@case, risk), AllocationViews.CaseView(@case, area.Name, risk?.Facts)),
            read.Open);
    }
}
