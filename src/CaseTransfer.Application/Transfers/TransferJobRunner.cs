using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Transfers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.Transfers;

/// <summary>
/// A batch found the database other than it read it a moment before (a concurrent change to one of its cases, or
/// another worker); it was rolled back whole and is simply run again.
/// </summary>
public sealed class TransferBatchConflictException(string message) : Exception(message);

/// <summary>
/// Works bulk transfers through in batches. Each batch is one transaction and set-based: it claims its items, decides
/// each case by the job's rules, moves the movable cases with one update, closes and opens their holdings, writes one
/// audit entry and one outbox event per case, marks every item moved or skipped and counts them on the job, all
/// committed together. A restart therefore resumes with whatever is still pending: no case is moved twice and none
/// is missed.
/// <para>
/// How a batch claims its items depends on the engine. On PostgreSQL it locks the next pending items
/// (<c>FOR UPDATE SKIP LOCKED</c>), so several batches of one job run at once over disjoint items (this runner in
/// several scopes, see <see cref="ClaimsItems"/>, or several service instances), and the job's row is locked only
/// by the short update that counts the batch, at its end. Elsewhere it claims the whole job by its version, so a
/// second worker waits and then gives way (SQLite has one writer anyway, so parallel batches gain nothing there).
/// </para>
/// </summary>
public sealed class TransferJobRunner(IAppDbContext db, EventAudience audiences, TimeProvider clock, ILogger<TransferJobRunner> logger)
{
    public const int DefaultBatchSize = 5_000;

    private const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Conflicts in a row before a run gives way (another worker is on the job); the next poll tries again.</summary>
    public const int MaxConsecutiveConflicts = 10;

    /// <summary>
    /// Whether batches claim their items rather than the whole job (PostgreSQL), so that several runners, each in
    /// its own scope, may work one job at once.
    /// </summary>
    public bool ClaimsItems => db.Database.ProviderName == PostgresProvider;

    public async Task<IReadOnlyList<Guid>> DueJobIdsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.TransferJobs.AsNoTracking()
            .Where(j => (j.State == TransferJobState.Scheduled || j.State == TransferJobState.Running) && j.EffectiveAt <= now)
            .OrderBy(j => j.RequestedAt)
            .Select(j => j.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Runs batches of the job until it is finished (true), not due, given way to another worker, or
    /// <paramref name="maxBatches"/> have run (false).
    /// </summary>
    public async Task<bool> RunAsync(Guid jobId, int batchSize, int maxBatches = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var conflicts = 0;
        for (var batches = 0; batches < maxBatches;)
        {
            try
            {
                var outcome = await RunBatchAsync(jobId, batchSize, cancellationToken);
                if (outcome != BatchOutcome.Worked)
                {
                    return outcome == BatchOutcome.Finished;
                }

                batches++;
                conflicts = 0;
            }
            catch (Exception e) when (e is TransferBatchConflictException or DbUpdateConcurrencyException && ++conflicts < MaxConsecutiveConflicts)
            {
                // Rolled back whole; run it again against what is there now.
            }
            catch (Exception e) when (e is TransferBatchConflictException or DbUpdateConcurrencyException)
            {
                return false;
            }
        }

        return false;
    }

    public enum BatchOutcome
    {
        /// <summary>A batch was committed; there may be more.</summary>
        Worked,

        /// <summary>The job is completed or failed (or does not exist): nothing more to do.</summary>
        Finished,

        /// <summary>The effective instant has not come.</summary>
        NotDue,

        /// <summary>Every pending item is claimed by another batch still running (PostgreSQL): that batch finishes the job.</summary>
        GaveWay,
    }

    /// <summary>One batch, in one transaction.</summary>
    public async Task<BatchOutcome> RunBatchAsync(Guid jobId, int batchSize, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        if (ClaimsItems && await StartAsync(jobId, cancellationToken) is { } notStarted)
        {
            return notStarted;
        }

        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            try
            {
                var phases = new PhaseTimer();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (db.Database.ProviderName == PostgresProvider)
                {
                    // The read of a batch's candidates is costed by its per-item lookups of the cases' holdings, an
                    // estimate that grows with every holding ever recorded: past PostgreSQL's JIT thresholds it spent
                    // 220 ms compiling a query that runs in 170 (ten of a 100,000-case transfer's 25 s). These are
                    // index lookups that JIT cannot speed up; for this transaction only.
                    await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off", ct);
                }

                phases.Lap("begin");
                var outcome = ClaimsItems
                    ? await ItemsBatchAsync(jobId, batchSize, phases, ct)
                    : await BatchAsync(jobId, batchSize, phases, ct);
                await transaction.CommitAsync(ct);
                phases.Lap("commit");
                if (phases.Summary is { } summary)
                {
                    logger.LogInformation("Transfer {JobId}: {Summary} in {Phases}", jobId, summary, phases);
                }

                return outcome;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }, cancellationToken);
    }

    /// <summary>Gives the job up, after repeated failures that are not conflicts; what moved stays moved.</summary>
    public async Task FailAsync(Guid jobId, string why, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var job = await db.TransferJobs.SingleAsync(j => j.Id == jobId, cancellationToken);
        if (!job.IsFinished)
        {
            job.Fail(why, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// PostgreSQL: starts the job in a short transaction of its own when it is still scheduled, so that no batch holds
    /// the job's row for long. Null when the job is running (batches may follow), else what the batch would return.
    /// Two runners starting one job at once: the version lets one start it, the other's conflict is run again.
    /// </summary>
    private async Task<BatchOutcome?> StartAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            try
            {
                var now = clock.GetUtcNow();
                var job = await db.TransferJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
                if (job is null || job.IsFinished)
                {
                    return BatchOutcome.Finished;
                }

                if (!job.IsDue(now))
                {
                    return BatchOutcome.NotDue;
                }

                if (job.State != TransferJobState.Scheduled)
                {
                    return (BatchOutcome?)null;
                }

                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                db.TransferJobs.Attach(job);
                job.Start(now);
                await db.SaveChangesAsync(ct);

                // The job's items were all listed a moment ago, so PostgreSQL's statistics know nothing of them.
                // Without fresh ones its planner reads each batch's items through the primary key, every item of the
                // job filtered one by one, in each of the batch's statements, instead of the (job, outcome, sequence)
                // index. A sample of the table, once per job.
                await db.Database.ExecuteSqlRawAsync("ANALYZE \"TransferJobItems\"", ct);
                await transaction.CommitAsync(ct);
                return null;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL's batch: claims the next pending items that no other batch has locked, moves or skips them, and
    /// counts them on the job at the end with one short update of its row (which the next batch to finish waits
    /// for, a few milliseconds, until this one commits). The batch that accounts for the last items completes the job.
    /// </summary>
    private async Task<BatchOutcome> ItemsBatchAsync(Guid jobId, int batchSize, PhaseTimer phases, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var job = await db.TransferJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.IsFinished)
        {
            return BatchOutcome.Finished;
        }

        if (job.State != TransferJobState.Running)
        {
            // Started above, so this is a job failed or completed since: nothing to do.
            return BatchOutcome.Finished;
        }

        phases.Lap("claim");
        var candidates = await ClaimCandidatesAsync(job, batchSize, ct);
        phases.Lap("read");
        if (candidates.Count == 0)
        {
            // Nothing left to claim: either every item is accounted for (the job completes, if the batch that
            // counted the last items has not completed it already), or other batches hold the rest.
            if (await db.TransferJobItems.AnyAsync(i => i.JobId == job.Id && i.Outcome == TransferItemOutcome.Pending, ct))
            {
                return BatchOutcome.GaveWay;
            }

            var tracked = await db.TransferJobs.SingleAsync(j => j.Id == jobId, ct);
            if (tracked.State == TransferJobState.Running)
            {
                tracked.Complete(now);
                await db.SaveChangesAsync(ct);
            }

            return BatchOutcome.Finished;
        }

        var (movedCount, skippedCount) = await WorkAsync(job, candidates, now, phases, ct);

        // Counted by increment, not by writing back what this batch read: other batches count theirs meanwhile. The
        // update locks the job's row until commit, so the count read back is this batch's and every committed one's.
        var counted = await db.TransferJobs
            .Where(j => j.Id == jobId && j.State == TransferJobState.Running && j.Total - j.Moved - j.Skipped >= movedCount + skippedCount)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Moved, j => j.Moved + movedCount)
                .SetProperty(j => j.Skipped, j => j.Skipped + skippedCount)
                .SetProperty(j => j.Version, j => j.Version + 1), ct);
        if (counted == 0)
        {
            // Not running any more is a race (rolled back and run again); running with fewer items pending than this
            // batch accounts for means the counts are wrong, which retrying cannot mend: the job fails as it would on
            // the other engines (TransferJob.RecordBatch).
            var current = await db.TransferJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Ensure(current.State == TransferJobState.Running, "the job was no longer running");
            current.EnsureBatchFits(movedCount, skippedCount);
            Ensure(false, "the job's counts changed while the batch was counted");
        }

        var counts = await db.TransferJobs.SingleAsync(j => j.Id == jobId, ct);
        if (counts.Pending == 0)
        {
            counts.Complete(now);
            await db.SaveChangesAsync(ct);
        }

        phases.Lap("job");
        phases.Summary = $"batch of {movedCount + skippedCount} ({movedCount} moved, {skippedCount} skipped)";
        return counts.IsFinished ? BatchOutcome.Finished : BatchOutcome.Worked;
    }

    /// <summary>
    /// The batch's work, whichever way it claimed its items: decides each by the job's rules, marks it skipped (with
    /// why) or moved, and moves the movable cases. Returns how many moved and how many were skipped.
    /// </summary>
    private async Task<(int Moved, int Skipped)> WorkAsync(
        TransferJob job, List<TransferCandidate> candidates, DateTimeOffset now, PhaseTimer phases, CancellationToken ct)
    {
        var decided = candidates.Select(c => (Candidate: c, Reason: job.SkipReason(c))).ToList();
        var moving = decided.Where(d => d.Reason is null).Select(d => d.Candidate).ToList();
        await MarkSkippedAsync(job, decided, now, ct);
        await MarkMovedAsync(job, candidates, moving, now, ct);
        phases.Lap("items");
        if (moving.Count > 0)
        {
            await MoveAsync(job, moving, now, phases, ct);
        }

        return (moving.Count, decided.Count - moving.Count);
    }

    /// <summary>
    /// Marks the batch's items that move as moved (after <see cref="MarkSkippedAsync"/>); each must still be pending.
    /// The batch's items are usually a run of consecutive sequence numbers (always when the batch claimed the whole
    /// job; with items claimed, when no other batch holds items in between), and then they are exactly the items in
    /// [first, last]: marked through the (job, outcome, sequence) index, cheaper than looking up each id. Otherwise by
    /// their ids.
    /// </summary>
    private async Task MarkMovedAsync(TransferJob job, List<TransferCandidate> candidates, List<TransferCandidate> moving, DateTimeOffset now, CancellationToken ct)
    {
        if (moving.Count == 0)
        {
            return;
        }

        var first = candidates.Min(c => c.Sequence);
        var last = candidates.Max(c => c.Sequence);
        var movingIds = moving.Select(c => c.CaseId).ToList();
        var claimed = last - first + 1 == candidates.Count
            ? db.TransferJobItems.Where(i => i.JobId == job.Id && i.Sequence >= first && i.Sequence <= last)
            : db.TransferJobItems.Where(i => i.JobId == job.Id && EF.Parameter(movingIds).Contains(i.CaseId));
        var marked = await claimed.Where(i => i.Outcome == TransferItemOutcome.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Outcome, TransferItemOutcome.Moved).SetProperty(i => i.ProcessedAt, now), ct);
        Ensure(marked == moving.Count, $"{marked} items were pending to move, not {moving.Count}");
    }

    /// <summary>Marks the batch's items that stay where they are as skipped, with why; each must still be pending.</summary>
    private async Task MarkSkippedAsync(TransferJob job, List<(TransferCandidate Candidate, string? Reason)> decided, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var group in decided.Where(d => d.Reason is not null).GroupBy(d => d.Reason!))
        {
            var ids = group.Select(d => d.Candidate.CaseId).ToList();
            var skipped = await db.TransferJobItems
                .Where(i => i.JobId == job.Id && i.Outcome == TransferItemOutcome.Pending && EF.Parameter(ids).Contains(i.CaseId))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Outcome, TransferItemOutcome.Skipped)
                    .SetProperty(i => i.SkipReason, group.Key)
                    .SetProperty(i => i.ProcessedAt, now), ct);
            Ensure(skipped == ids.Count, $"{skipped} claimed items were pending to skip, not {ids.Count}");
        }
    }

    /// <summary>
    /// PostgreSQL: locks the next <paramref name="batchSize"/> pending items that no other batch holds and reads
    /// each with its case's facts, as <see cref="NextCandidatesAsync"/> does. Locked rows are skipped, and a row
    /// another batch has just committed is checked again (READ COMMITTED), so it is claimed only if still pending.
    /// </summary>
    private Task<List<TransferCandidate>> ClaimCandidatesAsync(TransferJob job, int batchSize, CancellationToken ct)
    {
        var pending = nameof(TransferItemOutcome.Pending);
        var claimed = db.TransferJobItems
            .FromSql($"""
                SELECT * FROM "TransferJobItems"
                WHERE "JobId" = {job.Id} AND "Outcome" = {pending}
                ORDER BY "Sequence"
                LIMIT {batchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsNoTracking()
            .OrderBy(i => i.Sequence);
        return WithFactsAsync(claimed, ct);
    }

    private async Task<BatchOutcome> BatchAsync(Guid jobId, int batchSize, PhaseTimer phases, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var job = await db.TransferJobs.SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.IsFinished)
        {
            return BatchOutcome.Finished;
        }

        if (!job.IsDue(now))
        {
            return BatchOutcome.NotDue;
        }

        // The claim comes first: it locks the job's row (PostgreSQL, SQL Server; SQLite has one writer anyway), so a
        // second worker waits here and then fails the version check instead of working the same items.
        if (job.State == TransferJobState.Scheduled)
        {
            job.Start(now);
        }
        else
        {
            job.ClaimBatch();
        }

        await db.SaveChangesAsync(ct);
        phases.Lap("claim");
        var candidates = await NextCandidatesAsync(job, batchSize, ct);
        phases.Lap("read");
        if (candidates.Count == 0)
        {
            job.Complete(now);
            await db.SaveChangesAsync(ct);
            return BatchOutcome.Finished;
        }

        var (movedCount, skippedCount) = await WorkAsync(job, candidates, now, phases, ct);

        job.RecordBatch(movedCount, skippedCount, now);
        await db.SaveChangesAsync(ct);
        phases.Lap("job");
        phases.Summary = $"batch of {movedCount + skippedCount} ({movedCount} moved, {skippedCount} skipped)";
        return job.IsFinished ? BatchOutcome.Finished : BatchOutcome.Worked;
    }

    /// <summary>
    /// Each pending item with its case's facts as they are now; a case that no longer exists reads as held by no
    /// one (and is skipped as no longer held).
    /// </summary>
    private Task<List<TransferCandidate>> NextCandidatesAsync(TransferJob job, int batchSize, CancellationToken ct) =>
        WithFactsAsync(
            db.TransferJobItems.AsNoTracking()
                .Where(i => i.JobId == job.Id && i.Outcome == TransferItemOutcome.Pending)
                .OrderBy(i => i.Sequence)
                .Take(batchSize),
            ct);

    /// <summary>Each item, in the order given, with its case's facts as they are now (see <see cref="TransferCandidate"/>).</summary>
    private Task<List<TransferCandidate>> WithFactsAsync(IQueryable<TransferJobItem> items, CancellationToken ct) =>
        items
            .SelectMany(
                i => db.Cases.Where(c => c.Id == i.CaseId).DefaultIfEmpty(),
                (i, c) => new TransferCandidate(
                    i.Sequence,
                    i.CaseId,
                    i.Crn,
                    c == null ? null : c.HolderOrganisationCode,
                    c == null ? 0 : c.Version,
                    db.CaseHoldings.Count(h => h.CaseId == i.CaseId && h.To == null),
                    db.CaseHoldings.Where(h => h.CaseId == i.CaseId && h.To == null).Select(h => (DateTimeOffset?)h.From).FirstOrDefault(),
                    db.Allocations.Any(a => a.OpenCaseId == i.CaseId),
                    db.Escalations.Any(e => e.OpenCaseId == i.CaseId),
                    db.Disputes.Any(d => d.OpenCaseId == i.CaseId)))
            .ToListAsync(ct);

    /// <summary>
    /// What <see cref="Case.TransferTo"/> does to one case, done to the whole batch at once. The update repeats the
    /// facts the decision read (holder, no open allocation, escalation or dispute) and the versions are checked after it: a case changed
    /// by someone else since the read makes the batch a conflict, rolled back and run again. Once updated, the
    /// cases' rows stay locked until commit, so their holdings cannot change under the rest of the batch.
    /// </summary>
    private async Task MoveAsync(TransferJob job, List<TransferCandidate> moving, DateTimeOffset now, PhaseTimer phases, CancellationToken ct)
    {
        // The batch's case ids go to the database as one array (PostgreSQL) or JSON (SQLite, SQL Server) parameter:
        // each statement then looks its cases up by primary key. Joining the batch's items instead left the plan
        // to statistics of a table that had just been filled, and PostgreSQL chose hash joins over whole-table scans
        // of the cases and holdings, or walked every item of the job, in each statement.
        var ids = moving.Select(c => c.CaseId).ToList();
        if (db.Database.ProviderName == PostgresProvider)
        {
            // One statement does the update and the version check: each case is updated only if it still has the
            // version the decision read (ids and versions paired by unnest), so a count short of the batch is a
            // conflict. Saves reading the 5,000 rows back to sum their versions (15-40 ms a batch). The "= ANY" keeps
            // the plan the EF update had (the batch's cases found first); with the join alone PostgreSQL hashed every
            // case held by the source organisation (100,000) to join 5,000.
            var caseIds = ids.ToArray();
            var readVersions = moving.Select(c => c.Version).ToArray();
            var from = job.FromOrganisationCode;
            var to = job.ToOrganisationCode;
            var heldSince = job.EffectiveAt.ToUniversalTime();
            var updatedAt = now.ToUniversalTime();
            var moved = await db.Database.ExecuteSqlAsync($"""
                UPDATE "Cases" AS c
                SET "HolderOrganisationCode" = {to}, "HeldSince" = {heldSince}, "ResponsibleOfficerId" = NULL,
                    "Version" = c."Version" + 1, "UpdatedAt" = {updatedAt}, "LastAuditedWriteAt" = {updatedAt}
                FROM unnest({caseIds}, {readVersions}) AS m("Id", "Version")
                WHERE c."Id" = ANY({caseIds}) AND c."Id" = m."Id" AND c."Version" = m."Version"
                  AND c."HolderOrganisationCode" = {from}
                  AND NOT EXISTS (SELECT 1 FROM "Allocations" AS a WHERE a."OpenCaseId" = c."Id")
                  AND NOT EXISTS (SELECT 1 FROM "Escalations" AS e WHERE e."OpenCaseId" = c."Id")
                  AND NOT EXISTS (SELECT 1 FROM "Disputes" AS d WHERE d."OpenCaseId" = c."Id")
                """, ct);
            Ensure(moved == moving.Count, $"{moved} of {moving.Count} cases were still as read (holder, version, no open allocation, escalation or dispute)");
            phases.Lap("cases");
        }
        else
        {
            var updated = await db.Cases
                .Where(c => EF.Parameter(ids).Contains(c.Id) && c.HolderOrganisationCode == job.FromOrganisationCode
                    && !db.Allocations.Any(a => a.OpenCaseId == c.Id) && !db.Escalations.Any(e => e.OpenCaseId == c.Id)
                    && !db.Disputes.Any(d => d.OpenCaseId == c.Id))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.HolderOrganisationCode, job.ToOrganisationCode)
                    .SetProperty(c => c.HeldSince, job.EffectiveAt)
                    .SetProperty(c => c.ResponsibleOfficerId, (Guid?)null)
                    .SetProperty(c => c.Version, c => c.Version + 1)
                    .SetProperty(c => c.UpdatedAt, now)
                    .SetProperty(c => c.LastAuditedWriteAt, now), ct);
            Ensure(updated == moving.Count, $"{updated} of {moving.Count} cases were still as read");
            phases.Lap("cases");
            var versions = await db.Cases.Where(c => EF.Parameter(ids).Contains(c.Id)).SumAsync(c => c.Version, ct);
            Ensure(versions == moving.Sum(c => c.Version + 1), "a case changed between reading and moving it");
            phases.Lap("versions");
        }

        var closed = await db.CaseHoldings
            .Where(h => h.To == null && EF.Parameter(ids).Contains(h.CaseId))
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.To, (DateTimeOffset?)job.EffectiveAt), ct);
        Ensure(closed == moving.Count, $"{closed} open holdings closed for {moving.Count} cases");
        phases.Lap("close");

        await db.InsertManyAsync(moving.Select(c => job.NewHolding(Guid.CreateVersion7(now), c.CaseId)).ToList(), ct);
        phases.Lap("holdings");
        var entries = moving.Select(c => job.AuditEntryFor(Guid.CreateVersion7(now), c.Crn, c.Version + 1, now)).ToList();
        phases.Lap("entries-build");
        await db.InsertManyAsync(entries, ct);
        phases.Lap("entries");
        // One serialisation of the envelope per batch: the events differ only in their CRN.
        var sample = job.HolderChanged(moving[0].Crn);
        // Both sides hear of each case's move (shares of the moving cases are not looked up, batch by batch).
        var audience = await audiences.OfAsync([job.FromOrganisationCode, job.ToOrganisationCode], ct);
        var events = OutboxMessage.ForEachCrn(crn => sample with { Crn = crn }, moving.Select(c => c.Crn.Value), now, audience);
        phases.Lap("events-build");
        await db.InsertManyAsync(events, ct);
        phases.Lap("events");
    }

    private static void Ensure(bool condition, string what)
    {
        if (!condition)
        {
            throw new TransferBatchConflictException($"Transfer batch rolled back: {what}.");
        }
    }

    /// <summary>Milliseconds per step of a batch, for the batch's log line.</summary>
    private sealed class PhaseTimer
    {
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
        private readonly List<string> _laps = [];
        private TimeSpan _last;

        /// <summary>What the batch did, for the log line written after commit; null when it did nothing.</summary>
        public string? Summary { get; set; }

        public void Lap(string name)
        {
            var now = _watch.Elapsed;
            _laps.Add($"{name} {(now - _last).TotalMilliseconds:0}");
            _last = now;
        }

        public override string ToString() => $"{_watch.Elapsed.TotalMilliseconds:0} ms ({string.Join(", ", _laps)})";
    }
}
