namespace CaseTransfer.Domain.VictimLiaison;

/// <summary>A victim's details as the victim liaison unit records them.</summary>
public sealed record VictimDetailsFacts(string Name, string? Address, string? Phone, string? Email, string? Relationship, string? Notes);

/// <summary>
/// A victim's own details: who and how to reach them. Stored apart from the case and its conditions, and read only by
/// the NPS victim liaison unit; nothing a provider can reach (no case query, list, event or audit summary) carries
/// them. Raises no event: an event would tell every subscriber that the case has a victim on the scheme.
/// </summary>
public sealed class VictimDetails
{
    public const int NameMaxLength = 200;
    public const int AddressMaxLength = 500;
    public const int PhoneMaxLength = 40;
    public const int EmailMaxLength = 254;
    public const int RelationshipMaxLength = 100;
    public const int NotesMaxLength = 2000;

    private VictimDetails()
    {
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string Name { get; private set; } = null!;
    public string? Address { get; private set; }
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    public string? Relationship { get; private set; }
    public string? Notes { get; private set; }
    public string RecordedBy { get; private set; } = null!;
    public string RecordedByOrganisation { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }

    public static VictimDetails Record(Guid id, Guid caseId, VictimDetailsFacts facts, string recordedBy, string recordedByOrganisation, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(facts.Name) || facts.Name.Trim().Length > NameMaxLength)
        {
            throw new ArgumentException($"A victim has a name of at most {NameMaxLength} characters.", nameof(facts));
        }

        return new VictimDetails
        {
            Id = id,
            CaseId = caseId,
            Name = facts.Name.Trim(),
            Address = Optional(facts.Address, AddressMaxLength),
            Phone = Optional(facts.Phone, PhoneMaxLength),
            Email = Optional(facts.Email, EmailMaxLength),
            Relationship = Optional(facts.Relationship, RelationshipMaxLength),
            Notes = Optional(facts.Notes, NotesMaxLength),
            RecordedBy = recordedBy,
            RecordedByOrganisation = recordedByOrganisation,
            RecordedAt = at,
        };
    }

    /// <summary>The fields this record holds, by name: what an audit summary may say of it.</summary>
    public IReadOnlyList<string> FieldsGiven() =>
        [.. new (string Field, string? Value)[] { ("name", Name), ("address", Address), ("phone", Phone), ("email", Email), ("relationship", Relationship), ("notes", Notes) }
            .Where(f => f.Value is not null).Select(f => f.Field)];

    private static string? Optional(string? value, int maxLength)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return trimmed?.Length > maxLength ? throw new ArgumentException($"At most {maxLength} characters.", nameof(value)) : trimmed;
    }
}
