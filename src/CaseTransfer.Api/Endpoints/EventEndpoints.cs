using CaseTransfer.Api.Http;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Events;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>The events feed: the stream webhooks deliver, for partners who poll instead of receiving them.</summary>
public static class EventEndpoints
{
    public static void MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/events").WithTags("Events").RequireAuthorization();

        group.MapGet("/", ReadEvents)
            .WithName(nameof(ReadEvents))
            .WithSummary("The events the caller's organisation may hear of, oldest first, resumable from any event: the stream webhooks deliver, for partners who poll")
            .WithDescription($"An organisation hears of an event when it saw the event's case at the moment of the event (it held the case, a live share or a grant reached it) or the event concerns it, or an organisation below it; an event about no case reaches everyone. Each item is the webhook envelope with detailUrl absolute (under Api:PublicBaseUrl when set), its id (the webhook-id of its deliveries) and cursor. after= resumes after the event it names (400 naming after when it names none); nextCursor is where to poll from next, also when the page is empty (null only when nothing was ever read). Filter: eventType. limit defaults to {Application.Events.ReadEvents.DefaultLimit}, at most {Application.Events.ReadEvents.MaxLimit}. No gaps: an event whose transaction commits after later events were served still sorts after them, so a reader that moved on still reads it.")
            .WritesProblems(400, 401, 403);
    }

    public static async Task<Ok<Page<FeedEvent>>> ReadEvents(
        [FromQuery] string? after,
        [FromQuery] int? limit,
        [FromQuery] string? eventType,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Events.ReadEvents(after, limit, eventType), cancellationToken));
}
