namespace CaseTransfer.Domain.Cases;

/// <summary>
/// One period in which an organisation (and, within it, a responsible officer) held the case. Periods are
/// contiguous: each ends at the instant the next begins, and exactly one is open.
/// </summary>
public sealed class CaseHolding
{
    private CaseHolding()
    {
    }

    internal CaseHolding(
        Guid id, Guid caseId, string organisationCode, Guid? responsibleOfficerId, DateTimeOffset from, string reason, string? capacityAcknowledgement = null)
    {
        CapacityAcknowledgement = capacityAcknowledgement;
        Id = id;
        CaseId = caseId;
        OrganisationCode = organisationCode;
        ResponsibleOfficerId = responsibleOfficerId;
        From = from;
        Reason = reason;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string OrganisationCode { get; private set; } = null!;
    public Guid? ResponsibleOfficerId { get; private set; }
    public DateTimeOffset From { get; private set; }
    public DateTimeOffset? To { get; private set; }
    public string Reason { get; private set; } = null!;

    /// <summary>
    /// When the responsible officer was named over capacity: the acknowledgement (JSON) with the figures on screen,
    /// the figures computed at that moment, and who acknowledged them when.
    /// </summary>
    public string? CapacityAcknowledgement { get; private set; }

    public bool IsOpen => To is null;

    internal void Close(DateTimeOffset at) => To = at;
}
