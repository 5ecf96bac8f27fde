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
public sealed record CaseFacts(Guid CaseId, string Crn, long CaseVersion, Area Area, AllocationFacts Facts, AllocationCaseView View);

public static class CaseFactsReader
{
    /// <summary>Reads the facts of a case the caller has already been allowed to see (see CaseAccess), untracked.</summary>
    public static async Task<CaseFacts> ReadAsync(IAppDbContext db, Guid caseId, CancellationToken cancellationToken)
    {
        // The case with its requirements and its area in one round trip (a join; SQLite cannot take the current risk
        // in the same query, it would need APPLY).
        var read = await db.Cases.AsNoTracking()
            .Include(c => c.Requirements)
            .Where(c => c.Id == caseId)
            .Join(db.Areas.AsNoTracking(), c => c.AreaCode, a => a.Code, (c, a) => new { Case = c, Area = a })
            .SingleAsync(cancellationToken);
        var (@case, area) = (read.Case, read.Area);

        // The same current risk the case summary shows.
        var current = await db.RiskAssessments.AsNoTracking()
            .Where(a => a.CaseId == caseId)
            .NewestFirst()
            .FirstOrDefaultAsync(cancellationToken);
        return new CaseFacts(
            caseId, @case.Crn.Value, @case.Version, area, AllocationFacts.From(@case, current), AllocationViews.CaseView(@case, area.Name, current?.Facts));
    }
}
