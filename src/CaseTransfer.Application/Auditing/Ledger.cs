using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Auditing;

/// <summary>
/// The log's identity: its origin line, its Ed25519 note key, the merge delay its receipts promise, and how late after
/// the instant it claims an entry may be integrated before verification calls it inserted after the fact.
/// </summary>
public interface IAuditLedgerKeys
{
    string Origin { get; }
    NoteSigner Signer { get; }
    NoteVerifier Verifier { get; }
    int MaxMergeDelaySeconds { get; }
    TimeSpan LateEntryLimit { get; }
}

/// <summary>
/// Appends committed audit entries to the RFC 9162 tree, in commit (sequence) order, and signs checkpoints.
/// Leaves go in at the next free index, whose primary key lets only one integrator win a race: several
/// service instances may run it, and the loser rolls back and tries again. Runs shortly after commit, so writes
/// are never serialised behind the tree.
/// </summary>
public sealed class LedgerIntegrator(IAppDbContext db, IAuditLedgerKeys keys, TimeProvider clock)
{
    /// <summary>
    /// How far behind the newest integrated entry a late commit may appear. A transaction holds its sequence number
    /// for at most seconds, far fewer entries than this.
    /// </summary>
    public const long LateCommitWindow = 100_000;

    /// <summary>Attempts at one batch when another integrator appends the same leaves first.</summary>
    public const int MaxRaces = 3;

    /// <summary>
    /// How far the high-water mark may move between two sweeps of the background integrator: a pass that could carry
    /// it further sweeps instead (see the service's schedule), however soon its next timed sweep is due.
    /// </summary>
    public const long MaxAdvanceBetweenSweeps = LateCommitWindow / 2;

    /// <summary>
    /// How far below the mark a sweep reads at least: the window, plus how far the mark may move between the background
    /// integrator's sweeps. Verification reports an unlogged entry as inserted only below this reach.
    /// </summary>
    public const long SweepReach = LateCommitWindow + MaxAdvanceBetweenSweeps;

    /// <summary>The floor of a sweep at <paramref name="highWater"/> with no earlier sweep to reach back to; verification uses the same floor.</summary>
    public static long SweepFloor(long highWater) => highWater - SweepReach;

    /// <summary>
    /// Appends up to <paramref name="batchSize"/> committed entries, late commits included (a full sweep): what callers
    /// that loop until nothing is left (tests, the bench, tools) need, since everything committed before the call is
    /// then integrated. The background service calls <see cref="PassAsync"/> and sweeps only every few seconds.
    /// </summary>
    public async Task<int> IntegrateAsync(int batchSize, CancellationToken cancellationToken) =>
        (await PassAsync(batchSize, mark => SweepFloor(mark), cancellationToken)).Integrated;

    /// <summary>
    /// Appends up to <paramref name="batchSize"/> committed entries. <paramref name="sweepFloor"/> is given the
    /// integrated high-water mark the pass reads and answers the sequence number a sweep reads above, or null for an
    /// ordinary pass. An ordinary pass reads only the entries above the integrated high-water mark (the largest
    /// sequence number with a leaf), by a range of the entries' primary key: nearly free when nothing was written. A
    /// late commit, an entry whose transaction committed after entries with higher sequence numbers were integrated,
    /// is below that mark, so only a sweep finds it: the anti-join of at least the last <see cref="SweepReach"/>
    /// sequence numbers against their leaves, which costs tens of milliseconds of the database whether or not anything
    /// was written. Either way the pending entries go in in sequence order at the next free leaf indexes.
    /// <para>
    /// The entries are read and hashed before the write transaction begins, so the transaction only inserts: on
    /// SQLite, whose one write lock every command shares, the tree no longer holds that lock while it reads and hashes
    /// (it made a bulk transfer's batches wait up to a second each). Reading outside the transaction is safe because
    /// the leaves' and nodes' primary keys decide a race, as they always did on PostgreSQL (whose reads see each
    /// statement's own snapshot): when another integrator appended first, the insert fails, nothing is written, and
    /// the batch is read again.
    /// </para>
    /// </summary>
    public Task<LedgerPass> PassAsync(int batchSize, Func<long, long?> sweepFloor, CancellationToken cancellationToken) =>
        RunPassAsync(batchSize, sweepFloor, null, cancellationToken);

    /// <summary>
    /// The start-up recovery: integrates everything committed and not yet integrated, as the service does before it
    /// accepts requests, in full sweeps of up to <paramref name="batchSize"/> entries, each in one transaction, until one
    /// takes fewer. When any entry of a pass is late by the verifier's rule (the service stopped without integrating it,
    /// and started again more than the late-entry limit later), the pass's transaction appends a recovery entry
    /// (<see cref="LedgerRecovery"/>, written by <paramref name="trail"/> as the system, at the pass's instant) as its last
    /// leaf, naming them and the last integration before the stop (as the first pass read it, so every pass names the
    /// same): verification then reports them as recovered, not as inserted after the fact. A crash in the middle of a pass
    /// leaves neither its leaves nor its entry. The entry is a combination (DPA 2018 s.62) of entries into the log, about
    /// no person.
    /// </summary>
    public async Task<LedgerRecoveryOutcome> RecoverAsync(AuditTrail trail, int batchSize, CancellationToken cancellationToken)
    {
        // Read by the first pass that integrates anything; the passes after it would read the recovery's own leaves.
        DateTimeOffset? lastIntegrationBefore = null;
        var read = false;
        var records = new List<AuditEntry>();
        int integrated = 0, late = 0;
        LedgerPass pass;
        do
        {
            pass = await RunPassAsync(batchSize, mark => SweepFloor(mark), pending =>
            {
                lastIntegrationBefore = read ? lastIntegrationBefore : pending.LastIntegrationBefore;
                return LedgerRecovery.For(pending.Entries.Select(e => (e.Sequence, e.OccurredAt)), lastIntegrationBefore, pending.IntegratedAt, keys.LateEntryLimit) is { } recovery
                    ? trail.Describe(
                        new AuditFacts(
                            AuditOperation.Combination, LedgerRecovery.Action, ResourceType: LedgerRecovery.ResourceType, Summary: recovery.Summary,
                            Justification: LedgerRecovery.Reason),
                        pending.IntegratedAt)
                    : null;
            }, cancellationToken);
            read |= pass.Integrated > 0;
            integrated += pass.Integrated;
            if (pass.Recovery is { } record && LedgerRecovery.TryParse(record.Summary, out var recovery))
            {
                records.Add(record);
                late += recovery.LateCount;
            }
        }
        while (pass.Integrated == batchSize);
        return new LedgerRecoveryOutcome(integrated, late, records, pass);
    }

    private async Task<LedgerPass> RunPassAsync(int batchSize, Func<long, long?> sweepFloor, Func<PendingPass, AuditEntry?>? record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PassOnceAsync(batchSize, sweepFloor, record, cancellationToken);
            }
            // The bulk insert reports a key violation as the provider's own DbException (COPY, prepared INSERT),
            // EF's SaveChanges as a DbUpdateException.
            catch (Exception ex) when (attempt < MaxRaces && ex is DbUpdateException or System.Data.Common.DbException)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<LedgerPass> PassOnceAsync(
        int batchSize, Func<long, long?> sweepFloor, Func<PendingPass, AuditEntry?>? record, CancellationToken cancellationToken)
    {
        // The tree's size is read before the entries: if another integrator appends between the two reads, this
        // pass's leaves go in at indexes that are taken and its insert fails, instead of integrating an entry twice.
        var size = await TreeSizeAsync(cancellationToken);
        var highWater = await db.AuditLeaves.MaxAsync(l => (long?)l.EntrySequence, cancellationToken) ?? 0;
        // Decided on the mark just read, which counts what other integrators appended since this one's last pass.
        var floor = sweepFloor(highWater);
        var sweep = floor is not null;
        List<AuditEntry> pending;
        if (sweep)
        {
            // The leaves are bounded by the floor too (a leaf of an entry above it is above it): without that bound
            // PostgreSQL hashed every leaf of the log, in parallel workers, on every pass (160 ms and three processes
            // at 400,000 entries, while a bulk transfer wrote); with it, a merge anti-join of the two windows' indexes
            // (40 ms).
            var from = floor!.Value;
            pending = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence > from && !db.AuditLeaves.Any(l => l.EntrySequence > from && l.EntrySequence == e.Sequence))
                .OrderBy(e => e.Sequence)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
        }
        else
        {
            // Every entry above the mark is pending (a leaf's entry is at or below it), so no anti-join is needed.
            pending = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence > highWater)
                .OrderBy(e => e.Sequence)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
        }

        if (pending.Count == 0)
        {
            return new LedgerPass(sweep, 0, highWater, highWater);
        }

        // The frontier of the size read above: its nodes were committed with its leaves and never change.
        var frontier = await LoadFrontierAsync(size, cancellationToken);
        var now = AuditEntry.TruncateToMicroseconds(clock.GetUtcNow());
        var leaves = new List<AuditLeaf>(pending.Count + 1);
        var nodes = new List<AuditTreeNode>(pending.Count + 1);
        foreach (var entry in pending)
        {
            var leafHash = AuditEntryEncoding.LeafHash(entry);
            leaves.Add(new AuditLeaf(frontier.Size, entry.Sequence, leafHash, now));
            nodes.AddRange(frontier.Append(leafHash));
        }

        // A recovery's own entry is the pass's last leaf. Its leaf hash does not depend on the sequence number the
        // database gives it, so only the leaf row waits for the insert.
        var lastIntegration = record is null || size == 0 ? null
            : await db.AuditLeaves.Where(l => l.LeafIndex == size - 1).Select(l => (DateTimeOffset?)l.IntegratedAt).SingleAsync(cancellationToken);
        var recovery = record?.Invoke(new PendingPass(pending, now, lastIntegration));
        var recoveryIndex = frontier.Size;
        var recoveryHash = recovery is null ? null : AuditEntryEncoding.LeafHash(recovery);
        if (recoveryHash is not null)
        {
            nodes.AddRange(frontier.Append(recoveryHash));
        }

        // Set-based (COPY on PostgreSQL): tracking 10,000 new rows per batch made SaveChanges the integrator's
        // bottleneck (about 2,300 entries/s). The primary keys decide a race: the loser's insert fails and its
        // transaction rolls back.
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (recovery is not null)
            {
                db.AuditEntries.Add(recovery);
                await db.SaveChangesAsync(ct);
                leaves.Add(new AuditLeaf(recoveryIndex, recovery.Sequence, recoveryHash!, now));
            }

            await db.InsertManyAsync(leaves, ct);
            await db.InsertManyAsync(nodes, ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
        return new LedgerPass(sweep, pending.Count, highWater, Math.Max(highWater, recovery?.Sequence ?? pending[^1].Sequence), recovery);
    }

    /// <summary>Signs a checkpoint of the current tree when it has grown since the last one.</summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken)
    {
        var size = await TreeSizeAsync(cancellationToken);
        var last = await db.AuditCheckpoints.MaxAsync(c => (long?)c.TreeSize, cancellationToken) ?? -1;
        if (size == 0 || size <= last)
        {
            return null;
        }

        var root = (await LoadFrontierAsync(size, cancellationToken)).RootHash();
        var note = new Checkpoint(keys.Origin, size, root).Sign(keys.Signer);
        var checkpoint = new AuditCheckpoint(size, root, note, clock.GetUtcNow());
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return checkpoint;
    }

    public async Task<long> TreeSizeAsync(CancellationToken cancellationToken) =>
        (await db.AuditLeaves.MaxAsync(l => (long?)l.LeafIndex, cancellationToken) ?? -1) + 1;

    private async Task<MerkleFrontier> LoadFrontierAsync(long size, CancellationToken cancellationToken)
    {
        var positions = MerkleFrontier.PeakPositions(size).ToList();
        var hashes = await LedgerNodes.LoadAsync(db, positions, cancellationToken);
        return new MerkleFrontier(size, positions.Select(p => (p.Level, p.Index, hashes[p])));
    }
}

/// <summary>
/// What one integration pass did: whether it swept the late-commit window, how many entries it appended, the
/// integrated high-water mark (the largest entry sequence number with a leaf) it read and the one it left, and the
/// entry a start-up recovery appended after them to name those integrated late, if it did.
/// </summary>
public readonly record struct LedgerPass(bool Swept, int Integrated, long HighWaterMarkBefore, long HighWaterMark, AuditEntry? Recovery = null);

/// <summary>
/// What a start-up recovery did: how many entries it integrated, how many of them late, the recovery entries that name
/// those (one for each pass that had any), and its last pass (a complete sweep).
/// </summary>
public sealed record LedgerRecoveryOutcome(int Integrated, int Late, IReadOnlyList<AuditEntry> Records, LedgerPass LastPass);

/// <summary>The entries a pass is about to integrate at <see cref="IntegratedAt"/>, and the instant of the last leaf before them.</summary>
internal sealed record PendingPass(IReadOnlyList<AuditEntry> Entries, DateTimeOffset IntegratedAt, DateTimeOffset? LastIntegrationBefore);

/// <summary>Reads stored subtree hashes: level 0 from the leaves, higher levels from the node table.</summary>
public static class LedgerNodes
{
    public static async Task<Dictionary<(int Level, long Index), byte[]>> LoadAsync(
        IAppDbContext db, IReadOnlyCollection<(int Level, long Index)> positions, CancellationToken cancellationToken)
    {
        // One query for every level, the leaves and the higher nodes together: each part is answered from its primary
        // key, and the few (level, index) combinations not asked for are dropped here. A proof needs ~2 log2(n) nodes;
        // a query per level, or one per table, made round trips the cost of serving a proof.
        var leafIndexes = positions.Where(p => p.Level == 0).Select(p => p.Index).Distinct().ToList();
        var higher = positions.Where(p => p.Level > 0).ToList();
        var levels = higher.Select(p => p.Level).Distinct().ToList();
        var indexes = higher.Select(p => p.Index).Distinct().ToList();
        var wanted = positions.ToHashSet();
        var rows = await db.AuditLeaves.AsNoTracking()
            .Where(l => leafIndexes.Contains(l.LeafIndex))
            .Select(l => new { Level = 0, Index = l.LeafIndex, Hash = l.LeafHash })
            .Concat(db.AuditTreeNodes.AsNoTracking()
                .Where(n => levels.Contains(n.Level) && indexes.Contains(n.Index))
                .Select(n => new { n.Level, n.Index, n.Hash }))
            .ToListAsync(cancellationToken);
        var result = new Dictionary<(int, long), byte[]>(wanted.Count);
        foreach (var row in rows.Where(r => wanted.Contains((r.Level, r.Index))))
        {
            result[(row.Level, row.Index)] = row.Hash;
        }

        var missing = positions.Where(p => !result.ContainsKey(p)).ToList();
        return missing.Count == 0
            ? result
            : throw new InvalidOperationException($"The log's stored tree is missing {missing.Count} node(s), first ({missing[0].Level}, {missing[0].Index}); run verification.");
    }

    /// <summary>
    /// Runs a proof computation twice: once to learn which complete subtrees it needs (the shape of a proof
    /// depends only on sizes, never on hashes), then with those read from the database in one pass.
    /// </summary>
    public static async Task<T> WithStoredNodesAsync<T>(IAppDbContext db, Func<IMerkleNodeSource, T> compute, CancellationToken cancellationToken)
    {
        var needed = new HashSet<(int Level, long Index)>();
        compute(MerkleNodeSource.FromFunction((start, end) =>
        {
            var level = System.Numerics.BitOperations.Log2((ulong)(end - start));
            needed.Add((level, start >> level));
            return new byte[MerkleTree.HashLength];
        }));
        var hashes = await LoadAsync(db, needed, cancellationToken);
        return compute(MerkleNodeSource.FromFunction((start, end) =>
        {
            var level = System.Numerics.BitOperations.Log2((ulong)(end - start));
            return hashes[(level, start >> level)];
        }));
    }
}
