namespace CaseTransfer.Domain.Common;

/// <summary>A state change that partner systems hear about; it becomes an outbox event in the same transaction.</summary>
public interface IDomainEvent
{
    /// <summary>Stable event name, e.g. <c>case-transfer.case.opened</c>.</summary>
    string EventType { get; }
    DateTimeOffset OccurredAt { get; }
    string? Crn { get; }
    string Description { get; }

    /// <summary>
    /// The organisations the event concerns by its nature, whether or not they see the case (the provider an
    /// allocation is proposed to): they hear of it beside those who see the case at the moment of the event.
    /// </summary>
    IEnumerable<string> Parties => [];

    /// <summary>True when only <see cref="Parties"/> hear of it (an organisation's own alert), not everyone who sees the case.</summary>
    bool PartiesOnly => false;
}

public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();
}
