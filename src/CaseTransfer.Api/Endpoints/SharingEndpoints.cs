using CaseTransfer.Application.Common;
using CaseTransfer.Application.Sharing;
using CaseTransfer.Api.Http;
using CaseTransfer.Domain.Sharing;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Information sharing between the organisations, in both directions: requests (asked for, then provided, provided in
/// part, refused, or withdrawn) and shares (given proactively or in answer), each for a stated purpose and lawful
/// basis, read-only or as a copy, with access that ends. Every provision, share, revocation and read is on the record.
/// </summary>
public static class SharingEndpoints
{
    public static void MapSharingEndpoints(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/v1/information-requests").WithTags("Information requests").RequireAuthorization();

        requests.MapPost("/", RequestInformation)
            .WithName(nameof(RequestInformation))
            .WithSummary("Asks another organisation for information about a case the caller's organisation holds or is being asked to take")
            .WithDescription("The caller's organisation holds the case, or an open allocation or escalation asks it to take it (404 otherwise, as for a case it cannot see). type (Other needs otherType), purpose and lawfulBasis are required; the lawful bases are a documented list (see LawfulBasis). dueDate is today or later in London (409 request-due-date-in-past); the request is overdue after that day ends and raises an information-request-overdue alert. addresseeOrganisation is another organisation (409 request-to-own-organisation; 400 when unknown). An information officer or case manager. Accepts Idempotency-Key.")
            .Accepts<Application.Sharing.RequestInformation>("application/json")
            .WritesProblems(400, 401, 403, 404, 409, 413, 422);

        requests.MapGet("/", ListInformationRequests)
            .WithName(nameof(ListInformationRequests))
            .WithSummary("The requests the caller's organisation was asked (direction=Received, the default) or made (Sent), oldest first")
            .WithDescription($"Filters: direction, state, crn, overdue. Cursor paging: limit defaults to {Application.Sharing.ListInformationRequests.DefaultLimit}, at most {Application.Sharing.ListInformationRequests.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        requests.MapGet("/{id}", GetInformationRequest)
            .WithName(nameof(GetInformationRequest))
            .WithSummary("One request: who asked whom, for what, why, on what basis, by when, and how it was answered")
            .WithDescription("Seen by the requester and the organisation asked; anyone else gets 404. shareId names the share that answered it; the requester reads it while it is live. The ETag is the request's version.")
            .WritesProblems(400, 401, 403, 404);

        MapRequestAction(requests, "provide", ProvideInformation, nameof(ProvideInformation),
            "The organisation asked provides the information, in full or in part: a share to the requester",
            "Makes a share to the requester's organisation (recipientUserIds limits it to named people there) for the request's purpose and lawful basis, in mode ReadOnly or Copy, until expiresAt (required; within Sharing:MaximumDays: 409 share-expiry-too-far, share-expiry-in-past), giving content and/or documents the caller's organisation uploaded about this case (409 share-has-nothing, document-of-another-case, document-infected). With withheld and withheldReason the request is PartlyProvided, else Provided. The organisation asked only (403 for the requester); 409 information-request-closed once answered or withdrawn.");
        MapRequestAction(requests, "refuse", RefuseInformationRequest, nameof(RefuseInformationRequest),
            "The organisation asked refuses, with a coded reason",
            "reason is a WithholdingReason; Other needs text (409 refusal-reason-needs-text). The organisation asked only; 409 information-request-closed.");
        MapRequestAction(requests, "withdraw", WithdrawInformationRequest, nameof(WithdrawInformationRequest),
            "The requester withdraws its request",
            "The requester's organisation only (403 for the organisation asked); 409 information-request-closed.");

        var shares = app.MapGroup("/api/v1/shares").WithTags("Shares").RequireAuthorization();

        shares.MapPost("/", ShareInformation)
            .WithName(nameof(ShareInformation))
            .WithSummary("Shares information about a case with another organisation without being asked")
            .WithDescription("The caller's organisation holds or has held the case, or is asked about it by an open request (404 otherwise). recipientOrganisation is another organisation (409 share-to-own-organisation; 400 when unknown); recipientUserIds, when given, limits the share to those people there. type, purpose and lawfulBasis are required, as are mode (ReadOnly: documents are viewed inline only; Copy: they may be downloaded) and expiresAt (after now and within Sharing:MaximumDays, default 90: 409 share-expiry-in-past, share-expiry-too-far). content and/or documentIds (documents the caller's organisation uploaded about this case) are given (409 share-has-nothing, document-of-another-case, document-infected for a document the malware scanner found infected; 404 for a document the caller's organisation does not own). While live, its recipients read it and the case's summary (not its history, allocations or other shares); after expiry or revocation they get 404. A disclosure entry in the audit log names the purpose, lawful basis and recipients. Accepts Idempotency-Key.")
            .Accepts<Application.Sharing.ShareInformation>("application/json")
            .WritesProblems(400, 401, 403, 404, 409, 413, 422);

        shares.MapGet("/", ListShares)
            .WithName(nameof(ListShares))
            .WithSummary("The shares the caller receives (direction=Received, the default: live only) or its organisation sent (Sent), newest first")
            .WithDescription($"Filters: direction, crn, live (for sent shares). Cursor paging: limit defaults to {Application.Sharing.ListShares.DefaultLimit}, at most {Application.Sharing.ListShares.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        shares.MapGet("/{id}", GetShare)
            .WithName(nameof(GetShare))
            .WithSummary("One share: what was shared, by whom, with whom, why, on what basis, how and until when")
            .WithDescription("Its sharer's organisation always; its recipients (the organisation, or only the people it names) while it is live; anyone else, and its recipients after expiry or revocation, get 404. Each read is a consultation entry with the share's purpose, lawful basis and recipients. The ETag is the share's version.")
            .WritesProblems(400, 401, 403, 404);

        shares.MapAction("revoke", RevokeShare, nameof(RevokeShare),
            "The sharer ends the recipients' access now",
            "The sharer's organisation only (403 for a recipient). From now on the recipients get 404 for the share, its documents and, through it, the case. 409 share-already-revoked, share-expired. A disclosure entry records the revocation.",
            "share");
    }

    private static void MapRequestAction(RouteGroupBuilder group, string action, Delegate handler, string name, string summary, string description) =>
        group.MapAction(action, handler, name, summary, description, "information request");

    public static async Task<Created<InformationRequestView>> RequestInformation(
        Application.Sharing.RequestInformation body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        return EndpointConventions.CreatedWithETag(result, result.Links.Self, result.Version, response);
    }

    public static async Task<Ok<Page<InformationRequestView>>> ListInformationRequests(
        [FromQuery] RequestDirection? direction,
        [FromQuery] InformationRequestState? state,
        [FromQuery] string? crn,
        [FromQuery] bool? overdue,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Sharing.ListInformationRequests(direction, state, crn, overdue, limit, cursor), cancellationToken));

    public static async Task<Ok<InformationRequestView>> GetInformationRequest(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Sharing.GetInformationRequest(id), cancellationToken), response);

    public static async Task<Ok<InformationRequestView>> ProvideInformation(
        Guid id, ProvideInformationRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(
            new Application.Sharing.ProvideInformation(
                id, body.RecipientUserIds, body.Mode, body.ExpiresAt, body.Content, body.DocumentIds, body.Withheld, body.WithheldReason, ETags.IfMatch(request)),
            cancellationToken), response);

    public static async Task<Ok<InformationRequestView>> RefuseInformationRequest(
        Guid id, RefuseInformationRequestRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Sharing.RefuseInformationRequest(id, body.Reason, body.Text, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<InformationRequestView>> WithdrawInformationRequest(
        Guid id, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Sharing.WithdrawInformationRequest(id, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Created<ShareView>> ShareInformation(
        Application.Sharing.ShareInformation body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        return EndpointConventions.CreatedWithETag(result, result.Links.Self, result.Version, response);
    }

    public static async Task<Ok<Page<ShareView>>> ListShares(
        [FromQuery] ShareDirection? direction,
        [FromQuery] string? crn,
        [FromQuery] bool? live,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Sharing.ListShares(direction, crn, live, limit, cursor), cancellationToken));

    public static async Task<Ok<ShareView>> GetShare(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var share = await mediator.Send(new Application.Sharing.GetShare(id), cancellationToken);
        return EndpointConventions.OkWithETag(share, share.Version, response);
    }

    public static async Task<Ok<ShareView>> RevokeShare(
        Guid id, RevokeShareRequest? body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var share = await mediator.Send(new Application.Sharing.RevokeShare(id, body?.Reason, ETags.IfMatch(request)), cancellationToken);
        return EndpointConventions.OkWithETag(share, share.Version, response);
    }

    private static Ok<InformationRequestView> Ok(InformationRequestView view, HttpResponse response) => EndpointConventions.OkWithETag(view, view.Version, response);
}

/// <summary>The answer that provides the information: the share to the requester.</summary>
/// <param name="RecipientUserIds">Only these people in the requester's organisation may see it; leave out for everyone there.</param>
/// <param name="Mode">ReadOnly (documents viewed inline only) or Copy (documents may be downloaded).</param>
/// <param name="ExpiresAt">When the requester's access ends: after now, within Sharing:MaximumDays.</param>
/// <param name="Content">The information in words.</param>
/// <param name="DocumentIds">Documents the caller's organisation uploaded about the case.</param>
/// <param name="Withheld">For a partial answer: what is withheld.</param>
/// <param name="WithheldReason">For a partial answer: why, as a code.</param>
public sealed record ProvideInformationRequest(
    IReadOnlyList<string>? RecipientUserIds,
    ShareMode? Mode,
    DateTimeOffset? ExpiresAt,
    string? Content,
    IReadOnlyList<Guid>? DocumentIds,
    string? Withheld,
    WithholdingReason? WithheldReason);

/// <summary>A refusal: a coded reason, and words (required for Other).</summary>
public sealed record RefuseInformationRequestRequest(WithholdingReason? Reason, string? Text);

/// <summary>Why the share is revoked (optional).</summary>
public sealed record RevokeShareRequest(string? Reason);
