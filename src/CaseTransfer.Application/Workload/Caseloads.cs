using System.Linq.Expressions;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Workload;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Workload;

/// <summary>Practitioners' caseloads in the workload model's figures, read in one grouped query however many there are.</summary>
public sealed class Caseloads(IAppDbContext db, TimeProvider clock, WorkloadModelCache? cache = null)
{
    // Compiled: every accept and every officer assignment runs it. One practitioner (an accept, an assignment) is
    // matched by equality rather than in a list, so PostgreSQL can keep one generic plan for it instead of planning the
    // list form on every call; both forms share the grouping below.
    private static readonly CompiledQuery<Func<DbContext, List<Guid>, DateOnly, IAsyncEnumerable<CaseloadGroup>>> ByOfficers = new(() =>
        EF.CompileAsyncQuery(QueryParts.Expand<Func<DbContext, List<Guid>, DateOnly, IQueryable<CaseloadGroup>>>((db, ids, today) =>
            Grouped(db.Set<Case>().Where(c => c.ResponsibleOfficerId != null && ids.Contains(c.ResponsibleOfficerId.Value)), today))));

    private static readonly CompiledQuery<Func<DbContext, Guid, DateOnly, IAsyncEnumerable<CaseloadGroup>>> ByOfficer = new(() =>
        EF.CompileAsyncQuery(QueryParts.Expand<Func<DbContext, Guid, DateOnly, IQueryable<CaseloadGroup>>>((db, id, today) =>
            Grouped(db.Set<Case>().Where(c => c.ResponsibleOfficerId == id), today))));

    /// <summary>
    /// The officers' cases counted by tier and by the facts that decide the case type: released and licence-ended as
    /// WorkloadCaseTypes.IsReleased and HasLicenceEnded decide them.
    /// </summary>
    private static readonly Expression<Func<IQueryable<Case>, DateOnly, IQueryable<CaseloadGroup>>> GroupedOf = (cases, today) => cases.AsNoTracking()
        .GroupBy(c => new
        {
            Officer = c.ResponsibleOfficerId!.Value,
            c.Tier,
            c.Sentence.Type,
            Released = c.Sentence.ReleaseDate != null && c.Sentence.ReleaseDate <= today,
            LicenceEnded = c.Sentence.LicenceEndDate != null && c.Sentence.LicenceEndDate < today,
        })
        .Select(g => new CaseloadGroup(g.Key.Officer, g.Key.Tier, g.Key.Type, g.Key.Released, g.Key.LicenceEnded, g.Count()));

    [ExpandsTo(nameof(GroupedOf))]
    private static IQueryable<CaseloadGroup> Grouped(IQueryable<Case> cases, DateOnly today) => throw new InvalidOperationException("Only inside an expanded query.");

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The weightings and grade targets: small reference tables, read whole, and kept for a short while per process
    /// (<see cref="WorkloadModelCache"/>) since they change only with a release of reference data.
    /// </summary>
    public async Task<WorkloadModel> ModelAsync(CancellationToken cancellationToken)
    {
        if (cache?.Current is { } cached)
        {
            return cached;
        }

        var model = new WorkloadModel(
            await db.WorkloadWeightings.AsNoTracking().ToListAsync(cancellationToken),
            await db.GradeTargets.AsNoTracking().ToListAsync(cancellationToken));
        cache?.Keep(model);
        return model;
    }

    /// <summary>
    /// Each practitioner's caseload on <paramref name="today"/>: the cases they are responsible officer for, counted
    /// by tier and by the facts that decide the case type, then weighed in code.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, Caseload>> OfAsync(
        WorkloadModel model, IReadOnlyCollection<Practitioner> practitioners, DateOnly today, CancellationToken cancellationToken)
    {
        var groups = new List<CaseloadGroup>();
        var read = practitioners.Count == 1
            ? ByOfficer.For(db)((DbContext)db, practitioners.First().Id, today)
            : ByOfficers.For(db)((DbContext)db, [.. practitioners.Select(p => p.Id)], today);
        await foreach (var group in read.WithCancellation(cancellationToken))
        {
            groups.Add(group);
        }

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

/// <summary>The cases one officer is responsible for, counted by what weighs them.</summary>
internal sealed record CaseloadGroup(Guid Officer, string? Tier, SentenceType Type, bool Released, bool LicenceEnded, int Count);

/// <summary>
/// The workload model (weightings and grade targets) as last read, for <see cref="Expiry"/>: reference data that only
/// the seeder writes, so a change shows within that time (and at once after <see cref="Invalidate"/>). A singleton.
/// </summary>
public sealed class WorkloadModelCache
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    private (WorkloadModel Model, long ReadAt)? _kept;

    public WorkloadModel? Current =>
        _kept is { } kept && System.Diagnostics.Stopwatch.GetElapsedTime(kept.ReadAt) < Expiry ? kept.Model : null;

    public void Keep(WorkloadModel model) => _kept = (model, System.Diagnostics.Stopwatch.GetTimestamp());

    public void Invalidate() => _kept = null;
}
