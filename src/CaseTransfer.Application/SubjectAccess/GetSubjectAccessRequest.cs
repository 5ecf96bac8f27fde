using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Documents;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.SubjectAccess;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.SubjectAccess;

public sealed record SubjectAccessLinks(string Self, string? BundleJson, string? BundlePdf);

/// <summary>The bundle as stored, once ready: each file's SHA-256 and length, and when it will be deleted.</summary>
public sealed record SubjectAccessBundleInfo(DateTimeOffset ExpiresAt, bool Expired, string JsonSha256, long JsonLength, string PdfSha256, long PdfLength);

public sealed record SubjectAccessProgressView(int Gathered, int Total, IReadOnlyList<SubjectAccessSectionProgress> Sections);

/// <summary>A subject access request: its state, how far gathering has got, and once ready its bundle's links and expiry.</summary>
public sealed record SubjectAccessRequestView(
    Guid Id,
    string Reference,
    SubjectIdentifierType IdentifierType,
    string Identifier,
    string Crn,
    DateOnly? From,
    DateOnly? To,
    SubjectAccessState State,
    SubjectAccessProgressView Progress,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? Failure,
    SubjectAccessBundleInfo? Bundle,
    SubjectAccessLinks Links) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => SubjectAccessRequest.AuditResourceType;

    [JsonIgnore]
    public string ResourceId => Id.ToString();

    [JsonIgnore]
    public long? ResourceVersion => null;

    [JsonIgnore]
    string? IAuditedResult.Crn => Crn;

    public static SubjectAccessRequestView Of(SubjectAccessRequest request, DateTimeOffset now, SubjectAccessOptions options)
    {
        var self = $"/api/v1/subject-access-requests/{request.Id}";
        var available = request.BundleAvailable(now);
        var sections = request.Progress;
        return new SubjectAccessRequestView(
            request.Id,
            request.Reference,
            request.IdentifierType,
            request.IdentifierValue,
            request.Crn,
            request.From,
            request.To,
            request.State,
            new SubjectAccessProgressView(sections.Sum(s => s.Gathered), sections.Sum(s => s.Total), sections),
            request.RequestedAt,
            request.StartedAt,
            request.CompletedAt,
            request.Failure,
            request.State == SubjectAccessState.Ready
                ? new SubjectAccessBundleInfo(request.ExpiresAt!.Value, !available, request.JsonSha256!, request.JsonLength!.Value, request.PdfSha256!, request.PdfLength!.Value)
                : null,
            new SubjectAccessLinks(self, available ? $"{self}/bundle.json" : null, available ? $"{self}/bundle.pdf" : null));
    }
}

/// <summary>A subject access request's state and progress: the data protection officers of the NPS.</summary>
[Authorise(Roles.DataProtectionOfficer)]
public sealed record GetSubjectAccessRequest(Guid Id) : IQuery<SubjectAccessRequestView>, IConsultation
{
    public AuditFacts Consulted(object result)
    {
        var view = (SubjectAccessRequestView)result;
        return new(AuditOperation.Consultation, nameof(GetSubjectAccessRequest), view.Crn, SubjectAccessRequest.AuditResourceType, view.Id.ToString(), null,
            $"subject access request status: {view.State}");
    }
}

public sealed class GetSubjectAccessRequestValidator : AbstractValidator<GetSubjectAccessRequest>
{
    public GetSubjectAccessRequestValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class GetSubjectAccessRequestHandler(IAppDbContext db, SubjectAccessAccess access, TimeProvider clock, SubjectAccessOptions options)
    : IQueryHandler<GetSubjectAccessRequest, SubjectAccessRequestView>
{
    public async ValueTask<SubjectAccessRequestView> Handle(GetSubjectAccessRequest query, CancellationToken cancellationToken)
    {
        await access.EnsureOfficerAsync(cancellationToken);
        var request = await db.SubjectAccessRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Subject access request", query.Id.ToString());
        return SubjectAccessRequestView.Of(request, clock.GetUtcNow(), options);
    }
}

public enum BundleFormat
{
    Json,
    Pdf,
}

/// <summary>A bundle's bytes, checked against their SHA-256, with the request it answers.</summary>
public sealed record OpenedBundle(SubjectAccessRequestView Request, BundleFormat Format, Stream Content, string Sha256, long Length)
{
    public string ContentType => Format == BundleFormat.Json ? "application/json" : "application/pdf";

    public string FileName => $"subject-access-{Request.Crn}-{Request.Id:N}.{(Format == BundleFormat.Json ? "json" : "pdf")}";
}

/// <summary>
/// A bundle downloaded for the data subject. Each download is a disclosure in the audit log, to the data subject
/// (recipients <c>data-subject</c>), under the request's reference: the bundle leaves the service for the person.
/// 410 Gone once the bundle has expired.
/// </summary>
[Authorise(Roles.DataProtectionOfficer)]
public sealed record DownloadSubjectAccessBundle(Guid Id, BundleFormat Format) : IQuery<OpenedBundle>, IConsultation
{
    public const string Recipient = "data-subject";

    public AuditFacts Consulted(object result)
    {
        var opened = (OpenedBundle)result;
        return new(
            AuditOperation.Disclosure,
            nameof(DownloadSubjectAccessBundle),
            opened.Request.Crn,
            SubjectAccessRequest.AuditResourceType,
            opened.Request.Id.ToString(),
            null,
            $"subject access bundle downloaded ({Format.ToString().ToLowerInvariant()}, sha-256 {opened.Sha256})",
            $"Subject access request {opened.Request.Reference} (UK GDPR art. 15; DPA 2018 s.45)",
            Recipient);
    }
}

public sealed class DownloadSubjectAccessBundleValidator : AbstractValidator<DownloadSubjectAccessBundle>
{
    public DownloadSubjectAccessBundleValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class DownloadSubjectAccessBundleHandler(IAppDbContext db, SubjectAccessAccess access, DocumentIntake intake, TimeProvider clock, SubjectAccessOptions options)
    : IQueryHandler<DownloadSubjectAccessBundle, OpenedBundle>
{
    public async ValueTask<OpenedBundle> Handle(DownloadSubjectAccessBundle query, CancellationToken cancellationToken)
    {
        await access.EnsureOfficerAsync(cancellationToken);
        var request = await db.SubjectAccessRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Subject access request", query.Id.ToString());
        var now = clock.GetUtcNow();
        request.EnsureBundleAvailable(now);
        var (key, sha, length) = query.Format == BundleFormat.Json
            ? (request.JsonKey!, request.JsonSha256!, request.JsonLength!.Value)
            : (request.PdfKey!, request.PdfSha256!, request.PdfLength!.Value);
        var content = await intake.OpenVerifiedAsync(request.Id, key, sha, length, cancellationToken);
        return new OpenedBundle(SubjectAccessRequestView.Of(request, now, options), query.Format, content, sha, length);
    }
}
