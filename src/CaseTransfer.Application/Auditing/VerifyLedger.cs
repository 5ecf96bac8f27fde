using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Auditing;

/// <summary>
/// Recomputes the log from the stored entries and checks it against every signed checkpoint, the service's own and
/// any an organisation kept: "intact" with the root, or every entry whose content no longer matches, every missing or
/// extra leaf, and every checkpoint the recomputed tree contradicts. Entries a start-up recovery integrated late, and
/// recorded in the log, are notes, not problems.
/// </summary>
[Authorise(Roles.Auditor)]
public sealed record VerifyLedger(IReadOnlyList<string>? KeptCheckpoints) : IQuery<LedgerVerification>, IConsultation
{
    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation, nameof(VerifyLedger), null, "audit-log", null, ((LedgerVerification)result).TreeSize,
        ((LedgerVerification)result).Intact ? "intact" : $"{((LedgerVerification)result).Problems.Count} problems");
}

public sealed record LedgerProblem(string Kind, long? LeafIndex, long? EntrySequence, Guid? EntryId, string Detail);

/// <summary>Something verification found that is not a problem: an entry integrated late that a recorded start-up recovery explains.</summary>
public sealed record LedgerNote(string Kind, long? LeafIndex, long? EntrySequence, Guid? EntryId, string Detail);

/// <summary>Intact means no problems; notes never make it false.</summary>
public sealed record LedgerVerification(
    bool Intact, long TreeSize, string RootHash, int CheckpointsChecked, IReadOnlyList<LedgerProblem> Problems, IReadOnlyList<LedgerNote> Notes);

public sealed class VerifyLedgerValidator : AbstractValidator<VerifyLedger>
{
    public VerifyLedgerValidator() =>
        RuleFor(v => v.KeptCheckpoints).Must(k => k is null || k.Count <= 1000).WithMessage("must hold at most 1000 checkpoints");
}

public sealed class VerifyLedgerHandler(LedgerVerifier verifier) : IQueryHandler<VerifyLedger, LedgerVerification>
{
    public async ValueTask<LedgerVerification> Handle(VerifyLedger query, CancellationToken cancellationToken) =>
        await verifier.VerifyAsync(query.KeptCheckpoints ?? [], cancellationToken);
}

public sealed class LedgerVerifier(IAppDbContext db, IAuditLedgerKeys keys)
{
    private const int PageSize = 50_000;
    private const int MaxProblemsReported = 1000;

    public async Task<LedgerVerification> VerifyAsync(IReadOnlyList<string> keptNotes, CancellationToken cancellationToken)
    {
        var problems = new List<LedgerProblem>();
        void Report(LedgerProblem problem)
        {
            if (problems.Count < MaxProblemsReported)
            {
                problems.Add(problem);
            }
        }

        var notes = new List<LedgerNote>();
        var late = new LateEntryReview(keys.LateEntryLimit, finding =>
        {
            if (!finding.Explained)
            {
                var logged = $"The entry was logged {(finding.IntegratedAt - finding.OccurredAt).TotalSeconds:F0} s after the instant it claims (the late-entry limit is {keys.LateEntryLimit.TotalSeconds:F0} s): it may have been inserted after the fact.";
                Report(new LedgerProblem("late-entry", finding.LeafIndex, finding.EntrySequence, finding.EntryId, finding.RecoveryLeafIndex is { } named
                    ? $"{logged} The start-up recovery recorded at leaf {named} integrated it, but it claims an instant more than the limit before the service's last integration before it stopped ({finding.LastIntegrationBefore:O}), when the service would already have logged it."
                    : logged));
            }
            else if (notes.Count < MaxProblemsReported)
            {
                notes.Add(new LedgerNote("recovered-late", finding.LeafIndex, finding.EntrySequence, finding.EntryId,
                    $"Logged {(finding.IntegratedAt - finding.OccurredAt).TotalSeconds:F0} s after the instant it claims, by the start-up recovery recorded at leaf {finding.RecoveryLeafIndex}: it was committed before the service stopped without integrating it{(finding.LastIntegrationBefore is { } last ? $" (its last integration before the stop was at {last:O})" : "")}, not inserted after the fact."));
            }
        });

        // Every checkpoint to test the recomputed tree against: the service's and the organisation's own copies.
        var checkpoints = new SortedDictionary<long, List<(byte[] Root, string Source)>>();
        foreach (var stored in await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.TreeSize).ToListAsync(cancellationToken))
        {
            AddCheckpoint(stored.Note, "stored", stored.TreeSize, Report, checkpoints);
        }

        foreach (var note in keptNotes)
        {
            AddCheckpoint(note, "kept", null, Report, checkpoints);
        }

        // Pages of leaves (only the columns checked) and their entries, fetched while the previous page is hashed
        // on the other cores: reading and hashing a million entries one after the other took several times the
        // five seconds a full verification may take.
        var frontier = new MerkleAccumulator(); // peaks only: verification needs roots, not the nodes the integrator stores
        var checkedCount = 0;
        long expected = 0;
        // Pages are ranges of leaf indexes up to the last leaf stored now (read after the checkpoints, so no
        // checkpoint is beyond it unless leaves were removed); a range with a gap simply holds fewer leaves.
        var last = await db.AuditLeaves.MaxAsync(l => (long?)l.LeafIndex, cancellationToken) ?? -1;
        var page = await PageAsync(-1, last, cancellationToken);
        while (page.Leaves.Count > 0 || page.Through < last)
        {
            var current = page;
            var hashing = Task.Run(() => HashEntries(current), cancellationToken);
            var next = PageAsync(current.Through, last, cancellationToken);
            byte[]?[] hashes;
            try
            {
                hashes = await hashing;
            }
            catch
            {
                await next.ContinueWith(_ => { }, TaskScheduler.Default);
                throw;
            }

            for (var i = 0; i < current.Leaves.Count; i++)
            {
                var leaf = current.Leaves[i];
                for (; expected < leaf.LeafIndex; expected++)
                {
                    Report(new LedgerProblem("missing-leaf", expected, null, null, "No leaf is stored at this index: it was deleted."));
                    frontier.Append(new byte[MerkleTree.HashLength]);
                }

                byte[] hash;
                AuditEntryFields? unchanged = null;
                if (hashes[i] is not { } computed)
                {
                    Report(new LedgerProblem("missing-entry", leaf.LeafIndex, leaf.EntrySequence, null, "The leaf's audit entry is gone: it was deleted."));
                    hash = leaf.LeafHash;
                }
                else
                {
                    var entry = current.Entries[leaf.EntrySequence];
                    hash = computed;
                    if (!hash.AsSpan().SequenceEqual(leaf.LeafHash))
                    {
                        Report(new LedgerProblem("entry-changed", leaf.LeafIndex, leaf.EntrySequence, entry.Id, "The entry's content no longer matches the leaf hash it was logged with."));
                    }
                    else
                    {
                        unchanged = entry;
                    }
                }

                late.Add(leaf.LeafIndex, leaf.EntrySequence, leaf.IntegratedAt, unchanged);

                frontier.Append(hash);
                expected = leaf.LeafIndex + 1;
                checkedCount += CheckRoot(frontier, checkpoints, Report);
            }

            page = await next;
        }

        late.Finish();

        foreach (var beyond in checkpoints.Where(c => c.Key > frontier.Size))
        {
            foreach (var (_, source) in beyond.Value)
            {
                Report(new LedgerProblem("checkpoint-beyond-log", null, null, null, $"A {source} checkpoint of size {beyond.Key} is larger than the log ({frontier.Size} leaves): leaves were removed."));
            }
        }

        // Entries never integrated, long after the merge delay the receipts promise: inserted behind the integrator's back.
        // Below the floor the integrator's sweeps read past, so never an entry the integrator may still take.
        var floor = LedgerIntegrator.SweepFloor(await db.AuditLeaves.MaxAsync(l => (long?)l.EntrySequence, cancellationToken) ?? 0);
        var orphans = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Sequence <= floor && !db.AuditLeaves.Any(l => l.EntrySequence == e.Sequence))
            .OrderBy(e => e.Sequence).Take(MaxProblemsReported).ToListAsync(cancellationToken);
        foreach (var orphan in orphans)
        {
            Report(new LedgerProblem("extra-entry", null, orphan.Sequence, orphan.Id, "An entry sits among logged ones but was never logged: it was inserted after the fact."));
        }

        return new LedgerVerification(problems.Count == 0, frontier.Size, Convert.ToBase64String(frontier.RootHash()), checkedCount, problems, notes);
    }

    private sealed record Page(List<StoredLeaf> Leaves, long Through, Dictionary<long, AuditEntryFields> Entries);

    /// <summary>The leaves after <paramref name="after"/> (a page's worth of indexes, at most up to <paramref name="last"/>), with the entries they point at (those still stored).</summary>
    private async Task<Page> PageAsync(long after, long last, CancellationToken cancellationToken)
    {
        var through = Math.Min(after + PageSize, last);
        var leaves = through > after ? await StoredEntries.ReadLeavesAsync(db, after + 1, through, cancellationToken) : [];
        if (leaves.Count == 0)
        {
            return new Page(leaves, Math.Max(through, after), []);
        }

        // Leaves follow commit order, so a page's entries are one short range of sequence numbers (a late commit
        // widens it a little): read the range by primary key, as stored. A range much wider than the page, which only
        // a tampered leaf can cause, is read by the exact sequence numbers instead.
        var low = leaves.Min(l => l.EntrySequence);
        var high = leaves.Max(l => l.EntrySequence);
        if (high - low < (2L * leaves.Count) + LedgerIntegrator.SweepReach)
        {
            return new Page(leaves, through, await StoredEntries.ReadRangeAsync(db, low, high, cancellationToken));
        }

        var sequences = leaves.Select(l => l.EntrySequence).ToList();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => sequences.Contains(e.Sequence)).ToListAsync(cancellationToken);
        return new Page(leaves, through, entries.ToDictionary(e => e.Sequence, e => e.Fields));
    }

    /// <summary>Each leaf's entry's hash as it is now, or null where the entry is gone; in parallel.</summary>
    private static byte[]?[] HashEntries(Page page)
    {
        var hashes = new byte[]?[page.Leaves.Count];
        Parallel.For(0, hashes.Length, i =>
        {
            if (page.Entries.TryGetValue(page.Leaves[i].EntrySequence, out var entry))
            {
                hashes[i] = AuditEntryEncoding.LeafHash(entry);
            }
        });
        return hashes;
    }

    private void AddCheckpoint(string note, string source, long? storedSize, Action<LedgerProblem> report, SortedDictionary<long, List<(byte[], string)>> into)
    {
        var opening = Checkpoint.Open(note, keys.Verifier);
        if (opening.Malformed is { } malformed)
        {
            report(new LedgerProblem("malformed-checkpoint", null, null, null, $"A {source} checkpoint cannot be read as a C2SP signed checkpoint: {malformed}."));
            return;
        }

        if (opening.Checkpoint is not { } checkpoint || checkpoint.Origin != keys.Origin || (storedSize is { } size && checkpoint.TreeSize != size))
        {
            report(new LedgerProblem("bad-checkpoint", null, null, null, $"A {source} checkpoint does not verify with this log's key."));
            return;
        }

        if (!into.TryGetValue(checkpoint.TreeSize, out var list))
        {
            into[checkpoint.TreeSize] = list = [];
        }

        list.Add((checkpoint.RootHash, source));
    }

    private static int CheckRoot(MerkleAccumulator frontier, SortedDictionary<long, List<(byte[] Root, string Source)>> checkpoints, Action<LedgerProblem> report)
    {
        if (!checkpoints.TryGetValue(frontier.Size, out var atSize))
        {
            return 0;
        }

        var root = frontier.RootHash();
        foreach (var (expected, source) in atSize.Where(c => !c.Root.AsSpan().SequenceEqual(root)))
        {
            report(new LedgerProblem("checkpoint-mismatch", frontier.Size - 1, null, null,
                $"The recomputed tree of {frontier.Size} leaves does not match the {source} signed checkpoint (root {Convert.ToBase64String(expected)}): history before it was rewritten."));
        }

        return atSize.Count;
    }
}
