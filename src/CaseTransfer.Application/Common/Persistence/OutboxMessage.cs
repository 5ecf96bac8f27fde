using CaseTransfer.Domain.Common;

namespace CaseTransfer.Application.Common.Persistence;

/// <summary>
/// An event for partner systems, stored in the same transaction as the change (transactional outbox). Delivery
/// (webhooks, the events feed, the message broker) reads from here; until it is delivered nothing is lost.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public OutboxMessage(Guid id, string eventType, DateTimeOffset occurredAt, string? crn, string payload, string? audience = null)
    {
        Audience = audience;
        Id = id;
        EventType = eventType;
        OccurredAt = occurredAt;
        Crn = crn;
        Payload = payload;
    }

    /// <summary>The partner-facing message for a domain event (<see cref="EventEnvelope"/>).</summary>
    public static OutboxMessage For(IDomainEvent domainEvent, DateTimeOffset now, string? audience) =>
        new(Guid.CreateVersion7(now), domainEvent.EventType, domainEvent.OccurredAt, domainEvent.Crn, EventEnvelope.Serialize(domainEvent), audience);

    /// <summary>
    /// The messages for events that differ only in their CRN, one per CRN, with the envelope serialised once
    /// (<see cref="EventEnvelope.TemplateFor"/>); each is what <see cref="For"/> would make of its event.
    /// </summary>
    public static List<OutboxMessage> ForEachCrn(Func<string, IDomainEvent> eventFor, IEnumerable<string> crns, DateTimeOffset now, string? audience)
    {
        var envelope = EventEnvelope.TemplateFor(eventFor);
        var messages = new List<OutboxMessage>();
        IDomainEvent? sample = null;
        foreach (var crn in crns)
        {
            sample ??= eventFor(crn);
            messages.Add(new(Guid.CreateVersion7(now), sample.EventType, sample.OccurredAt, crn, envelope(crn), audience));
        }

        return messages;
    }

    /// <summary>Autoincrementing position: the order of events, per case and overall.</summary>
    public long Sequence { get; private set; }
    public Guid Id { get; private set; }
    public string EventType { get; private set; } = null!;
    public DateTimeOffset OccurredAt { get; private set; }
    public string? Crn { get; private set; }
    public string Payload { get; private set; } = null!;

    /// <summary>
    /// When the broker confirmed it had taken the event (publisher confirm), so it is never published again; null until
    /// then, however often it was sent (<see cref="CaseTransfer.Application.Broker.OutboxPublisher"/>).
    /// </summary>
    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>The publisher pass that has taken the event to publish it, until <see cref="ClaimedUntil"/>.</summary>
    public string? ClaimedBy { get; private set; }

    /// <summary>When a claim lapses: a publisher that died mid-batch leaves its events to the next pass after this.</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }

    /// <summary>
    /// The organisations that may hear of the event, as <c>|CODE|CODE|</c> (<see cref="EventAudience"/>): those that saw
    /// its case at the moment of the event and those it concerns. Null for an event about no case, which everyone may hear.
    /// </summary>
    public string? Audience { get; private set; }
}

/// <summary>
/// An Idempotency-Key seen from one caller. Inserted (and committed) as in flight before the command runs; completed
/// with the command's result in the command's own transaction, so a stored result always means a committed change.
/// </summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord()
    {
    }

    public IdempotencyRecord(Guid id, string scope, string key, string requestHash, DateTimeOffset createdAt)
    {
        Id = id;
        Scope = scope;
        Key = key;
        RequestHash = requestHash;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Scope { get; private set; } = null!;
    public string Key { get; private set; } = null!;
    public string RequestHash { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? ResponseJson { get; private set; }

    /// <summary>The receipt of the original write, replayed with its response.</summary>
    public string? AuditReceipt { get; private set; }

    public bool IsCompleted => CompletedAt is not null;

    public void Complete(string responseJson, string? auditReceipt, DateTimeOffset at)
    {
        ResponseJson = responseJson;
        AuditReceipt = auditReceipt;
        CompletedAt = at;
    }
}
