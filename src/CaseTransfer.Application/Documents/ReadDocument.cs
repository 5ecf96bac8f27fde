using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Sharing;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Sharing;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Documents;

/// <summary>A document's metadata: its owner organisation, or the recipients of a live share that gives it.</summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager, Roles.Allocator, Roles.EscalationDecider, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetDocument(Guid Id) : IQuery<DocumentView>, IConsultation
{
    public AuditFacts Consulted(object result)
    {
        var view = (DocumentView)result;
        return new(AuditOperation.Consultation, nameof(GetDocument), view.Crn, view.ResourceType, view.Id.ToString(), null, "document metadata");
    }
}

public sealed class GetDocumentValidator : AbstractValidator<GetDocument>
{
    public GetDocumentValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class GetDocumentHandler(SharingAccess access) : IQueryHandler<GetDocument, DocumentView>
{
    public async ValueTask<DocumentView> Handle(GetDocument query, CancellationToken cancellationToken) =>
        DocumentView.From((await access.GetVisibleDocumentAsync(query.Id, cancellationToken)).Document);
}

/// <summary>A document's bytes, checked against their SHA-256, with how they were reached (for the record).</summary>
public sealed record OpenedDocument(DocumentView View, Stream Content, bool Download, Share? Through);

/// <summary>
/// A document's bytes, to view inline or (<paramref name="Download"/>) to download as an attachment. Its owner
/// organisation may do both; a recipient views through any live share that gives it, and downloads only through a
/// live Copy share (409 share-is-read-only otherwise). A document awaiting its malware scan is 409 document-not-scanned;
/// an infected one, 409 document-infected to its owner organisation (404 to anyone else). The bytes are checked against the SHA-256 recorded at upload
/// before any is sent (a mismatch is a 500 naming the document, logged). Each view is a consultation and each
/// download by a recipient a disclosure in the audit log (the owner's own reads are consultations), with the share's purpose, lawful basis and recipients.
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager, Roles.Allocator, Roles.EscalationDecider, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin, Roles.PartnerSystem)]
public sealed record OpenDocument(Guid Id, bool Download) : IQuery<OpenedDocument>, IConsultation
{
    public AuditFacts Consulted(object result)
    {
        var opened = (OpenedDocument)result;
        var disclosure = opened.Through?.Disclosure;
        return new(
            // A copy taken by another organisation is a disclosure; the owner's own reads are consultations.
            Download && opened.Through is not null ? AuditOperation.Disclosure : AuditOperation.Consultation,
            Download ? "DownloadDocument" : "ViewDocument",
            opened.View.Crn,
            opened.View.ResourceType,
            opened.View.Id.ToString(),
            null,
            opened.Through is null
                ? (Download ? "document downloaded by its owner organisation" : "document viewed by its owner organisation")
                : (Download ? $"document downloaded (a copy) through share {opened.Through.Id}" : $"document viewed inline through share {opened.Through.Id}"),
            disclosure?.Justification,
            opened.Through?.RecipientsText);
    }
}

public sealed class OpenDocumentValidator : AbstractValidator<OpenDocument>
{
    public OpenDocumentValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class OpenDocumentHandler(SharingAccess access, DocumentIntake intake) : IQueryHandler<OpenDocument, OpenedDocument>
{
    public async ValueTask<OpenedDocument> Handle(OpenDocument query, CancellationToken cancellationToken)
    {
        var (document, owner, through) = await access.GetVisibleDocumentAsync(query.Id, cancellationToken);

        // Nobody reads the bytes before the scanner has called them clean (409 document-not-scanned), nor ever those
        // it found infected (409 document-infected, to the owner organisation, the only one that sees them).
        document.EnsureReadable();
        Share? share = null;
        if (!owner)
        {
            // A download needs a Copy share; a view goes through the first live share that gives the document.
            share = query.Download ? through.FirstOrDefault(s => s.Mode == ShareMode.Copy) : through[0];
            if (share is null)
            {
                through[0].EnsureDownloadable();
            }
        }

        var content = await intake.OpenVerifiedAsync(document.Id, document.StorageKey, document.Sha256, document.Length, cancellationToken);
        return new OpenedDocument(DocumentView.From(document), content, query.Download, share);
    }
}
