using System.Net.Http.Headers;
using CaseTransfer.Application.Documents;
using CaseTransfer.Application.Sharing;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Documents given in information sharing: uploaded about a case as the request body (streamed, never held whole in
/// memory, typed by their magic numbers and hashed as they arrive), then read by their owner organisation or through a
/// live share: inline to view, or as an attachment to download (a copy: Copy shares only).
/// </summary>
public static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/cases").WithTags("Documents").RequireAuthorization()
            .MapPost("/{crn}/documents", UploadDocument)
            .WithName(nameof(UploadDocument))
            .WithSummary("Uploads a document about a case: the request body is the document, its Content-Type the declared type")
            .WithDescription("The caller's organisation holds or has held the case, or is asked about it by an open request (404 otherwise). fileName is required (no path). The body streams into the document store with its SHA-256 computed on the way; it is at most Documents:MaxBytes (default 25 MB: 413 document-too-large), its Content-Type must be one of the accepted types (415 document-type-not-accepted) and its first bytes must match that type (415 document-type-mismatch; an empty body is 400 document-empty). A refused upload leaves nothing behind. With Scanning:Enabled, the bytes are scanned by clamd as they stream in and the answer carries the verdict: scanStatus Clean; Infected with scanSignature (the bytes moved to quarantine, never served, an alert document-infected and an event case-transfer.document.infected for the uploader's organisation); or Pending when clamd gave no verdict (down, timing out: still 201, unreadable until the background scanner finds it clean). With scanning off, NotScanned (readable). The document is its owner organisation's alone until a share gives it. Accepts Idempotency-Key (same key and same bytes: the first answer).")
            .WithMetadata(new DocumentBodyMetadata(Request: true))
            .WritesProblems(400, 401, 403, 404, 413, 415, 422);

        var documents = app.MapGroup("/api/v1/documents").WithTags("Documents").RequireAuthorization();

        documents.MapGet("/{id}", GetDocument)
            .WithName(nameof(GetDocument))
            .WithSummary("A document's metadata: name, type, size, the SHA-256 its bytes are checked against, and its malware scan status")
            .WithDescription("Its owner organisation, or the recipients of a live share that gives it; anyone else, and recipients after the share expires or is revoked, get 404. scanStatus: Pending (awaiting clamd's verdict: bytes not served), Clean, Infected (seen by the owner organisation only, with scanSignature; 404 to everyone else, shares included), NotScanned (stored with scanning off: bytes served).")
            .WritesProblems(400, 401, 403, 404);

        documents.MapGet("/{id}/content", ViewDocument)
            .WithName(nameof(ViewDocument))
            .WithSummary("A document's bytes to view (Content-Disposition: inline, Cache-Control: no-store)")
            .WithDescription("Its owner organisation, or the recipients of a live share that gives it, in either mode. The bytes are checked against the SHA-256 recorded at upload before any is sent: a mismatch is a 500 (document-integrity) naming the document. Repr-Digest carries the SHA-256. Nobody reads a document before the malware scanner has found it clean: 409 document-not-scanned while it is Pending; 409 document-infected (to its owner organisation; 404 to anyone else) once Infected. Each view is a consultation entry with the share's purpose, lawful basis and recipients.")
            .WithMetadata(new DocumentBodyMetadata(Request: false))
            .WritesProblems(400, 401, 403, 404, 409);

        documents.MapGet("/{id}/download", DownloadDocument)
            .WithName(nameof(DownloadDocument))
            .WithSummary("A document's bytes to keep (Content-Disposition: attachment): a copy, through a Copy share only")
            .WithDescription("Its owner organisation, or the recipients of a live Copy share that gives it; through a ReadOnly share only, 409 share-is-read-only (view it inline instead). Checked as a view is (409 document-not-scanned, document-infected likewise). Each download by a recipient is a disclosure entry (the owner's own, a consultation) with the share's purpose, lawful basis and recipients.")
            .WithMetadata(new DocumentBodyMetadata(Request: false))
            .WritesProblems(400, 401, 403, 404, 409);
    }

    public static async Task<Created<DocumentView>> UploadDocument(
        string crn,
        [FromQuery] string? fileName,
        [FromQuery] string? title,
        HttpRequest request,
        DocumentUploads uploads,
        DocumentOptions options,
        CancellationToken cancellationToken)
    {
        // Above the documents' own limit, so that the intake's 413 (naming the limit) is the one a client meets.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxBytes + 1;
        }

        var view = await uploads.UploadAsync(crn, fileName, title, request.ContentType, request.ContentLength, request.Body, cancellationToken);
        return TypedResults.Created(view.Links.Self, view);
    }

    public static async Task<Ok<DocumentView>> GetDocument(Guid id, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Documents.GetDocument(id), cancellationToken));

    public static Task<FileStreamHttpResult> ViewDocument(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        OpenAsync(id, download: false, mediator, response, cancellationToken);

    public static Task<FileStreamHttpResult> DownloadDocument(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        OpenAsync(id, download: true, mediator, response, cancellationToken);

    private static async Task<FileStreamHttpResult> OpenAsync(Guid id, bool download, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var opened = await mediator.Send(new OpenDocument(id, download), cancellationToken);
        response.RegisterForDisposeAsync(opened.Content);
        var view = opened.View;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue(download ? "attachment" : "inline")
        {
            FileNameStar = view.FileName,
        }.ToString();
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(view.Sha256))}:";
        response.ContentLength = view.Length;
        return TypedResults.Stream(opened.Content, view.ContentType);
    }
}

/// <summary>Marks an operation whose request (upload) or 200 answer (view, download) is a document's bytes, in any accepted type.</summary>
public sealed record DocumentBodyMetadata(bool Request);
