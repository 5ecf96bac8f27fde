using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Auditing;

/// <summary>The kinds of processing the Data Protection Act 2018 s.62 requires a log of.</summary>
public enum AuditOperation
{
    Collection,
    Alteration,
    Consultation,
    Disclosure,
    Combination,
    Erasure,
}

/// <summary>
/// One append-only line of the audit trail: who, from which organisation and client, did what, when, to which
/// case. Written in the same transaction as the change it describes; never updated.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public AuditEntry(
        Guid id,
        DateTimeOffset occurredAt,
        AuditOperation operation,
        string action,
        string actorUserId,
        string actorUserName,
        string actorOrganisation,
        string? clientId,
        string traceId,
        Crn? crn,
        string? resourceType,
        string? resourceId,
        long? resourceVersion,
        string? summary,
        string? justification = null,
        string? recipients = null)
    {
        Id = id;
        OccurredAt = TruncateToMicroseconds(occurredAt);
        Operation = operation;
        Action = action;
        ActorUserId = actorUserId;
        ActorUserName = actorUserName;
        ActorOrganisation = actorOrganisation;
        ClientId = clientId;
        TraceId = traceId;
        Crn = crn;
        ResourceType = resourceType;
        ResourceId = resourceId;
        ResourceVersion = resourceVersion;
        Summary = summary;
        Justification = justification;
        Recipients = recipients;
    }

    /// <summary>Position in commit order, assigned by the database; the ledger integrates entries in this order.</summary>
    public long Sequence { get; private set; }

    public Guid Id { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public AuditOperation Operation { get; private set; }
    public string Action { get; private set; } = null!;
    public string ActorUserId { get; private set; } = null!;
    public string ActorUserName { get; private set; } = null!;
    public string ActorOrganisation { get; private set; } = null!;
    public string? ClientId { get; private set; }
    public string TraceId { get; private set; } = null!;
    public Crn? Crn { get; private set; }
    public string? ResourceType { get; private set; }
    public string? ResourceId { get; private set; }
    public long? ResourceVersion { get; private set; }

    /// <summary>Field names changed, never free-text personal data.</summary>
    public string? Summary { get; private set; }

    /// <summary>Why: required from the caller for disclosures and overrides.</summary>
    public string? Justification { get; private set; }

    /// <summary>For disclosures, the organisation codes the information went to, comma separated.</summary>
    public string? Recipients { get; private set; }

    /// <summary>The fields the canonical encoding covers (<see cref="AuditEntryEncoding"/>).</summary>
    public AuditEntryFields Fields => new(
        Id, OccurredAt, Operation.ToString(), Action, ActorUserId, ActorUserName, ActorOrganisation, ClientId, TraceId, Crn?.Value,
        ResourceType, ResourceId, ResourceVersion, Summary, Justification, Recipients);

    /// <summary>
    /// Every engine stores at least microseconds (PostgreSQL stores no finer), so instants are cut to microseconds
    /// before anything is hashed: what is read back is exactly what was signed.
    /// </summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
}
