namespace CaseTransfer.Domain.Cases;

/// <summary>What an access grant lets its organisation do with a case it does not hold.</summary>
public enum CaseAccessScope
{
    /// <summary>Read the case summary and its history (risk assessments, holders); change nothing.</summary>
    ReadSummaryAndHistory,
}

/// <summary>
/// An organisation sees a case while it holds it, or while something is shared with it and not expired: this is the
/// second. A grant names the organisation, the case, what it may do (read-only), from when until when, and why. It
/// expires by itself at <see cref="Until"/>; every read through it is a consultation in the audit log, as every read
/// is. Made by an accepted escalation (the provider's handover period); information sharing will make them too.
/// </summary>
public sealed class CaseAccessGrant
{
    public const int ReasonMaxLength = 300;

    private CaseAccessGrant()
    {
    }

    private CaseAccessGrant(
        Guid id, Guid caseId, string organisationCode, CaseAccessScope scope, DateTimeOffset from, DateTimeOffset until, string reason, string grantedBy)
    {
        if (until <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(until), "A grant ends after it begins.");
        }

        Id = id;
        CaseId = caseId;
        OrganisationCode = organisationCode;
        Scope = scope;
        From = from;
        Until = until;
        Reason = reason.Length > ReasonMaxLength ? reason[..ReasonMaxLength] : reason;
        GrantedBy = grantedBy;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string OrganisationCode { get; private set; } = null!;
    public CaseAccessScope Scope { get; private set; }
    public DateTimeOffset From { get; private set; }

    /// <summary>The instant the grant ends (exclusive).</summary>
    public DateTimeOffset Until { get; private set; }
    public string Reason { get; private set; } = null!;
    public string GrantedBy { get; private set; } = null!;

    /// <summary>Read-only sight of the case summary and history for <paramref name="organisationCode"/>, from <paramref name="from"/> until <paramref name="until"/>.</summary>
    public static CaseAccessGrant ReadOnly(
        Guid id, Guid caseId, string organisationCode, DateTimeOffset from, DateTimeOffset until, string reason, string grantedBy) =>
        new(id, caseId, organisationCode, CaseAccessScope.ReadSummaryAndHistory, from, until, reason, grantedBy);

    public bool IsInForceAt(DateTimeOffset at) => From <= at && at < Until;
}
