using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Sharing;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Documents;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Documents;

/// <summary>
/// Checks, before a byte is read, that the caller may upload a document about the case and names it well: its
/// organisation holds or has held the case, or is asked about it by an open request (404 otherwise).
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record CheckDocumentUpload(string Crn, string? FileName, string? Title) : IQuery<Guid>;

public sealed class CheckDocumentUploadValidator : AbstractValidator<CheckDocumentUpload>
{
    public CheckDocumentUploadValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.FileName).MustBeFileName();
        RuleFor(c => c.Title).MaximumLength(Document.TitleMaxLength).WithMessage($"must be at most {Document.TitleMaxLength} characters");
    }
}

public sealed class CheckDocumentUploadHandler(SharingAccess access) : IQueryHandler<CheckDocumentUpload, Guid>
{
    public async ValueTask<Guid> Handle(CheckDocumentUpload query, CancellationToken cancellationToken) =>
        (await access.CaseToGiveAboutAsync(query.Crn, cancellationToken)).Id;
}

/// <summary>
/// Records a document whose bytes are already in the store, checked and hashed while they streamed in. The id and
/// storage key are the server's, outside what an Idempotency-Key compares: a retry of the same bytes replays the
/// first answer (and the retry's own copy is removed).
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record RecordDocument(string Crn, string FileName, string? Title, string ContentType, long Length, string Sha256)
    : ICommand<DocumentView>, IAuditedCommand, ICaseMessage
{
    [JsonIgnore]
    public Guid DocumentId { get; init; }

    [JsonIgnore]
    public string StorageKey { get; init; } = "";

    /// <summary>The scanner's verdict on the bytes as they streamed in; null when scanning is off.</summary>
    [JsonIgnore]
    public ScanVerdict? Verdict { get; init; }

    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => $"document uploaded: {ContentType}, {Length} bytes";
}

public sealed class RecordDocumentValidator : AbstractValidator<RecordDocument>
{
    public RecordDocumentValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.FileName).MustBeFileName();
    }
}

public sealed class RecordDocumentHandler(IAppDbContext db, SharingAccess access, ScanningOptions scanning) : ICommandHandler<RecordDocument, DocumentView>
{
    public async ValueTask<DocumentView> Handle(RecordDocument command, CancellationToken cancellationToken)
    {
        var (caseId, crn) = await access.CaseToGiveAboutAsync(command.Crn, cancellationToken);
        var caller = access.Caller();
        var document = new Document(
            command.DocumentId, caseId, crn, caller.OrganisationCode, caller.UserId, access.Now, command.FileName.Trim(),
            string.IsNullOrWhiteSpace(command.Title) ? null : command.Title.Trim(), command.ContentType, command.Length, command.Sha256, command.StorageKey);
        DocumentScans.Apply(document, command.Verdict, command.StorageKey, access.Now, scanning);
        db.Documents.Add(document);
        return DocumentView.From(document);
    }
}

public static class DocumentValidation
{
    /// <summary>A file name as people give them: required, no path, no control characters.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeFileName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("is required: the document's file name")
            .MaximumLength(Document.FileNameMaxLength).WithMessage($"must be at most {Document.FileNameMaxLength} characters")
            .Must(n => n is null || (n.IndexOfAny(['/', '\\']) < 0 && !n.Any(char.IsControl)))
            .WithMessage("must be a file name without a path or control characters");
}
