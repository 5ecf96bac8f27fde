using CaseTransfer.Application.Common;
using CaseTransfer.Application.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Webhook subscriptions: an organisation's administrators ask for its events to be POSTed, signed (Standard Webhooks),
/// to a callback address; see what could not be delivered, and send it again. Another organisation's subscriptions
/// answer 404.
/// </summary>
public static class SubscriptionEndpoints
{
    public static void MapSubscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subscriptions").WithTags("Webhooks").RequireAuthorization();

        group.MapPost("/", CreateSubscription)
            .WithName(nameof(CreateSubscription))
            .WithSummary("Subscribes the caller's organisation to events: POSTed, signed, to its callback address; the answer shows the signing secret once")
            .WithDescription("callbackUrl is an absolute http(s) address; eventTypes are exact types (case-transfer.share.made) or \"*\" for all. The subscription hears of the events from now on whose audience holds the caller's organisation (the organisations that saw the case at the event, and those it concerns) and of events about no case. Each POST carries the event's envelope and the headers webhook-id (the event's id: deduplicate by it), webhook-timestamp and webhook-signature (Standard Webhooks, HMAC-SHA256 with the secret). Delivered at least once, in order per case. The secret (whsec_...) is in this answer only. An administrator only. Accepts Idempotency-Key.")
            .Accepts<Application.Webhooks.CreateSubscription>("application/json")
            .WritesProblems(400, 401, 403, 413, 422);

        group.MapGet("/", ListSubscriptions)
            .WithName(nameof(ListSubscriptions))
            .WithSummary("The caller's organisation's webhook subscriptions, oldest first, without their secrets")
            .WritesProblems(401, 403);

        group.MapGet("/{id}", GetSubscription)
            .WithName(nameof(GetSubscription))
            .WithSummary("One webhook subscription of the caller's organisation, without its secret")
            .WithDescription("Another organisation's subscription answers 404. disabledReason says why it stopped (an administrator, or the subscriber answering 410 Gone).")
            .WritesProblems(400, 401, 403, 404);

        MapAction(group, "rotate-secret", RotateSubscriptionSecret, nameof(RotateSubscriptionSecret),
            "A new signing secret, shown once; the previous one keeps signing beside it for Webhooks:SecretOverlapHours",
            "During the overlap webhook-signature carries two space-separated v1, signatures, one per secret, so the subscriber may switch at any moment in it; previousSecretValidUntil says when the overlap ends.");
        MapAction(group, "disable", DisableSubscription, nameof(DisableSubscription),
            "Stops deliveries to the subscription; its events wait, and are sent once it is enabled again",
            "409 subscription-already-disabled.");
        MapAction(group, "enable", EnableSubscription, nameof(EnableSubscription),
            "Resumes deliveries, first those that waited while it was disabled",
            "409 subscription-already-enabled.");

        group.MapGet("/{id}/failures", ListSubscriptionFailures)
            .WithName(nameof(ListSubscriptionFailures))
            .WithSummary("The subscription's dead-lettered deliveries: given up on after the last attempt of the schedule, with the last status code or error and the attempts made")
            .WithDescription($"Oldest first. Cursor paging: limit defaults to {Application.Webhooks.ListSubscriptionFailures.DefaultLimit}, at most {Application.Webhooks.ListSubscriptionFailures.MaxLimit}.")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/{id}/redeliver", Redeliver)
            .WithName(nameof(Redeliver))
            .WithSummary("Puts dead-lettered deliveries back to be sent again from their first attempt: all of them, or those named by deliveryIds")
            .WithDescription("Each is sent again in its case's order: a later event of the same case waits until it is delivered or dead-lettered again. Accepts Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 413, 422);
    }

    private static void MapAction(RouteGroupBuilder group, string action, Delegate handler, string name, string summary, string description) =>
        group.MapPost($"/{{id}}/{action}", handler)
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(description + " An administrator only; another organisation's subscription answers 404. Accepts Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 413, 422);

    public static async Task<Created<SubscriptionView>> CreateSubscription(
        Application.Webhooks.CreateSubscription body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        response.Headers.CacheControl = "no-store";
        return EndpointConventions.CreatedWithETag(result, result.Links.Self, result.Version, response);
    }

    public static async Task<Ok<IReadOnlyList<SubscriptionView>>> ListSubscriptions(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Webhooks.ListSubscriptions(), cancellationToken));

    public static async Task<Ok<SubscriptionView>> GetSubscription(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Webhooks.GetSubscription(id), cancellationToken), response);

    public static async Task<Ok<SubscriptionView>> RotateSubscriptionSecret(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new Application.Webhooks.RotateSubscriptionSecret(id), cancellationToken);
        response.Headers.CacheControl = "no-store";
        return Ok(result, response);
    }

    public static async Task<Ok<SubscriptionView>> DisableSubscription(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Webhooks.DisableSubscription(id), cancellationToken), response);

    public static async Task<Ok<SubscriptionView>> EnableSubscription(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Webhooks.EnableSubscription(id), cancellationToken), response);

    public static async Task<Ok<Page<DeliveryFailureView>>> ListSubscriptionFailures(
        Guid id, [FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Webhooks.ListSubscriptionFailures(id, limit, cursor), cancellationToken));

    public static async Task<Ok<RedeliveryView>> Redeliver(Guid id, RedeliverRequest? body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Webhooks.Redeliver(id, body?.DeliveryIds), cancellationToken));

    private static Ok<SubscriptionView> Ok(SubscriptionView view, HttpResponse response) => EndpointConventions.OkWithETag(view, view.Version, response);
}

/// <summary>Which dead-lettered deliveries to send again.</summary>
/// <param name="DeliveryIds">Their ids (from the failures list); absent or empty for all of the subscription's.</param>
public sealed record RedeliverRequest(IReadOnlyList<Guid>? DeliveryIds);
