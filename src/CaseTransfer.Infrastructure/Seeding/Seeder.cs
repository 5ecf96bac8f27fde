using CaseTransfer.Application.Allocations;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Search;
using CaseTransfer.Domain.Workload;
using CaseTransfer.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Infrastructure.Seeding;

/// <summary>Migrations, reference data and synthetic cases: what the start-up and the CLI verbs call.</summary>
public sealed class Seeder(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int BatchSize = 5_000;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
        await db.Database.MigrateAsync(cancellationToken);

        // Every ruleset this service loaded is kept by hash, so decisions made under it can be re-run after its file changes.
        var rulesets = scope.ServiceProvider.GetRequiredService<RulesetCatalogue>();
        await RulesetStore.StageMissingAsync(db, rulesets.All, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await AddPairKeysAsync(NameKeys.PairRange, NameKeys.IsPair, cancellationToken);
        await AddPairKeysAsync(NameKeys.ForenamePairRange, NameKeys.IsForenamePair, cancellationToken);
    }

    /// <summary>
    /// Databases written before the search stored pair keys (<see cref="NameKeys.PairsForQuery"/>) hold cases without
    /// them, and the search would read next to nothing for names whose every part is common. This adds them once, at
    /// migration, in one transaction: an interrupted run leaves none and is simply redone next time. A database with
    /// any pair key is complete, since new cases get theirs as they are written. Run once per kind of pair key (the
    /// forename pair keys, <see cref="NameKeys.PairsOfExactToken"/>, came later than the surname ones).
    /// </summary>
    private async Task AddPairKeysAsync((string From, string To) range, Func<string, bool> isOfKind, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
        var (from, to) = range;
        if (!await db.Cases.AnyAsync(cancellationToken)
            || await db.CaseNameKeys.AnyAsync(k => string.Compare(k.Key, from) >= 0 && string.Compare(k.Key, to) < 0, cancellationToken))
        {
            return;
        }

        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            for (var done = 0; ; done += BatchSize)
            {
                var names = await db.Cases.AsNoTracking().OrderBy(c => c.Id).Skip(done).Take(BatchSize)
                    .Select(c => new { c.Id, c.FirstName, c.MiddleNames, c.LastName })
                    .ToListAsync(ct);
                if (names.Count == 0)
                {
                    break;
                }

                var keys = names.SelectMany(c => NameKeys.ForName(c.MiddleNames is null ? c.FirstName : $"{c.FirstName} {c.MiddleNames}", c.LastName)
                    .Where(isOfKind).Select(k => new CaseNameKey(c.Id, k))).ToList();
                await BulkInsert.InsertAsync(db, keys, ct);
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
        await AnalyseAsync(cancellationToken);
    }

    /// <summary>Adds the demo organisations, areas and practitioners where they are missing, and the workload model. Safe to run again.</summary>
    public async Task SeedReferenceDataAsync(CancellationToken cancellationToken = default)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
            var organisations = await db.Organisations.Select(o => o.Code).ToListAsync(cancellationToken);
            db.Organisations.AddRange(ReferenceData.Organisations.Where(o => !organisations.Contains(o.Code)));
            var areas = await db.Areas.Select(a => a.Code).ToListAsync(cancellationToken);
            db.Areas.AddRange(ReferenceData.Areas.Where(a => !areas.Contains(a.Code)));
            var practitioners = await db.Practitioners.Select(p => p.Id).ToListAsync(cancellationToken);
            db.Practitioners.AddRange(ReferenceData.Practitioners.Where(p => !practitioners.Contains(p.Id)));
            await db.SaveChangesAsync(cancellationToken);
            scope.ServiceProvider.GetService<CaseTransfer.Application.Cases.OrganisationDirectory>()?.Invalidate();
        }

        await SeedWorkloadModelAsync(cancellationToken);
    }

    /// <summary>
    /// Adds the workload weightings and grade targets where they are missing (by key). Not demo data: every database
    /// needs them, so start-up and the <c>migrate</c> verb run this too, and a database made before a row existed gets
    /// it. Safe to run again.
    /// </summary>
    public async Task SeedWorkloadModelAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
        var weightings = (await db.WorkloadWeightings.Select(w => new { w.EffectiveFrom, w.Tier, w.CaseType }).ToListAsync(cancellationToken))
            .Select(w => (w.EffectiveFrom, w.Tier, w.CaseType)).ToHashSet();
        db.WorkloadWeightings.AddRange(ReferenceData.WorkloadWeightings.Where(w => !weightings.Contains((w.EffectiveFrom, w.Tier, w.CaseType))));
        var targets = (await db.GradeTargets.Select(t => new { t.EffectiveFrom, t.Grade }).ToListAsync(cancellationToken))
            .Select(t => (t.EffectiveFrom, t.Grade)).ToHashSet();
        db.GradeTargets.AddRange(ReferenceData.GradeTargets.Where(t => !targets.Contains((t.EffectiveFrom, t.Grade))));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Gives the seeded cases tiers, holders and responsible officers so the demo shows workload figures (<see cref="DemoCaseloads"/>).</summary>
    public async Task SeedDemoCaseloadsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
        if (await db.Cases.AnyAsync(c => c.ResponsibleOfficerId != null, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var cases = await db.Cases.Include(c => c.Holdings).Include(c => c.RiskAssessments).AsSplitQuery()
            .OrderBy(c => c.Crn).ToListAsync(cancellationToken);
        var model = new WorkloadModel(ReferenceData.WorkloadWeightings, ReferenceData.GradeTargets);
        DemoCaseloads.Apply(cases, model, scope.ServiceProvider.GetRequiredService<RulesetCatalogue>().Active, now);
        db.AuditEntries.Add(new AuditEntry(
            Guid.CreateVersion7(now), now, AuditOperation.Alteration, "SeedDemoCaseloads", "system", "CaseTransfer service", "NPS",
            "case-transfer-cli", "seed", (Domain.Identifiers.Crn?)null, "case", null, null, "demo tiers, holders and responsible officers"));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> HasCasesAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>().Cases.AnyAsync(cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="count"/> synthetic cases after those already seeded, in batches, reporting progress.
    /// One audit entry records the run (collection by the service), not one per synthetic person. With
    /// <paramref name="withTiers"/> each case's tier is computed by the active ruleset and kept, as a recorded
    /// assessment would (the demo world); bulk seeds for benchmarks leave it out.
    /// <paramref name="areas"/> (default: every area) limits where the people live, so which NPS regions hold them.
    /// </summary>
    public async Task SeedCasesAsync(
        int count, IProgress<int>? progress = null, bool withTiers = false, IReadOnlyList<Domain.Organisations.Area>? areas = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        int start;
        await using (var scope = scopes.CreateAsyncScope())
        {
            start = await scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>().Cases.CountAsync(cancellationToken);
        }

        for (var done = 0; done < count; done += BatchSize)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
            var size = Math.Min(BatchSize, count - done);
            var tiering = withTiers ? scope.ServiceProvider.GetRequiredService<RulesetCatalogue>().Active : null;
            var cases = Enumerable.Range(start + done, size).Select(i => SyntheticCases.Create(i, areas ?? ReferenceData.Areas, now, tiering: tiering)).ToList();
            var tiers = tiering is null ? [] : cases
                .Select(c => CaseTiering.Row(c.Id, tiering.Tier(AllocationFacts.From(c, c.RiskAssessments.NewestFirst().First())), c.RiskAssessments[0].Id, now))
                .ToList();
            var keys = cases.SelectMany(c => NameKeys.ForName(c.Forenames, c.LastName).Select(k => new CaseNameKey(c.Id, k))).ToList();

            // Set-based, in one transaction per batch: the rows are those SaveChanges would write, without tracking.
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await BulkInsert.InsertAsync(db, cases, ct);
                await BulkInsert.InsertAsync(db, cases.SelectMany(c => c.Requirements).ToList(), ct);
                await BulkInsert.InsertAsync(db, cases.SelectMany(c => c.RiskAssessments).ToList(), ct);
                await BulkInsert.InsertAsync(db, cases.SelectMany(c => c.Holdings).ToList(), ct);
                await BulkInsert.InsertAsync(db, keys, ct);
                await BulkInsert.InsertAsync(db, tiers, ct);
                if (done + size >= count)
                {
                    db.AuditEntries.Add(new AuditEntry(
                        Guid.CreateVersion7(now), now, AuditOperation.Collection, "SeedSyntheticCases", "system", "CaseTransfer service", "NPS",
                        "case-transfer-cli", "seed", (Domain.Identifiers.Crn?)null, "case", null, null, $"{count} synthetic cases"));
                    await db.SaveChangesAsync(ct);
                }

                await transaction.CommitAsync(ct);
            }, cancellationToken);
            progress?.Report(done + size);
        }

        await AnalyseAsync(cancellationToken);
    }

    /// <summary>
    /// Fresh planner statistics after a bulk load. Without them SQLite drives the name search's join from every visible
    /// case (through the holder index) instead of from the matched name keys, so a search reads the whole Cases table
    /// and its time grows with it. PostgreSQL's autovacuum gets there eventually; this is immediate.
    /// </summary>
    private async Task AnalyseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
        if (db.Database.IsSqlite() || db.Database.IsNpgsql())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        }
    }
}
