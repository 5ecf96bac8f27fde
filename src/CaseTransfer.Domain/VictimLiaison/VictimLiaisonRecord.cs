using System.Text.RegularExpressions;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.VictimLiaison;

/// <summary>
/// The victim liaison unit's standing on one case: the contact reference a provider quotes when it calls the unit.
/// A row of its own rather than a column of the case, so that the NPS unit, which works nationally and does not hold
/// the case, never writes (or locks, or moves the ETag of) the holder's case record.
/// </summary>
public sealed partial class VictimLiaisonRecord : AggregateRoot
{
    /// <summary>Upper-case letters and digits, then letters, digits, '/' or '-': 3 to 30 characters (<c>VLU-NW/2026/0042</c>).</summary>
    public const string ContactReferencePattern = "^[A-Z0-9][A-Z0-9/-]{2,29}$";

    private VictimLiaisonRecord()
    {
    }

    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public string ContactReference { get; private set; } = null!;
    public string SetBy { get; private set; } = null!;
    public string SetByOrganisation { get; private set; } = null!;
    public DateTimeOffset SetAt { get; private set; }
    public long Version { get; private set; }

    public static bool IsValidContactReference(string? reference) => reference is not null && ReferencePattern().IsMatch(reference);

    /// <summary>The case's first contact reference.</summary>
    public static VictimLiaisonRecord Start(Guid caseId, Crn crn, string reference, string by, string byOrganisation, DateTimeOffset at)
    {
        var record = new VictimLiaisonRecord { CaseId = caseId, Crn = crn, Version = 0 };
        record.SetContactReference(reference, by, byOrganisation, at);
        return record;
    }

    /// <summary>A new contact reference replaces the old one (the audit log keeps when and by whom).</summary>
    public void SetContactReference(string reference, string by, string byOrganisation, DateTimeOffset at)
    {
        if (!IsValidContactReference(reference))
        {
            throw new ArgumentException($"A contact reference matches {ContactReferencePattern}.", nameof(reference));
        }

        ContactReference = reference;
        SetBy = by;
        SetByOrganisation = byOrganisation;
        SetAt = at;
        Version++;
        Raise(new VictimContactReferenceSet(Crn.Value, at));
    }

    [GeneratedRegex(ContactReferencePattern)]
    private static partial Regex ReferencePattern();
}
