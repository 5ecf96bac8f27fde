using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Search;
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
    }

    /// <summary>Adds the demo organisations, areas and practitioners where they are missing. Safe to run again.</summary>
    public async Task SeedReferenceDataAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
        var organisations = await db.Organisations.Select(o => o.Code).ToListAsync(cancellationToken);
        db.Organisations.AddRange(ReferenceData.Organisations.Where(o => !organisations.Contains(o.Code)));
        var areas = await db.Areas.Select(a => a.Code).ToListAsync(cancellationToken);
        db.Areas.AddRange(ReferenceData.Areas.Where(a => !areas.Contains(a.Code)));
        var practitioners = await db.Practitioners.Select(p => p.Id).ToListAsync(cancellationToken);
        db.Practitioners.AddRange(ReferenceData.Practitioners.Where(p => !practitioners.Contains(p.Id)));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> HasCasesAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>().Cases.AnyAsync(cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="count"/> synthetic cases after those already seeded, in batches, reporting progress.
    /// One audit entry records the run (collection by the service), not one per synthetic person.
    /// </summary>
    public Task SeedCasesAsync(int count, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        SeedCasesAsync(count, ReferenceData.Areas, progress, cancellationToken);

    /// <summary>As above, with the people living in the given areas only (so held by the NPS regions covering them).</summary>
    public async Task SeedCasesAsync(int count, IReadOnlyList<Domain.Organisations.Area> areas, IProgress<int>? progress, CancellationToken cancellationToken)
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
            var cases = Enumerable.Range(start + done, size).Select(i => SyntheticCases.Create(i, areas, now)).ToList();
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

        // Fresh planner statistics after a bulk load. Without them SQLite drives the name search's join from every
        // visible case (through the holder index) instead of from the matched name keys, so a search reads the whole
        // Cases table and its time grows with it. PostgreSQL's autovacuum gets there eventually; this is immediate.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
            if (db.Database.IsSqlite() || db.Database.IsNpgsql())
            {
                db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
                await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
            }
        }
    }
}
