using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Search;

namespace CaseTransfer.Domain.Cases;

public enum OtherNameKind
{
    /// <summary>A name the person has used or been recorded under (another court record, a false name given on arrest).</summary>
    Alias,

    /// <summary>The name the person goes by day to day ("known as Bobby Mac").</summary>
    KnownAs,
}

/// <summary>An other name as given: kind, forenames and surname.</summary>
public sealed record OtherNameFacts(OtherNameKind Kind, string FirstName, string? MiddleNames, string LastName);

/// <summary>
/// Another name a case's person is known by: an alias or a known-as name. Found by search like the main name, shown in
/// the case picture; recorded, never edited.
/// </summary>
public sealed class CaseOtherName
{
    /// <summary>As many as a case may carry: enough for any real record, few enough to keep search bounded.</summary>
    public const int MaxPerCase = 20;

    public const int NameMaxLength = 100;

    private CaseOtherName()
    {
    }

    internal CaseOtherName(Guid id, Guid caseId, OtherNameKind kind, string firstName, string? middleNames, string lastName, string recordedBy, DateTimeOffset recordedAt)
    {
        Id = id;
        CaseId = caseId;
        Kind = kind;
        FirstName = firstName;
        MiddleNames = middleNames;
        LastName = lastName;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public OtherNameKind Kind { get; private set; }
    public string FirstName { get; private set; } = null!;
    public string? MiddleNames { get; private set; }
    public string LastName { get; private set; } = null!;
    public string RecordedBy { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }

    public string Forenames => MiddleNames is null ? FirstName : $"{FirstName} {MiddleNames}";

    /// <summary>The name as search compares it: its tokens, so "Bobby  McDonald" and "bobby mcdonald" are one name.</summary>
    internal string Comparable => Comparison(Forenames, LastName);

    internal static string Comparison(string forenames, string lastName) =>
        string.Join(' ', NameText.Tokens(forenames)) + "|" + string.Join(' ', NameText.Tokens(lastName));

    /// <summary>
    /// A new other name for a case, refused when it is the case's own name (<c>other-name-is-the-name</c>), already
    /// recorded (<c>other-name-already-recorded</c>, whatever its kind), or one more than <see cref="MaxPerCase"/>
    /// (<c>too-many-other-names</c>).
    /// </summary>
    internal static CaseOtherName Record(
        Guid caseId, string caseForenames, string caseLastName, IReadOnlyCollection<CaseOtherName> existing,
        OtherNameKind kind, string firstName, string? middleNames, string lastName, string recordedBy, DateTimeOffset at)
    {
        var name = new CaseOtherName(
            Guid.CreateVersion7(at), caseId, kind, firstName.Trim(), string.IsNullOrWhiteSpace(middleNames) ? null : middleNames.Trim(), lastName.Trim(), recordedBy, at);
        if (name.Comparable == Comparison(caseForenames, caseLastName))
        {
            throw new DomainRuleViolation("other-name-is-the-name", "That is the case's own name, not another name.");
        }

        if (existing.Any(o => o.Comparable == name.Comparable))
        {
            throw new DomainRuleViolation("other-name-already-recorded", $"The case already carries the name {name.Forenames} {name.LastName}.");
        }

        if (existing.Count >= MaxPerCase)
        {
            throw new DomainRuleViolation("too-many-other-names", $"A case carries at most {MaxPerCase} other names.");
        }

        return name;
    }
}
