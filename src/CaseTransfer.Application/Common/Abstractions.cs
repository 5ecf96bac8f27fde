using CaseTransfer.Domain.Alerts;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Disputes;
using CaseTransfer.Domain.Documents;
using CaseTransfer.Domain.Sharing;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Transfers;
using CaseTransfer.Domain.VictimLiaison;
using CaseTransfer.Domain.Workload;
using CaseTransfer.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CaseTransfer.Application.Common;

/// <summary>The database as the application sees it. Handlers use it directly; there is no repository layer over EF.</summary>
public interface IAppDbContext
{
    DbSet<Organisation> Organisations { get; }
    DbSet<Area> Areas { get; }
    DbSet<Practitioner> Practitioners { get; }
    DbSet<Case> Cases { get; }
    DbSet<RiskAssessment> RiskAssessments { get; }
    DbSet<CaseHolding> CaseHoldings { get; }
    DbSet<CaseNameKey> CaseNameKeys { get; }
    DbSet<CaseTier> CaseTiers { get; }
    DbSet<CaseAccessLimit> CaseAccessLimits { get; }
    DbSet<CaseAccessGrant> CaseAccessGrants { get; }
    DbSet<CaseOtherName> CaseOtherNames { get; }
    DbSet<Allocation> Allocations { get; }
    DbSet<Escalation> Escalations { get; }
    DbSet<Dispute> Disputes { get; }
    DbSet<Share> Shares { get; }
    DbSet<InformationRequest> InformationRequests { get; }
    DbSet<Document> Documents { get; }
    DbSet<VictimCondition> VictimConditions { get; }
    DbSet<VictimLiaisonRecord> VictimLiaisonRecords { get; }
    DbSet<VictimDetails> VictimDetails { get; }
    DbSet<Alert> Alerts { get; }
    DbSet<CaseTransfer.Application.Alerts.AlertLease> AlertLeases { get; }
    DbSet<StoredRuleset> StoredRulesets { get; }
    DbSet<WorkloadWeighting> WorkloadWeightings { get; }
    DbSet<GradeTarget> GradeTargets { get; }
    DbSet<TransferJob> TransferJobs { get; }
    DbSet<TransferJobItem> TransferJobItems { get; }
    DbSet<CaseTransfer.Domain.SubjectAccess.SubjectAccessRequest> SubjectAccessRequests { get; }
    DbSet<AuditEntry> AuditEntries { get; }
    DbSet<AuditLeaf> AuditLeaves { get; }
    DbSet<AuditTreeNode> AuditTreeNodes { get; }
    DbSet<AuditCheckpoint> AuditCheckpoints { get; }
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<CaseTransfer.Application.Webhooks.WebhookSubscription> WebhookSubscriptions { get; }
    DbSet<CaseTransfer.Application.Webhooks.WebhookDelivery> WebhookDeliveries { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }

    DatabaseFacade Database { get; }
    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts rows set-based (COPY on PostgreSQL) in the current transaction, bypassing change tracking. For
    /// append-only rows that raise no domain events, such as the audit log's leaves and nodes. Database errors (a
    /// duplicate key) surface as <see cref="DbUpdateException"/>, as from SaveChanges.
    /// </summary>
    Task InsertManyAsync<T>(IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default)
        where T : class;
}

/// <summary>Who is calling: from the bearer token, never from the request body.</summary>
public interface ICaller
{
    bool IsAuthenticated { get; }
    string OrganisationCode { get; }
    string UserId { get; }
    string UserName { get; }
    string? ClientId { get; }
    IReadOnlySet<string> Roles { get; }
}

/// <summary>Per-request facts that come from HTTP headers rather than the message itself.</summary>
public interface IRequestContext
{
    string? IdempotencyKey { get; }
    string TraceId { get; }

    /// <summary>Set when the response is a replay of a stored idempotent response.</summary>
    bool Replayed { get; set; }

    /// <summary>The signed promise that this write's audit entry is in the log: the <c>Audit-Receipt</c> header.</summary>
    string? AuditReceipt { get; set; }
}

/// <summary>Recognises engine-specific errors without the application referencing a database driver.</summary>
public interface IDatabaseErrors
{
    bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// The engine gave up this transaction for another running at the same time (a deadlock, or a serialization
    /// failure): the whole transaction was rolled back, nothing it wrote stands, and the same request may be retried.
    /// </summary>
    bool IsConcurrencyFailure(Exception exception);
}
