using System.Net.Http.Headers;
using CaseTransfer.Application.SubjectAccess;
using CaseTransfer.Infrastructure.SubjectAccess;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Subject access requests: everything the service holds on one person, gathered in the background into one bundle
/// (JSON and PDF) that a data protection officer of the NPS downloads for the person until it expires.
/// </summary>
public static class SubjectAccessEndpoints
{
    private const string OfficersOnly = "A data protection officer (role data-protection-officer) of an NPS organisation only: 403 otherwise.";

    public static void MapSubjectAccessEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subject-access-requests").WithTags("Subject access").RequireAuthorization();

        group.MapPost("/", RequestSubjectAccess)
            .WithName(nameof(RequestSubjectAccess))
            .WithSummary("Ask for everything held on one person, as one bundle (JSON and PDF)")
            .WithDescription($"Exactly one of crn, pncId, nomsNumber names the person (400 naming crn otherwise; a malformed one, 400 naming it); an identifier no case carries is 404, one that more than one case carries is 409 subject-identifier-ambiguous (ask by CRN). from and to (London dates, both inclusive, optional) bound the period: to not after today, from not after to. reference is the request's own (the officer's ticket). Answers 202 with the request, Queued; a background worker gathers the bundle (GET the Location for progress). The request is a consultation in the audit log and in the person's disclosure log, with the reference as its justification. {OfficersOnly} Accepts Idempotency-Key.")
            .Accepts<RequestSubjectAccess>("application/json")
            .WritesProblems(400, 401, 403, 404, 409, 413, 422);

        group.MapGet("/{id}", GetSubjectAccessRequest)
            .WithName(nameof(GetSubjectAccessRequest))
            .WithSummary("A subject access request's state (Queued, Gathering, Ready, Failed), progress per section and, once ready, its bundle's links and expiry")
            .WithDescription($"While Gathering, progress counts the records gathered of those found, per section of the bundle. Once Ready, links.bundleJson and links.bundlePdf download the bundle until bundle.expiresAt (SubjectAccess:BundleRetentionDays after it was made, default 30); then the links are null and the bundle is deleted from the store. {OfficersOnly}")
            .WritesProblems(400, 401, 403, 404);

        group.MapGet("/{id}/bundle.json", DownloadSubjectAccessBundleJson)
            .WithName(nameof(DownloadSubjectAccessBundleJson))
            .WithSummary("The bundle as JSON: every kind of record held on the person in the period, and what was withheld and why")
            .WithDescription($"Staff appear by role and organisation; victims' details, staff names and the content of shares that name other people are withheld (counted in withheld with the exemption). The bytes are checked against the SHA-256 recorded when the bundle was made (Repr-Digest carries it). Each download is a disclosure to the data subject in the audit log (recipients data-subject, the request's reference as justification). 409 subject-access-bundle-not-ready before it is Ready; 410 once it has expired. {OfficersOnly}")
            .Produces<SubjectAccessBundle>(StatusCodes.Status200OK, "application/json")
            .WritesProblems(400, 401, 403, 404, 409, 410);

        group.MapGet("/{id}/bundle.pdf", DownloadSubjectAccessBundlePdf)
            .WithName(nameof(DownloadSubjectAccessBundlePdf))
            .WithSummary("The bundle as a PDF for the person: the same records and withheld list as the JSON")
            .WithDescription($"Checked, audited and refused as the JSON is (a disclosure to the data subject each time; 409 before Ready, 410 once expired). {OfficersOnly}")
            .WithMetadata(new BinaryResponseMetadata("application/pdf", "The bundle as a PDF, checked against its SHA-256 (Repr-Digest)."))
            .WritesProblems(400, 401, 403, 404, 409, 410);
    }

    public static async Task<Accepted<SubjectAccessRequestView>> RequestSubjectAccess(
        RequestSubjectAccess body, IMediator mediator, SubjectAccessWorkSignal worker, CancellationToken cancellationToken)
    {
        var request = await mediator.Send(body, cancellationToken);
        worker.Wake();
        return TypedResults.Accepted(request.Links.Self, request);
    }

    public static async Task<Ok<SubjectAccessRequestView>> GetSubjectAccessRequest(Guid id, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.SubjectAccess.GetSubjectAccessRequest(id), cancellationToken));

    public static Task<FileStreamHttpResult> DownloadSubjectAccessBundleJson(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        DownloadAsync(id, BundleFormat.Json, mediator, response, cancellationToken);

    public static Task<FileStreamHttpResult> DownloadSubjectAccessBundlePdf(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        DownloadAsync(id, BundleFormat.Pdf, mediator, response, cancellationToken);

    private static async Task<FileStreamHttpResult> DownloadAsync(Guid id, BundleFormat format, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var opened = await mediator.Send(new DownloadSubjectAccessBundle(id, format), cancellationToken);
        response.RegisterForDisposeAsync(opened.Content);
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = opened.FileName }.ToString();
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(opened.Sha256))}:";
        response.ContentLength = opened.Length;
        return TypedResults.Stream(opened.Content, opened.ContentType);
    }
}

/// <summary>Marks an operation whose 200 answer is bytes of one media type (a PDF), which the generator cannot describe by itself.</summary>
public sealed record BinaryResponseMetadata(string MediaType, string Description);
