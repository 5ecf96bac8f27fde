using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Auditing;

public sealed record CheckpointView(long TreeSize, string RootHash, DateTimeOffset SignedAt, string Note);

public sealed record LedgerPublicKey(string Origin, string VerifierKey, string Algorithm, int MaxMergeDelaySeconds);

public sealed record InclusionProofView(long LeafIndex, long TreeSize, Guid EntryId, string LeafHash, string RootHash, IReadOnlyList<string> AuditPath);

public sealed record ConsistencyProofView(long From, long To, string FromRootHash, string ToRootHash, IReadOnlyList<string> Proof);

/// <summary>Signed checkpoints, newest first: each organisation fetches and keeps its own copies.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetCheckpoints(int? Limit) : IQuery<IReadOnlyList<CheckpointView>>
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;
}

/// <summary>The log's verifier key (C2SP signed-note format), for checking checkpoints and receipts offline.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetLedgerPublicKey : IQuery<LedgerPublicKey>;

/// <summary>The RFC 9162 inclusion proof of leaf <see cref="Index"/> in the tree of <see cref="TreeSize"/> leaves (default: the latest checkpoint).</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetInclusionProof(long Index, long? TreeSize) : IQuery<InclusionProofView>;

/// <summary>The RFC 9162 consistency proof that the tree of <see cref="To"/> leaves extends the tree of <see cref="From"/>.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetConsistencyProof(long From, long To) : IQuery<ConsistencyProofView>;

public sealed class GetCheckpointsValidator : AbstractValidator<GetCheckpoints>
{
    public GetCheckpointsValidator() =>
        RuleFor(q => q.Limit).InclusiveBetween(1, GetCheckpoints.MaxLimit).WithMessage($"must be from 1 to {GetCheckpoints.MaxLimit}");
}

public sealed class GetInclusionProofValidator : AbstractValidator<GetInclusionProof>
{
    public GetInclusionProofValidator()
    {
        RuleFor(q => q.Index).GreaterThanOrEqualTo(0).WithMessage("must not be negative");
        RuleFor(q => q.TreeSize).Must((q, size) => size is null || size > q.Index).WithMessage("must be greater than the leaf index");
    }
}

public sealed class GetConsistencyProofValidator : AbstractValidator<GetConsistencyProof>
{
    public GetConsistencyProofValidator()
    {
        RuleFor(q => q.From).GreaterThanOrEqualTo(1).WithMessage("must be at least 1");
        RuleFor(q => q.To).Must((q, to) => to >= q.From).WithMessage("must not be less than from");
    }
}

public sealed class LedgerQueryHandlers(IAppDbContext db, IAuditLedgerKeys keys, LedgerIntegrator integrator) :
    IQueryHandler<GetCheckpoints, IReadOnlyList<CheckpointView>>,
    IQueryHandler<GetLedgerPublicKey, LedgerPublicKey>,
    IQueryHandler<GetInclusionProof, InclusionProofView>,
    IQueryHandler<GetConsistencyProof, ConsistencyProofView>
{
    public async ValueTask<IReadOnlyList<CheckpointView>> Handle(GetCheckpoints query, CancellationToken cancellationToken)
    {
        var checkpoints = await db.AuditCheckpoints.AsNoTracking()
            .OrderByDescending(c => c.TreeSize)
            .Take(query.Limit ?? GetCheckpoints.DefaultLimit)
            .ToListAsync(cancellationToken);
        return [.. checkpoints.Select(c => new CheckpointView(c.TreeSize, Convert.ToBase64String(c.RootHash), c.SignedAt, c.Note))];
    }

    public ValueTask<LedgerPublicKey> Handle(GetLedgerPublicKey query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new LedgerPublicKey(keys.Origin, keys.Verifier.VerifierKey, "Ed25519", keys.MaxMergeDelaySeconds));

    public async ValueTask<InclusionProofView> Handle(GetInclusionProof query, CancellationToken cancellationToken)
    {
        // The leaf, its entry's id, the log's size and the latest checkpoint in one round trip; under load each
        // extra query was another wait for the CPU, and the tail of the proof times.
        var found = await db.AuditLeaves.AsNoTracking()
            .Where(l => l.LeafIndex == query.Index)
            .Select(l => new
            {
                l.LeafHash,
                EntryId = db.AuditEntries.Where(e => e.Sequence == l.EntrySequence).Select(e => (Guid?)e.Id).FirstOrDefault(),
                LogSize = db.AuditLeaves.Max(x => (long?)x.LeafIndex) + 1,
                Latest = db.AuditCheckpoints.Max(c => (long?)c.TreeSize),
            })
            .SingleOrDefaultAsync(cancellationToken);
        var treeSize = query.TreeSize ?? found?.Latest ?? await db.AuditCheckpoints.MaxAsync(c => (long?)c.TreeSize, cancellationToken) ?? 0;
        if (found is null || treeSize < 1 || treeSize > found.LogSize)
        {
            await EnsureWithinTreeAsync(treeSize, cancellationToken);
        }

        if (found is null || query.Index >= treeSize)
        {
            throw new NotFoundException("Leaf", $"{query.Index} in a tree of {treeSize}");
        }

        var (path, root) = await LedgerNodes.WithStoredNodesAsync(
            db, source => (MerkleTree.InclusionProof(source, query.Index, treeSize), MerkleTree.RootHash(source, treeSize)), cancellationToken);
        return new InclusionProofView(query.Index, treeSize, found.EntryId ?? Guid.Empty, Convert.ToBase64String(found.LeafHash), Convert.ToBase64String(root), [.. path.Select(Convert.ToBase64String)]);
    }

    public async ValueTask<ConsistencyProofView> Handle(GetConsistencyProof query, CancellationToken cancellationToken)
    {
        await EnsureWithinTreeAsync(query.To, cancellationToken);
        var (proof, fromRoot, toRoot) = await LedgerNodes.WithStoredNodesAsync(
            db,
            source => (MerkleTree.ConsistencyProof(source, query.From, query.To), MerkleTree.RootHash(source, query.From), MerkleTree.RootHash(source, query.To)),
            cancellationToken);
        return new ConsistencyProofView(query.From, query.To, Convert.ToBase64String(fromRoot), Convert.ToBase64String(toRoot), [.. proof.Select(Convert.ToBase64String)]);
    }

    private async Task EnsureWithinTreeAsync(long treeSize, CancellationToken cancellationToken)
    {
        var size = await integrator.TreeSizeAsync(cancellationToken);
        if (treeSize < 1 || treeSize > size)
        {
            throw new NotFoundException("Tree size", $"{treeSize} (the log has {size} leaves)");
        }
    }
}
