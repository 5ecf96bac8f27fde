namespace CaseTransfer.Domain.SubjectAccess;

/// <summary>One kind of thing left out of a bundle, why, and how many were left out.</summary>
public sealed record WithheldItem(string Kind, string Reason, int Count);

/// <summary>
/// What a subject access bundle withholds, and why. The person is entitled to their own data, not to other people's
/// (DPA 2018 s.45(4)(e) and Sch. 2 para. 16: information identifying another individual): victims' details are never
/// given; staff appear by their organisation and role, not their name or user id. Documents are listed by their
/// metadata only. Free text (reasons, grounds, shared content) is given as recorded: the officer reviews the bundle
/// before it is sent.
/// </summary>
public sealed class ThirdPartyData
{
    public const string VictimDetails = "victim-details";
    public const string StaffIdentities = "staff-identities";
    public const string DocumentContents = "document-contents";

    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>
    {
        [VictimDetails] = "Third-party personal data: a victim's name, contact details, relationship and notes identify another person (DPA 2018 s.45(4)(e), Sch. 2 para. 16). The conditions that protect the victim are given; who the victim is, is not.",
        [StaffIdentities] = "Third-party personal data: members of staff are shown by their organisation and role, not their names or user ids (DPA 2018 Sch. 2 para. 16).",
        [DocumentContents] = "Documents are listed by their metadata; their contents are reviewed for third-party data and provided separately on request.",
    };

    private readonly Dictionary<string, int> _counts = [];

    /// <summary>Counts one thing of <paramref name="kind"/> withheld.</summary>
    public void Withhold(string kind, int count = 1)
    {
        if (!Reasons.ContainsKey(kind))
        {
            throw new ArgumentException($"'{kind}' is not a kind of withheld data.", nameof(kind));
        }

        _counts[kind] = _counts.GetValueOrDefault(kind) + count;
    }

    /// <summary>
    /// A member of staff as the bundle shows them: their role at their organisation (<c>allocator at NPS-NW</c>),
    /// never their name or user id; each one shown so is counted as withheld.
    /// </summary>
    public string Staff(string role, string organisation)
    {
        Withhold(StaffIdentities);
        return $"{role} at {organisation}";
    }

    /// <summary>A staff field that may be empty (an allocation not yet decided): null stays null, uncounted.</summary>
    public string? StaffOrNull(string? userId, string role, string organisation) => userId is null ? null : Staff(role, organisation);

    /// <summary>
    /// A disclosure's recipients as the bundle shows them: the organisations, and for a share to named people how many
    /// (<c>CRC-LDN: lon-po-01, lon-po-02</c> becomes <c>CRC-LDN (2 named members of staff)</c>), each counted as withheld.
    /// </summary>
    public string? Recipients(string? recipients)
    {
        var colon = recipients?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (recipients is null || colon < 0)
        {
            return recipients;
        }

        var people = recipients[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        Withhold(StaffIdentities, people);
        return $"{recipients[..colon]} ({people} named {(people == 1 ? "member" : "members")} of staff)";
    }

    /// <summary>Every kind withheld at least once, with its reason and count, in a stable order.</summary>
    public IReadOnlyList<WithheldItem> Summary() =>
        [.. Reasons.Keys.Where(_counts.ContainsKey).Select(kind => new WithheldItem(kind, Reasons[kind], _counts[kind]))];
}
