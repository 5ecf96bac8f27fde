using CaseTransfer.Domain.Common;

namespace CaseTransfer.Domain.VictimLiaison;

/// <summary>A victim condition was recorded or ended. References and the kind only: the text is read with the reader's own rights.</summary>
public sealed record VictimConditionChanged(string Change, string Crn, Guid ConditionId, VictimConditionKind Kind, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => $"case-transfer.victim-condition.{Change}";
    public string Description => $"Victim condition ({Kind}) {Change} by the NPS victim liaison unit";
    string? IDomainEvent.Crn => Crn;
}

/// <summary>The case's victim liaison contact reference was set. Carries no reference: subscribers read the case summary.</summary>
public sealed record VictimContactReferenceSet(string Crn, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string EventType => "case-transfer.victim-liaison.contact-reference-set";
    public string Description => "Victim liaison contact reference set";
    string? IDomainEvent.Crn => Crn;
}
