using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.VictimLiaison;

/// <summary>What a victim-related condition forbids the person on probation.</summary>
public enum VictimConditionKind
{
    /// <summary>Must not enter a named place or area (the place says which).</summary>
    ExclusionZone,

    /// <summary>Must not contact the victim (or the victim's family), directly or through others.</summary>
    NoContact,

    /// <summary>Must not publish or cause to be published anything that identifies the victim.</summary>
    ReportingRestriction,
}

/// <summary>What the NPS victim liaison unit states about a condition it records.</summary>
public sealed record VictimConditionFacts(VictimConditionKind Kind, string Description, string? Place, DateOnly StartsOn, DateOnly? EndsOn);

/// <summary>
/// A condition the NPS victim liaison unit records on a case for the victim's protection, which the holding provider
/// must see and act on. It says what is forbidden, never who the victim is: the victim's own details are
/// <see cref="VictimDetails"/>, kept apart. Recorded, then ended; never edited, so the record shows what applied when.
/// </summary>
public sealed class VictimCondition : AggregateRoot
{
    public const int DescriptionMaxLength = 1000;
    public const int PlaceMaxLength = 200;

    private VictimCondition()
    {
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public VictimConditionKind Kind { get; private set; }
    public string Description { get; private set; } = null!;

    /// <summary>The named place or area of an exclusion zone; null for the other kinds unless given.</summary>
    public string? Place { get; private set; }

    public DateOnly StartsOn { get; private set; }
    public DateOnly? EndsOn { get; private set; }
    public string RecordedBy { get; private set; } = null!;
    public string RecordedByOrganisation { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string? EndedBy { get; private set; }
    public long Version { get; private set; }

    /// <summary>
    /// Current on <paramref name="day"/>: not ended and not past its last day. One that starts later counts too: the
    /// holder must prepare for it (arrange reporting away from a zone) before it applies.
    /// </summary>
    public bool CurrentOn(DateOnly day) => EndedAt is null && (EndsOn is null || EndsOn >= day);

    /// <summary>
    /// A new condition on a case. The shape is checked at the edge (a 400 naming the field); these are the invariants
    /// that must hold however the condition is made: a description, a place for an exclusion zone, and an end no
    /// earlier than the start.
    /// </summary>
    public static VictimCondition Record(Guid id, Guid caseId, Crn crn, VictimConditionFacts facts, string recordedBy, string recordedByOrganisation, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(facts.Description) || facts.Description.Trim().Length > DescriptionMaxLength)
        {
            throw new ArgumentException($"A condition has a description of at most {DescriptionMaxLength} characters.", nameof(facts));
        }

        var place = string.IsNullOrWhiteSpace(facts.Place) ? null : facts.Place.Trim();
        if ((facts.Kind == VictimConditionKind.ExclusionZone && place is null) || place?.Length > PlaceMaxLength)
        {
            throw new ArgumentException($"An exclusion zone names its place or area, in at most {PlaceMaxLength} characters.", nameof(facts));
        }

        if (facts.EndsOn < facts.StartsOn)
        {
            throw new ArgumentException("A condition cannot end before it starts.", nameof(facts));
        }

        var condition = new VictimCondition
        {
            Id = id,
            CaseId = caseId,
            Crn = crn,
            Kind = facts.Kind,
            Description = facts.Description.Trim(),
            Place = place,
            StartsOn = facts.StartsOn,
            EndsOn = facts.EndsOn,
            RecordedBy = recordedBy,
            RecordedByOrganisation = recordedByOrganisation,
            RecordedAt = at,
            Version = 1,
        };
        condition.Raise(new VictimConditionChanged("recorded", crn.Value, id, facts.Kind, at));
        return condition;
    }

    /// <summary>The condition no longer applies. Ending it again is refused: the first end is the record.</summary>
    public void End(string by, DateTimeOffset at)
    {
        if (EndedAt is not null)
        {
            throw new DomainRuleViolation("victim-condition-already-ended", $"The condition was already ended at {EndedAt:O}.");
        }

        EndedAt = at;
        EndedBy = by;
        Version++;
        Raise(new VictimConditionChanged("ended", Crn.Value, Id, Kind, at));
    }
}
