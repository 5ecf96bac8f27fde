using CaseTransfer.Api.Http;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Disputes;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Disputes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Disputes between the NPS and a provider about an allocation rejection or an escalation: raised with grounds, Local
/// (team managers) then Senior (heads of service), resolved with an outcome and, where it changes, the case's new
/// holder. Every action honours If-Match and Idempotency-Key.
/// </summary>
public static class DisputeEndpoints
{
    public static void MapDisputeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/disputes").WithTags("Disputes").RequireAuthorization();

        group.MapPost("/", RaiseDispute)
            .WithName(nameof(RaiseDispute))
            .WithSummary("A party disputes an allocation rejection, an escalation decline, or (the NPS) an escalation it considers unfounded")
            .WithDescription("subjectKind AllocationRejection needs a Rejected allocation (409 allocation-not-rejected), EscalationDecline a Declined escalation (409 escalation-not-declined), UnfoundedEscalation an Accepted escalation (409 escalation-not-accepted) and the NPS side (409 unfounded-escalation-disputed-by-nps). The caller's organisation must be a party (404 otherwise). The grounds are the first statement. The Local stage begins, due by the end of Disputes:LocalStageWorkingDays working days (stageDueBy). One open dispute per subject (409 dispute-already-open). A team manager or head of service only. Accepts Idempotency-Key.")
            .Accepts<Application.Disputes.RaiseDispute>("application/json")
            .WritesProblems(400, 401, 403, 404, 409, 413, 422);

        group.MapGet("/", ListDisputes)
            .WithName(nameof(ListDisputes))
            .WithSummary("The disputes the caller's organisation is a party to, oldest first; overdue=true lists those past their current stage's limit")
            .WithDescription($"Filters: stage, crn, overdue. Cursor paging: limit defaults to {Application.Disputes.ListDisputes.DefaultLimit}, at most {Application.Disputes.ListDisputes.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        group.MapGet("/{id}", GetDispute)
            .WithName(nameof(GetDispute))
            .WithSummary("One dispute: subject, parties, stage with its deadline and how it was reached, every statement in order, every stage change, outcome")
            .WithDescription("Seen by the two parties; anyone else gets 404. stageDueBy is the current stage's limit and stageReachedBy says whether it was reached by Request or by Lapse; overdue is true past the limit (a Senior stage stays Senior). The ETag is the dispute's version.")
            .WritesProblems(400, 401, 403, 404);

        MapAction(group, "statements", AddDisputeStatement, nameof(AddDisputeStatement),
            "A party adds a statement: kept after every earlier one, with its author and instant",
            "Statements are append-only. 409 dispute-resolved once resolved.");
        MapAction(group, "move-up", MoveDisputeUp, nameof(MoveDisputeUp),
            "A manager of either party takes the dispute up to the heads of service before the Local stage's limit",
            "The Senior stage begins, due by the end of Disputes:SeniorStageWorkingDays working days. 409 dispute-already-senior, dispute-resolved.");
        MapAction(group, "resolve", ResolveDispute, nameof(ResolveDispute),
            "Ends the dispute with an outcome and, where it changes, the case's new holder",
            "Outcome Upheld, NotUpheld or Agreed (text required). At the Senior stage only a head of service (409 senior-stage-needs-head-of-service). With newHolder (a party that does not hold the case: 409 new-holder-not-a-party, already-holder) and responsibleOfficerId, in one transaction the case moves through the same holder change and workload gate as an allocation's acceptance (409 practitioner-over-capacity with the figures; resend with capacityAcknowledgement), 409 case-moved when the case left the other party. Two resolutions at once: exactly one succeeds, the other is a 409 or 412.",
            capacityFigures: true);
    }

    private static void MapAction(RouteGroupBuilder group, string action, Delegate handler, string name, string summary, string description, bool capacityFigures = false) =>
        group.MapAction(action, handler, name, summary, description, "dispute", capacityFigures);

    public static async Task<Created<DisputeView>> RaiseDispute(
        Application.Disputes.RaiseDispute body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        return EndpointConventions.CreatedWithETag(result, result.Links.Self, result.Version, response);
    }

    public static async Task<Ok<Page<DisputeView>>> ListDisputes(
        [FromQuery] DisputeStage? stage,
        [FromQuery] string? crn,
        [FromQuery] bool? overdue,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Disputes.ListDisputes(stage, crn, overdue, limit, cursor), cancellationToken));

    public static async Task<Ok<DisputeView>> GetDispute(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Disputes.GetDispute(id), cancellationToken), response);

    public static async Task<Ok<DisputeView>> AddDisputeStatement(
        Guid id, DisputeStatementRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Disputes.AddDisputeStatement(id, body.Text, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<DisputeView>> MoveDisputeUp(
        Guid id, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Disputes.MoveDisputeUp(id, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<DisputeView>> ResolveDispute(
        Guid id, ResolveDisputeRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(
            new Application.Disputes.ResolveDispute(id, body.Outcome, body.Text, body.NewHolder, body.ResponsibleOfficerId, body.CapacityAcknowledgement, ETags.IfMatch(request)),
            cancellationToken), response);

    private static Ok<DisputeView> Ok(DisputeView view, HttpResponse response) => EndpointConventions.OkWithETag(view, view.Version, response);
}

/// <summary>A statement of one party, in words.</summary>
public sealed record DisputeStatementRequest(string? Text);

/// <summary>How the dispute ends, and who holds the case after it when that changes.</summary>
/// <param name="Outcome">Upheld, NotUpheld, or Agreed (with a text saying what).</param>
/// <param name="Text">What was decided or agreed; required for Agreed.</param>
/// <param name="NewHolder">Only when the case is to change hands: the party (organisation code) that will hold it.</param>
/// <param name="ResponsibleOfficerId">With newHolder: a practitioner of that organisation.</param>
/// <param name="CapacityAcknowledgement">
/// Needed only when the case takes the practitioner over 100% of capacity: the figures shown (a 409
/// practitioner-over-capacity answer carries them as <c>current</c>).
/// </param>
public sealed record ResolveDisputeRequest(
    DisputeOutcome? Outcome, string? Text, string? NewHolder, Guid? ResponsibleOfficerId, CapacityAcknowledgement? CapacityAcknowledgement);
