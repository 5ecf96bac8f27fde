namespace CaseTransfer.Domain.Common;

/// <summary>A state change that partner systems hear about; it becomes an outbox event in the same transaction.</summary>
public interface IDomainEvent
{
    /// <summary>Stable event name, e.g. <c>case-transfer.case.opened</c>.</summary>
    string EventType { get; }
    DateTimeOffset OccurredAt { get; }
    string? Crn { get; }
    string Description { get; }
}

public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();
}
