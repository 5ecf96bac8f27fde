using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Documents;
using CaseTransfer.Domain.Sharing;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Sharing;

/// <summary>Where to read a document: its metadata, its bytes inline, and as an attachment (a copy; refused through a read-only share).</summary>
public sealed record DocumentLinks(string Self, string Content, string Download);

/// <summary>
/// A document's metadata: what it is, how big, the SHA-256 its bytes are checked against on every read, and where it
/// stands with the malware scanner (its bytes are served only when Clean, or NotScanned: stored while scanning was off).
/// </summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes as uploaded.</param>
/// <param name="ScanStatus">Pending until the scanner gives a verdict, then Clean or Infected; NotScanned when stored with scanning off.</param>
/// <param name="ScanSignature">When Infected: the name of the signature the scanner found (seen by the owner organisation only, as is the document).</param>
/// <param name="ScannedAt">When the verdict was given.</param>
public sealed record DocumentView(
    Guid Id,
    string Crn,
    string OwnerOrganisation,
    string FileName,
    string? Title,
    string ContentType,
    long Length,
    string Sha256,
    DateTimeOffset UploadedAt,
    ScanStatus ScanStatus,
    string? ScanSignature,
    DateTimeOffset? ScannedAt,
    DocumentLinks Links) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "document";

    [JsonIgnore]
    string IAuditedResult.ResourceId => Id.ToString();

    [JsonIgnore]
    long? IAuditedResult.ResourceVersion => null;

    [JsonIgnore]
    string? IAuditedResult.Crn => Crn;

    /// <summary>For the audit entry of the change that gave this view: its storing, or its scan.</summary>
    [JsonIgnore]
    public string? ChangeSummary { get; init; }

    /// <summary>The scan status for the audit entry: the signature and the quarantine of an infected document.</summary>
    [JsonIgnore]
    public string ScanSummary => $"scan: {ScanStatus}" + (ScanStatus == ScanStatus.Infected ? $" ({ScanSignature}), quarantined" : "");

    public static DocumentView From(Document d)
    {
        var self = $"/api/v1/documents/{d.Id}";
        var view = new DocumentView(d.Id, d.Crn.Value, d.OwnerOrganisationCode, d.FileName, d.Title, d.ContentType, d.Length, d.Sha256, d.UploadedAt,
            d.ScanStatus, d.ScanSignature, d.ScannedAt, new DocumentLinks(self, $"{self}/content", $"{self}/download"));
        return view with { ChangeSummary = $"document stored: {d.ContentType}, {d.Length} bytes; {view.ScanSummary}" };
    }
}

/// <summary>The actions open on a share for its sharer, and what it concerns.</summary>
public sealed record ShareLinks(string Self, string Case, string? Request, string? Revoke);

/// <summary>
/// Information shared about a case: by whom, with whom (an organisation, and the people it names when it names any),
/// what, why and on what lawful basis, read-only or as a copy, until when, and whether it is still live.
/// </summary>
/// <param name="RecipientUserIds">The people in the recipient organisation who may see it; empty when everyone there may.</param>
/// <param name="Live">Neither revoked nor expired: its recipients see it (and the summary of its case) now.</param>
/// <param name="Withheld">In a partial answer to a request: what was withheld, and <paramref name="WithheldReason"/> why.</param>
/// <param name="RequestId">The request it answers; null for a proactive share.</param>
public sealed record ShareView(
    Guid Id,
    string Crn,
    string SharerOrganisation,
    string SharedBy,
    string SharedByName,
    DateTimeOffset SharedAt,
    string RecipientOrganisation,
    IReadOnlyList<string> RecipientUserIds,
    InformationType Type,
    string? OtherType,
    string Purpose,
    LawfulBasis LawfulBasis,
    ShareMode Mode,
    DateTimeOffset ExpiresAt,
    bool Live,
    string? Content,
    string? Withheld,
    WithholdingReason? WithheldReason,
    Guid? RequestId,
    IReadOnlyList<DocumentView> Documents,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? RevocationReason,
    long Version,
    ShareLinks Links) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "share";

    [JsonIgnore]
    string IAuditedResult.ResourceId => Id.ToString();

    [JsonIgnore]
    long? IAuditedResult.ResourceVersion => Version;

    [JsonIgnore]
    string? IAuditedResult.Crn => Crn;

    [JsonIgnore]
    public string? ChangeSummary { get; init; }

    [JsonIgnore]
    public string? Recipients => RecipientUserIds.Count == 0 ? RecipientOrganisation : $"{RecipientOrganisation}: {string.Join(", ", RecipientUserIds)}";

    [JsonIgnore]
    public string? Justification => new Disclosure(Type, OtherType, Purpose, LawfulBasis).Justification;

    /// <summary>The audit entry for reading it with <paramref name="action"/>: the disclosure's purpose, basis and recipients go with it.</summary>
    public AuditFacts Consulted(string action) =>
        new(AuditOperation.Consultation, action, Crn, ResourceType, Id.ToString(), Version, $"share of {Type} read", Justification, Recipients);

    public static ShareView From(Share s, IReadOnlyList<Document> documents, DateTimeOffset now, bool sharer)
    {
        var self = $"/api/v1/shares/{s.Id}";
        var live = s.IsLiveAt(now);
        var byId = documents.ToDictionary(d => d.Id);
        return new ShareView(
            s.Id, s.Crn.Value, s.SharerOrganisationCode, s.SharedBy, s.SharedByName, s.SharedAt, s.RecipientOrganisationCode,
            [.. s.Recipients.Select(r => r.UserId).Order(StringComparer.Ordinal)],
            s.Type, s.OtherType, s.Purpose, s.LawfulBasis, s.Mode, s.ExpiresAt, live, s.Content, s.Withheld, s.WithheldReason, s.RequestId,
            // An infected document is its owner organisation's sight alone: gone from the share for its recipients.
            [.. s.Documents.OrderBy(d => d.Position)
                .Where(d => byId.TryGetValue(d.DocumentId, out var document) && (sharer || document.ScanStatus != ScanStatus.Infected))
                .Select(d => DocumentView.From(byId[d.DocumentId]))],
            s.RevokedAt, s.RevokedBy, s.RevocationReason, s.Version,
            new ShareLinks(
                self,
                $"/api/v1/cases/{s.Crn.Value}",
                s.RequestId is { } r ? $"/api/v1/information-requests/{r}" : null,
                sharer && live ? $"{self}/revoke" : null));
    }

    /// <summary>The views of <paramref name="shares"/>, their documents read in one query.</summary>
    public static async Task<List<ShareView>> ForAsync(IAppDbContext db, IReadOnlyList<Share> shares, IReadOnlyList<string> callerCodes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = shares.SelectMany(s => s.Documents.Select(d => d.DocumentId)).Distinct().ToList();
        var documents = ids.Count == 0 ? [] : await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        return [.. shares.Select(s => From(s, documents, now, callerCodes.Contains(s.SharerOrganisationCode)))];
    }
}

/// <summary>The actions open on a request, for the side that takes them.</summary>
public sealed record InformationRequestLinks(string Self, string Case, string? Share, string? Provide, string? Refuse, string? Withdraw);

/// <summary>
/// A request for information: who asked whom, about which case, for what, why and on what lawful basis, by when; and
/// how it was answered (the share that provided it, or the coded reason it was refused).
/// </summary>
/// <param name="DueBy">The end of the due date in London: open past it, the request is overdue.</param>
/// <param name="ShareId">The share that answered it (Provided, PartlyProvided); its requester reads it while it is live.</param>
public sealed record InformationRequestView(
    Guid Id,
    string Crn,
    string RequesterOrganisation,
    string RequestedBy,
    string RequestedByName,
    DateTimeOffset RequestedAt,
    string AddresseeOrganisation,
    InformationType Type,
    string? OtherType,
    string Purpose,
    LawfulBasis LawfulBasis,
    RequestUrgency Urgency,
    DateOnly DueDate,
    DateTimeOffset DueBy,
    bool Overdue,
    InformationRequestState State,
    DateTimeOffset? AnsweredAt,
    string? AnsweredBy,
    Guid? ShareId,
    WithholdingReason? RefusalReason,
    string? RefusalText,
    long Version,
    InformationRequestLinks Links) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "information-request";

    [JsonIgnore]
    string IAuditedResult.ResourceId => Id.ToString();

    [JsonIgnore]
    long? IAuditedResult.ResourceVersion => Version;

    [JsonIgnore]
    string? IAuditedResult.Crn => Crn;

    [JsonIgnore]
    public string? ChangeSummary { get; init; }

    [JsonIgnore]
    public string? Justification => new Disclosure(Type, OtherType, Purpose, LawfulBasis).Justification;

    /// <summary>On an answer that provides information: who receives it.</summary>
    [JsonIgnore]
    public string? Recipients { get; init; }

    public AuditFacts Consulted(string action) => new(AuditOperation.Consultation, action, Crn, ResourceType, Id.ToString(), Version, ResourceType);

    public static InformationRequestView From(InformationRequest r, DateTimeOffset now, IReadOnlyList<string> callerCodes)
    {
        var self = $"/api/v1/information-requests/{r.Id}";
        var open = r.IsOpen;
        var addressee = callerCodes.Contains(r.AddresseeOrganisationCode);
        var requester = callerCodes.Contains(r.RequesterOrganisationCode);
        return new InformationRequestView(
            r.Id, r.Crn.Value, r.RequesterOrganisationCode, r.RequestedBy, r.RequestedByName, r.RequestedAt, r.AddresseeOrganisationCode,
            r.Type, r.OtherType, r.Purpose, r.LawfulBasis, r.Urgency, r.DueDate, r.DueBy, r.IsOverdue(now), r.State, r.AnsweredAt, r.AnsweredBy,
            r.ShareId, r.RefusalReason, r.RefusalText, r.Version,
            new InformationRequestLinks(
                self,
                $"/api/v1/cases/{r.Crn.Value}",
                r.ShareId is { } s ? $"/api/v1/shares/{s}" : null,
                open && addressee ? $"{self}/provide" : null,
                open && addressee ? $"{self}/refuse" : null,
                open && requester ? $"{self}/withdraw" : null));
    }
}
