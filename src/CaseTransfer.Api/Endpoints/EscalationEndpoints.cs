using CaseTransfer.Api.Http;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Escalations;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Escalations;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Risk escalation: a provider asks the NPS region covering a case it holds to take it; the region acknowledges (an
/// emergency within clock hours), then accepts (the case moves) or declines; the provider may withdraw before a
/// decision. Every action honours If-Match and Idempotency-Key.
/// </summary>
public static class EscalationEndpoints
{
    public static void MapEscalationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/escalations").WithTags("Escalations").RequireAuthorization();

        group.MapPost("/", RequestEscalation)
            .WithName(nameof(RequestEscalation))
            .WithSummary("A provider escalates a case it holds to the NPS region covering it")
            .WithDescription("A coded reason (Other needs reasonText), the urgency, the risk assessment it rests on (riskAssessmentId of one already recorded, or riskAssessment to record one with the request), the triggering events, and optional references to supporting documents (opaque: checked for shape only). An Emergency must be acknowledged within Escalation:EmergencyAcknowledgeHours clock hours (acknowledgeBy); a Standard one decided within Escalation:StandardDecisionWorkingDays working days (decideBy). One open escalation per case (409 escalation-already-open). Only a provider's case manager may request (403 for the NPS). Accepts Idempotency-Key.")
            .Accepts<Application.Escalations.RequestEscalation>("application/json")
            .WritesProblems(400, 401, 403, 404, 409, 413, 422);

        group.MapGet("/", ListEscalations)
            .WithName(nameof(ListEscalations))
            .WithSummary("The escalations the caller sees, oldest first; overdue=true lists those past the deadline that applies now")
            .WithDescription($"A provider sees those it requested; an NPS region those sent to it (the NPS those sent to its regions). Filters: state, crn, overdue (an emergency not acknowledged by acknowledgeBy, a standard one not decided by decideBy). Cursor paging: limit defaults to {Application.Escalations.ListEscalations.DefaultLimit}, at most {Application.Escalations.ListEscalations.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        group.MapGet("/{id}", GetEscalation)
            .WithName(nameof(GetEscalation))
            .WithSummary("One escalation: the case, the request and the risk assessment it rests on, its deadlines in UTC and London time, and its outcome")
            .WithDescription("Seen by the provider that requested it and the NPS region deciding it; anyone else gets 404. The ETag is the escalation's version.")
            .WritesProblems(400, 401, 403, 404);

        MapAction(group, "acknowledge", AcknowledgeEscalation, nameof(AcknowledgeEscalation),
            "The NPS region has the escalation in hand; an emergency's clock stops",
            "An escalation decider of the NPS region covering the case (403 for the provider). 409 escalation-already-acknowledged, or escalation-{accepted,declined,withdrawn} once closed.");
        MapAction(group, "accept", AcceptEscalation, nameof(AcceptEscalation),
            "The NPS region takes the case and names its responsible officer; the case moves to the region",
            "In one transaction: the provider's holding closes and the region's opens at the same instant, the officer is named through the same workload gate as an allocation's acceptance (409 practitioner-over-capacity with the figures; resend with capacityAcknowledgement holding the figures shown), and the provider may still read the case summary and history for Escalation:HandoverDays (handoverUntil). Needs an acknowledgement first (409 escalation-not-acknowledged); 409 case-moved when the case has left the provider. Other and ProfessionalJudgement need a text. Two decisions at once: exactly one succeeds, the other is a 409 or 412.",
            capacityFigures: true);
        MapAction(group, "decline", DeclineEscalation, nameof(DeclineEscalation),
            "The NPS region leaves the case with the provider, with a coded reason",
            "Needs an acknowledgement first (409 escalation-not-acknowledged). A reason of Other needs a text.");
        MapAction(group, "withdraw", WithdrawEscalation, nameof(WithdrawEscalation),
            "The provider withdraws its escalation before a decision",
            "The provider that requested it (403 for the NPS region); 409 escalation-accepted or escalation-declined once decided.");
    }

    private static void MapAction(RouteGroupBuilder group, string action, Delegate handler, string name, string summary, string description, bool capacityFigures = false) =>
        group.MapAction(action, handler, name, summary, description, "escalation", capacityFigures);

    public static async Task<Created<EscalationView>> RequestEscalation(
        Application.Escalations.RequestEscalation body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        return EndpointConventions.CreatedWithETag(result, result.Links.Self, result.Version, response);
    }

    public static async Task<Ok<Page<EscalationView>>> ListEscalations(
        [FromQuery] EscalationState? state,
        [FromQuery] string? crn,
        [FromQuery] bool? overdue,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Escalations.ListEscalations(state, crn, overdue, limit, cursor), cancellationToken));

    public static async Task<Ok<EscalationView>> GetEscalation(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Escalations.GetEscalation(id), cancellationToken), response);

    public static async Task<Ok<EscalationView>> AcknowledgeEscalation(
        Guid id, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Escalations.AcknowledgeEscalation(id, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<EscalationView>> AcceptEscalation(
        Guid id, AcceptEscalationRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(
            new Application.Escalations.AcceptEscalation(id, body.Reason, body.Text, body.ResponsibleOfficerId, body.CapacityAcknowledgement, ETags.IfMatch(request)),
            cancellationToken), response);

    public static async Task<Ok<EscalationView>> DeclineEscalation(
        Guid id, DeclineEscalationRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Escalations.DeclineEscalation(id, body.Reason, body.Text, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<EscalationView>> WithdrawEscalation(
        Guid id, EscalationTextRequest? body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Escalations.WithdrawEscalation(id, body?.Text, ETags.IfMatch(request)), cancellationToken), response);

    private static Ok<EscalationView> Ok(EscalationView view, HttpResponse response) => EndpointConventions.OkWithETag(view, view.Version, response);
}

/// <summary>The NPS region's acceptance: why, who will hold the case, and the workload figures acknowledged when that takes them over capacity.</summary>
/// <param name="Reason">Why the NPS region takes the case.</param>
/// <param name="Text">Required for Other and ProfessionalJudgement.</param>
/// <param name="ResponsibleOfficerId">A practitioner of the NPS region covering the case.</param>
/// <param name="CapacityAcknowledgement">
/// Needed only when the case takes the practitioner over 100% of capacity: the figures shown (a 409
/// practitioner-over-capacity answer carries them as <c>current</c>).
/// </param>
public sealed record AcceptEscalationRequest(
    EscalationAcceptanceReason? Reason, string? Text, Guid? ResponsibleOfficerId, CapacityAcknowledgement? CapacityAcknowledgement);

/// <summary>The NPS region's decline: a coded reason, and a text (required for Other).</summary>
public sealed record DeclineEscalationRequest(EscalationDeclineReason? Reason, string? Text);

/// <summary>Words that go with withdrawing an escalation.</summary>
public sealed record EscalationTextRequest(string? Text);
