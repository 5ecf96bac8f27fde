using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Workload;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Workload;

/// <summary>Practitioners' caseloads in the workload model's figures, read in one grouped query however many there are.</summary>
public sealed class Caseloads(IAppDbContext db, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The weightings and grade targets: small reference tables, read whole.</summary>
    public async Task<WorkloadModel> ModelAsync(CancellationToken cancellationToken) => new(
        await db.WorkloadWeightings.AsNoTracking().ToListAsync(cancellationToken),
        await db.GradeTargets.AsNoTracking().ToListAsync(cancellationToken));

    /// <summary>
    /// Each practitioner's caseload on <paramref name="today"/>: the cases they are responsible officer for, counted
    /// by tier and by the facts that decide the case type, then weighed in code.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, Caseload>> OfAsync(
        WorkloadModel model, IReadOnlyCollection<Practitioner> practitioners, DateOnly today, CancellationToken cancellationToken)
    {
        var ids = practitioners.Select(p => p.Id).ToList();

        // Released and licence-ended as WorkloadCaseTypes.IsReleased and HasLicenceEnded decide them.
        var groups = await db.Cases.AsNoTracking()
            .Where(c => c.ResponsibleOfficerId != null && ids.Contains(c.ResponsibleOfficerId.Value))
            .GroupBy(c => new
            {
                Officer = c.ResponsibleOfficerId!.Value,
                c.Tier,
                c.Sentence.Type,
                Released = c.Sentence.ReleaseDate != null && c.Sentence.ReleaseDate <= today,
                LicenceEnded = c.Sentence.LicenceEndDate != null && c.Sentence.LicenceEndDate < today,
            })
            .Select(g => new { g.Key.Officer, g.Key.Tier, g.Key.Type, g.Key.Released, g.Key.LicenceEnded, Count = g.Count() })
            .ToListAsync(cancellationToken);

        return practitioners.ToDictionary(p => p.Id, p =>
        {
            var own = groups.Where(g => g.Officer == p.Id).ToList();
            return model.CaseloadOf(
                p,
                own.Sum(g => g.Count),
                own.Sum(g => g.Count * model.PointsFor(g.Tier, WorkloadCaseTypes.Of(g.Type, g.Released, g.LicenceEnded), today)),
                today);
        });
    }
}
