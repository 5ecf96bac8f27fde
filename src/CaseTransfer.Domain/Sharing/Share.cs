using System.Linq.Expressions;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Sharing;

/// <summary>Who discloses what, to whom, why and on what basis: what a share and a request both state.</summary>
/// <param name="OtherType">With <see cref="InformationType.Other"/>: what, in words.</param>
public sealed record Disclosure(InformationType Type, string? OtherType, string Purpose, LawfulBasis LawfulBasis)
{
    public const int PurposeMaxLength = 1_000;
    public const int OtherTypeMaxLength = 200;

    /// <summary>The purpose and basis as the audit entry's justification: what a data protection officer reads.</summary>
    public string Justification => $"{Purpose} (lawful basis: {LawfulBasis})";

    public string TypeText => Type == InformationType.Other ? $"Other: {OtherType}" : Type.ToString();
}

/// <summary>
/// Information one organisation gives another about a case, proactively or in answer to a request: content in words
/// and/or documents, for a stated purpose and lawful basis, to an organisation (optionally only named people in it),
/// read-only or as a copy, until it expires or the sharer revokes it. While it is live its recipients read it and the
/// summary of the case it concerns; afterwards they get a 404, as for something that never existed. The sharer keeps
/// sight of it for the record.
/// </summary>
public sealed class Share : AggregateRoot
{
    public const int ContentMaxLength = 20_000;
    public const int WithheldMaxLength = 2_000;
    public const int ReasonMaxLength = 1_000;
    public const int MaxDocuments = 20;
    public const int MaxNamedRecipients = 20;
    public const int UserIdMaxLength = 100;

    private readonly List<ShareRecipient> _recipients = [];
    private readonly List<ShareDocument> _documents = [];

    private Share()
    {
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public string SharerOrganisationCode { get; private set; } = null!;
    public string SharedBy { get; private set; } = null!;
    public string SharedByName { get; private set; } = null!;
    public DateTimeOffset SharedAt { get; private set; }
    public string RecipientOrganisationCode { get; private set; } = null!;

    /// <summary>True when only the people named in <see cref="Recipients"/> may see it, not everyone in the organisation.</summary>
    public bool NamesPeople { get; private set; }
    public InformationType Type { get; private set; }
    public string? OtherType { get; private set; }
    public string Purpose { get; private set; } = null!;
    public LawfulBasis LawfulBasis { get; private set; }
    public ShareMode Mode { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public string? Content { get; private set; }

    /// <summary>In a partial answer to a request: what was withheld, in words, and why.</summary>
    public string? Withheld { get; private set; }
    public WithholdingReason? WithheldReason { get; private set; }

    /// <summary>The request this answers, or null for a proactive share.</summary>
    public Guid? RequestId { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }
    public string? RevocationReason { get; private set; }
    public long Version { get; private set; }

    public IReadOnlyList<ShareRecipient> Recipients => _recipients;
    public IReadOnlyList<ShareDocument> Documents => _documents;

    public Disclosure Disclosure => new(Type, OtherType, Purpose, LawfulBasis);

    /// <summary>Who receives it, as the audit entry names them: the organisation, and the people when it names any.</summary>
    public string RecipientsText => NamesPeople
        ? $"{RecipientOrganisationCode}: {string.Join(", ", _recipients.Select(r => r.UserId))}"
        : RecipientOrganisationCode;

    /// <summary>Live: neither revoked nor past its expiry.</summary>
    public static readonly Expression<Func<Share, DateTimeOffset, bool>> LiveAt = (s, now) => s.RevokedAt == null && s.ExpiresAt > now;

    private static readonly Func<Share, DateTimeOffset, bool> IsLiveAtCompiled = LiveAt.Compile();

    public bool IsLiveAt(DateTimeOffset now) => IsLiveAtCompiled(this, now);

    /// <summary>Whether <paramref name="userId"/> of an organisation that receives it is among those it names (everyone when it names nobody).</summary>
    public bool Names(string userId) => !NamesPeople || _recipients.Any(r => r.UserId == userId);

    /// <summary>
    /// Shares information: the recipient is another organisation, the expiry is after now and within
    /// <paramref name="maximumDuration"/>, and there is something to share (content or documents).
    /// </summary>
    public static Share Make(
        Guid id,
        Guid caseId,
        Crn crn,
        SharingParty sharer,
        string recipientOrganisationCode,
        IReadOnlyCollection<string> namedRecipients,
        Disclosure disclosure,
        ShareMode mode,
        DateTimeOffset expiresAt,
        string? content,
        IReadOnlyCollection<Guid> documentIds,
        DateTimeOffset at,
        TimeSpan maximumDuration,
        Guid? requestId = null,
        string? withheld = null,
        WithholdingReason? withheldReason = null)
    {
        // Kept to the second: an expiry is a time people agree on, and every engine stores it exactly so.
        expiresAt = new DateTimeOffset(expiresAt.UtcTicks - (expiresAt.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (recipientOrganisationCode == sharer.OrganisationCode)
        {
            throw new DomainRuleViolation("share-to-own-organisation", "Information is shared with another organisation, not with the sharer's own.");
        }

        if (expiresAt <= at)
        {
            throw new DomainRuleViolation("share-expiry-in-past", $"A share's expiry must be after now ({at:O}).");
        }

        if (expiresAt > at + maximumDuration)
        {
            throw new DomainRuleViolation(
                "share-expiry-too-far",
                $"A share lasts at most {maximumDuration.TotalDays:0.##} days (Sharing:MaximumDays): expire it by {(at + maximumDuration):O}.")
            {
                Facts = new Dictionary<string, object?> { ["latestExpiry"] = at + maximumDuration },
            };
        }

        if (string.IsNullOrWhiteSpace(content) && documentIds.Count == 0)
        {
            throw new DomainRuleViolation("share-has-nothing", "A share gives content, documents, or both.");
        }

        var share = new Share
        {
            Id = id,
            CaseId = caseId,
            Crn = crn,
            SharerOrganisationCode = sharer.OrganisationCode,
            SharedBy = sharer.UserId,
            SharedByName = sharer.Name,
            SharedAt = at,
            RecipientOrganisationCode = recipientOrganisationCode,
            NamesPeople = namedRecipients.Count > 0,
            Type = disclosure.Type,
            OtherType = disclosure.Type == InformationType.Other ? disclosure.OtherType?.Trim() : null,
            Purpose = disclosure.Purpose.Trim(),
            LawfulBasis = disclosure.LawfulBasis,
            Mode = mode,
            ExpiresAt = expiresAt,
            Content = string.IsNullOrWhiteSpace(content) ? null : content,
            Withheld = withheld,
            WithheldReason = withheldReason,
            RequestId = requestId,
            Version = 1,
        };
        share._recipients.AddRange(namedRecipients.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(u => new ShareRecipient(id, u)));
        share._documents.AddRange(documentIds.Distinct().Select((d, i) => new ShareDocument(id, d, i + 1)));
        share.Raise(new ShareEvent("made", $"Information shared by {sharer.OrganisationCode} with {recipientOrganisationCode}", share, at));
        return share;
    }

    /// <summary>The sharer ends the recipients' access now. A share already revoked or expired has no access left to end.</summary>
    public void Revoke(string by, string? reason, DateTimeOffset at)
    {
        if (RevokedAt is not null)
        {
            throw new DomainRuleViolation("share-already-revoked", $"This share was revoked at {RevokedAt:O}.");
        }

        if (ExpiresAt <= at)
        {
            throw new DomainRuleViolation("share-expired", $"This share expired at {ExpiresAt:O}; there is no access left to revoke.");
        }

        RevokedAt = at;
        RevokedBy = by;
        RevocationReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        Version++;
        Raise(new ShareEvent("revoked", $"Share revoked by {SharerOrganisationCode}", this, at));
    }

    /// <summary>A recipient may download a document only from a live Copy share; a read-only share shows documents inline only.</summary>
    public void EnsureDownloadable()
    {
        if (Mode != ShareMode.Copy)
        {
            throw new DomainRuleViolation("share-is-read-only", "This information was shared read-only: view the document inline; it cannot be downloaded.");
        }
    }
}

/// <summary>One person a share names: only they, in the recipient organisation, see it.</summary>
public sealed class ShareRecipient
{
    private ShareRecipient()
    {
    }

    public ShareRecipient(Guid shareId, string userId)
    {
        ShareId = shareId;
        UserId = userId;
    }

    public Guid ShareId { get; private set; }
    public string UserId { get; private set; } = null!;
}

/// <summary>A document a share gives, in the order the sharer listed them.</summary>
public sealed class ShareDocument
{
    private ShareDocument()
    {
    }

    public ShareDocument(Guid shareId, Guid documentId, int position)
    {
        ShareId = shareId;
        DocumentId = documentId;
        Position = position;
    }

    public Guid ShareId { get; private set; }
    public Guid DocumentId { get; private set; }
    public int Position { get; private set; }
}

/// <summary>The caller as a party to sharing: their organisation, user id and name.</summary>
public sealed record SharingParty(string OrganisationCode, string UserId, string Name);

/// <summary>A change to a share that partner systems hear about (<c>case-transfer.share.{kind}</c>): references only, never the content.</summary>
public sealed record ShareEvent(
    string Kind,
    string Description,
    string Crn,
    Guid ShareId,
    string SharerOrganisation,
    string RecipientOrganisation,
    InformationType Type,
    DateTimeOffset ExpiresAt,
    Guid? RequestId,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [SharerOrganisation, RecipientOrganisation];

    public ShareEvent(string kind, string description, Share share, DateTimeOffset at)
        : this(kind, description, share.Crn.Value, share.Id, share.SharerOrganisationCode, share.RecipientOrganisationCode, share.Type, share.ExpiresAt, share.RequestId, at)
    {
    }

    public string EventType => $"case-transfer.share.{Kind}";
    string? IDomainEvent.Crn => Crn;
}
