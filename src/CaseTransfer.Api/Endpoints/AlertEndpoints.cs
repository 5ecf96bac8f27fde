using CaseTransfer.Api.Http;
using CaseTransfer.Application.Alerts;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Alerts;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Alerts: what the caller's organisation must act on, raised and cleared by the service's alert job; a person
/// acknowledges (on it) or resolves (dealt with) one. Actions honour If-Match and Idempotency-Key.
/// </summary>
public static class AlertEndpoints
{
    public static void MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization();

        group.MapGet("/", ListAlerts)
            .WithName(nameof(ListAlerts))
            .WithSummary("What the caller's organisation must act on, oldest first")
            .WithDescription($"Only the caller's organisation's alerts. Filters: kind ({string.Join(", ", AlertKinds.All)}), crn, state (Open, Acknowledged, Resolved). An alert is raised by the service when its condition holds (the same condition never has two unresolved alerts) and resolved by it (clearedBySystem) when the condition clears. Cursor paging: limit defaults to {Application.Alerts.ListAlerts.DefaultLimit}, at most {Application.Alerts.ListAlerts.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        group.MapGet("/{id}", GetAlert)
            .WithName(nameof(GetAlert))
            .WithSummary("One alert: its case, kind, why, since when, the deadline it concerns, and who must act")
            .WithDescription("Seen by the organisation that must act on it; anyone else gets 404. The ETag is the alert's version.")
            .WritesProblems(400, 401, 403, 404);

        group.MapAction("acknowledge", AcknowledgeAlert, nameof(AcknowledgeAlert),
            "Someone of the organisation has the alert in hand",
            "An alert raised to managers (audience Managers) is acknowledged by a manager (403 otherwise). 409 alert-already-acknowledged, or alert-resolved once resolved.",
            "alert");
        group.MapAction("resolve", ResolveAlert, nameof(ResolveAlert),
            "The organisation has dealt with the alert",
            "From Open or Acknowledged; 409 alert-resolved once resolved. The job does not raise the same occurrence again (same kind, subject, organisation, audience and since); should the condition arise anew, a new alert is raised.",
            "alert");
    }

    public static async Task<Ok<Page<AlertView>>> ListAlerts(
        [FromQuery] string? kind,
        [FromQuery] string? crn,
        [FromQuery] AlertState? state,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Alerts.ListAlerts(kind, crn, state, limit, cursor), cancellationToken));

    public static async Task<Ok<AlertView>> GetAlert(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Alerts.GetAlert(id), cancellationToken), response);

    public static async Task<Ok<AlertView>> AcknowledgeAlert(
        Guid id, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Alerts.AcknowledgeAlert(id, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<AlertView>> ResolveAlert(
        Guid id, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Alerts.ResolveAlert(id, ETags.IfMatch(request)), cancellationToken), response);

    private static Ok<AlertView> Ok(AlertView view, HttpResponse response) => EndpointConventions.OkWithETag(view, view.Version, response);
}
