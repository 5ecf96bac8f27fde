using System.Linq.Expressions;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Sharing;

/// <summary>
/// One organisation asks another for information about a case it holds or is being asked to take, for a stated
/// purpose and lawful basis, by a due date. The other side provides it (a share to the requester), provides it in part
/// (saying what is withheld and why), or refuses with a coded reason; the requester may withdraw it while open.
/// Requested -> Provided | PartlyProvided | Refused | Withdrawn.
/// </summary>
public sealed class InformationRequest : AggregateRoot
{
    public const int TextMaxLength = 2_000;

    private InformationRequest()
    {
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public string RequesterOrganisationCode { get; private set; } = null!;
    public string RequestedBy { get; private set; } = null!;
    public string RequestedByName { get; private set; } = null!;
    public DateTimeOffset RequestedAt { get; private set; }
    public string AddresseeOrganisationCode { get; private set; } = null!;
    public InformationType Type { get; private set; }
    public string? OtherType { get; private set; }
    public string Purpose { get; private set; } = null!;
    public LawfulBasis LawfulBasis { get; private set; }
    public RequestUrgency Urgency { get; private set; }

    /// <summary>The day the answer is due (London).</summary>
    public DateOnly DueDate { get; private set; }

    /// <summary>The end of <see cref="DueDate"/> in London: open past this instant, the request is overdue.</summary>
    public DateTimeOffset DueBy { get; private set; }
    public InformationRequestState State { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public string? AnsweredBy { get; private set; }

    /// <summary>The share that answered it (Provided or PartlyProvided).</summary>
    public Guid? ShareId { get; private set; }
    public WithholdingReason? RefusalReason { get; private set; }
    public string? RefusalText { get; private set; }
    public long Version { get; private set; }

    public bool IsOpen => State == InformationRequestState.Requested;

    public Disclosure Disclosure => new(Type, OtherType, Purpose, LawfulBasis);

    /// <summary>Open and past its due date's end: the addressee has not answered in time.</summary>
    public static readonly Expression<Func<InformationRequest, DateTimeOffset, bool>> OverdueAt = (r, now) =>
        r.State == InformationRequestState.Requested && r.DueBy <= now;

    public bool IsOverdue(DateTimeOffset now) => IsOpen && DueBy <= now;

    /// <summary>
    /// Asks <paramref name="addresseeOrganisationCode"/> (another organisation) for information, due by the end of
    /// <paramref name="dueDate"/> (today or later, London).
    /// </summary>
    public static InformationRequest Make(
        Guid id, Guid caseId, Crn crn, SharingParty requester, string addresseeOrganisationCode, Disclosure disclosure, RequestUrgency urgency, DateOnly dueDate, DateTimeOffset at)
    {
        if (addresseeOrganisationCode == requester.OrganisationCode)
        {
            throw new DomainRuleViolation("request-to-own-organisation", "A request for information is addressed to another organisation.");
        }

        if (dueDate < London.DateOf(at))
        {
            throw new DomainRuleViolation("request-due-date-in-past", $"The due date must be today ({London.DateOf(at):yyyy-MM-dd}) or later.");
        }

        var request = new InformationRequest
        {
            Id = id,
            CaseId = caseId,
            Crn = crn,
            RequesterOrganisationCode = requester.OrganisationCode,
            RequestedBy = requester.UserId,
            RequestedByName = requester.Name,
            RequestedAt = at,
            AddresseeOrganisationCode = addresseeOrganisationCode,
            Type = disclosure.Type,
            OtherType = disclosure.Type == InformationType.Other ? disclosure.OtherType?.Trim() : null,
            Purpose = disclosure.Purpose.Trim(),
            LawfulBasis = disclosure.LawfulBasis,
            Urgency = urgency,
            DueDate = dueDate,
            DueBy = London.StartOf(dueDate.AddDays(1)),
            State = InformationRequestState.Requested,
            Version = 1,
        };
        request.Raise(new InformationRequestEvent("requested", $"Information requested by {requester.OrganisationCode} from {addresseeOrganisationCode}", request, at));
        return request;
    }

    /// <summary>
    /// The addressee answers with <paramref name="share"/> (made to the requester for this request): in full, or in
    /// part when the share says what was withheld.
    /// </summary>
    public void Provide(Share share, string by, DateTimeOffset at)
    {
        EnsureOpen();
        if (share.RequestId != Id || share.RecipientOrganisationCode != RequesterOrganisationCode)
        {
            throw new ArgumentException("The share answering a request goes to its requester, for it.", nameof(share));
        }

        Close(share.Withheld is null ? InformationRequestState.Provided : InformationRequestState.PartlyProvided, by, at);
        ShareId = share.Id;
        Raise(new InformationRequestEvent(State == InformationRequestState.Provided ? "provided" : "partly-provided", $"Information request answered by {AddresseeOrganisationCode}", this, at));
    }

    /// <summary>The addressee refuses, with a coded reason (Other needs words).</summary>
    public void Refuse(WithholdingReason reason, string? text, string by, DateTimeOffset at)
    {
        EnsureOpen();
        if (reason == WithholdingReason.Other && string.IsNullOrWhiteSpace(text))
        {
            throw new DomainRuleViolation("refusal-reason-needs-text", "A refusal for another reason says what it is.");
        }

        Close(InformationRequestState.Refused, by, at);
        RefusalReason = reason;
        RefusalText = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        Raise(new InformationRequestEvent("refused", $"Information request refused by {AddresseeOrganisationCode}: {reason}", this, at));
    }

    /// <summary>The requester no longer needs it.</summary>
    public void Withdraw(string by, DateTimeOffset at)
    {
        EnsureOpen();
        Close(InformationRequestState.Withdrawn, by, at);
        Raise(new InformationRequestEvent("withdrawn", $"Information request withdrawn by {RequesterOrganisationCode}", this, at));
    }

    /// <summary>409 information-request-closed unless the request is still awaiting an answer.</summary>
    public void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw new DomainRuleViolation("information-request-closed", $"This request is {State}; it takes no further answer.");
        }
    }

    private void Close(InformationRequestState state, string by, DateTimeOffset at)
    {
        State = state;
        AnsweredAt = at;
        AnsweredBy = by;
        Version++;
    }
}

/// <summary>A change to a request that partner systems hear about (<c>case-transfer.information-request.{kind}</c>): references only.</summary>
public sealed record InformationRequestEvent(
    string Kind,
    string Description,
    string Crn,
    Guid RequestId,
    string RequesterOrganisation,
    string AddresseeOrganisation,
    InformationType Type,
    InformationRequestState State,
    DateTimeOffset DueBy,
    Guid? ShareId,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [RequesterOrganisation, AddresseeOrganisation];

    public InformationRequestEvent(string kind, string description, InformationRequest request, DateTimeOffset at)
        : this(kind, description, request.Crn.Value, request.Id, request.RequesterOrganisationCode, request.AddresseeOrganisationCode, request.Type, request.State, request.DueBy, request.ShareId, at)
    {
    }

    public string EventType => $"case-transfer.information-request.{Kind}";
    string? IDomainEvent.Crn => Crn;
}
