namespace CaseTransfer.Domain.Cases;

public enum AccessLimitKind
{
    /// <summary>The named member of staff must not see the case (for example someone who knows the person).</summary>
    Exclusion,

    /// <summary>Only the named staff may see the case.</summary>
    Restriction,
}

/// <summary>One name on a case's exclusion or restriction list. Removal is recorded, not deleted, so the history stays.</summary>
public sealed class CaseAccessLimit
{
    public const int ReasonMaxLength = 500;

    private CaseAccessLimit()
    {
    }

    public CaseAccessLimit(Guid id, Guid caseId, AccessLimitKind kind, string staffCode, string? reason, string addedBy, DateTimeOffset addedAt)
    {
        Id = id;
        CaseId = caseId;
        Kind = kind;
        StaffCode = staffCode;
        Reason = reason;
        AddedBy = addedBy;
        AddedAt = addedAt;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public AccessLimitKind Kind { get; private set; }

    /// <summary>The member of staff's user id, as in their token (a practitioner's staff code).</summary>
    public string StaffCode { get; private set; } = null!;
    public string? Reason { get; private set; }
    public string AddedBy { get; private set; } = null!;
    public DateTimeOffset AddedAt { get; private set; }
    public string? RemovedBy { get; private set; }
    public DateTimeOffset? RemovedAt { get; private set; }

    public bool IsActive => RemovedAt is null;

    internal void Remove(string removedBy, DateTimeOffset at)
    {
        RemovedBy = removedBy;
        RemovedAt = at;
    }
}

/// <summary>
/// What a change to the lists did: the entry added or removed, and the responsible officer's entry when it went with it
/// (named because a restriction list would otherwise hide the case from them, <see cref="Case.LimitAccess"/>; taken off
/// when the last other name left and the list was lifted, <see cref="Case.RemoveAccessLimit"/>).
/// </summary>
public sealed record AccessLimitChange(CaseAccessLimit Limit, CaseAccessLimit? ResponsibleOfficer);

/// <summary>
/// A case's active exclusion and restriction lists, and who they let see it: anyone not excluded, and, while there
/// is a restriction list, only the staff named on it.
/// </summary>
public sealed class AccessLists
{
    private readonly List<CaseAccessLimit> _active;

    public AccessLists(IEnumerable<CaseAccessLimit> limits) => _active = [.. limits.Where(l => l.IsActive)];

    public IReadOnlyList<CaseAccessLimit> Active => _active;

    public bool IsRestricted => _active.Any(l => l.Kind == AccessLimitKind.Restriction);

    public bool Names(AccessLimitKind kind, string staffCode) => _active.Any(l => l.Kind == kind && l.StaffCode == staffCode);

    public bool Allows(string staffCode) =>
        !Names(AccessLimitKind.Exclusion, staffCode) && (!IsRestricted || Names(AccessLimitKind.Restriction, staffCode));

    /// <summary>Whether the named member of staff may be given the case: not excluded, and on the restriction list if there is one.</summary>
    public void EnsureMayHold(string staffCode)
    {
        if (Names(AccessLimitKind.Exclusion, staffCode))
        {
            throw new Common.DomainRuleViolation("practitioner-excluded", "That practitioner is excluded from the case.");
        }

        if (IsRestricted && !Names(AccessLimitKind.Restriction, staffCode))
        {
            throw new Common.DomainRuleViolation(
                "practitioner-not-on-restriction-list", "The case is restricted and that practitioner is not on its restriction list.");
        }
    }

    /// <summary>The named member of staff's restriction entry when it is the only one on the list; otherwise null.</summary>
    public CaseAccessLimit? OnlyRestriction(string staffCode) =>
        _active.Where(l => l.Kind == AccessLimitKind.Restriction).ToList() is [var only] && only.StaffCode == staffCode ? only : null;

    public AccessLists With(CaseAccessLimit limit) => new([.. _active, limit]);

    public AccessLists Without(CaseAccessLimit limit) => new(_active.Where(l => l.Id != limit.Id));
}
