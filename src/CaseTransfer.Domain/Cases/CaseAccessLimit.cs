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

    public void Remove(string removedBy, DateTimeOffset at)
    {
        RemovedBy = removedBy;
        RemovedAt = at;
    }
}
