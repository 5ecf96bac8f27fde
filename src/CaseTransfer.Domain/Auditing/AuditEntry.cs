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
        string? crn,
        string? resourceType,
        string? resourceId,
        long? resourceVersion,
        string? summary)
    {
        Id = id;
        OccurredAt = occurredAt;
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
    }

    public Guid Id { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public AuditOperation Operation { get; private set; }
    public string Action { get; private set; } = null!;
    public string ActorUserId { get; private set; } = null!;
    public string ActorUserName { get; private set; } = null!;
    public string ActorOrganisation { get; private set; } = null!;
    public string? ClientId { get; private set; }
    public string TraceId { get; private set; } = null!;
    public string? Crn { get; private set; }
    public string? ResourceType { get; private set; }
    public string? ResourceId { get; private set; }
    public long? ResourceVersion { get; private set; }

    /// <summary>Field names changed, never free-text personal data.</summary>
    public string? Summary { get; private set; }
}
