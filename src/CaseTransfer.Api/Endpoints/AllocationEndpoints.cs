using CaseTransfer.Api.Http;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Allocations;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// The allocation workflow: the NPS proposes a case to a provider, an override waits for a second manager, the
/// provider accepts (the case moves) or rejects, the NPS may withdraw. Every action honours If-Match and Idempotency-Key.
/// </summary>
public static class AllocationEndpoints
{
    public static void MapAllocationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/allocations").WithTags("Allocations").RequireAuthorization();

        group.MapPost("/", ProposeAllocation)
            .WithName(nameof(ProposeAllocation))
            .WithSummary("Propose allocation of a case the NPS holds to a provider")
            .WithDescription("The rules decide first and their decision is stored with the allocation. A proposal against the rules' outcome, or on a provisional one, is an override: it needs a justification (409 override-needs-justification) and waits for a second NPS manager's approval before the provider sees it. One open allocation per case (409 allocation-already-open). Only the NPS may propose (403 for anyone else). Accepts Idempotency-Key.")
            .Accepts<Application.Allocations.ProposeAllocation>("application/json")
            .WritesProblems(400, 401, 403, 404, 409, 413, 422);

        group.MapGet("/", ListAllocations)
            .WithName(nameof(ListAllocations))
            .WithSummary("The allocations the caller sees, oldest first; overdue=true lists those past the provider's deadline")
            .WithDescription($"The NPS sees those it (or an organisation below it) proposed; a provider those sent to it. Filters: state, crn, overdue. Cursor paging: limit defaults to {Application.Allocations.ListAllocations.DefaultLimit}, at most {Application.Allocations.ListAllocations.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        group.MapGet("/{id}", GetAllocation)
            .WithName(nameof(GetAllocation))
            .WithSummary("One allocation: the case, the rules' decision with its working, the override and approval, the deadline and the outcome")
            .WithDescription("The ETag is the allocation's version.")
            .WritesProblems(400, 401, 403, 404);

        MapAction(group, "approve", ApproveAllocation, nameof(ApproveAllocation),
            "A second NPS manager approves an override; it is sent to the provider",
            "Needs the manager role; the proposer cannot approve (409 approver-is-proposer).");
        MapAction(group, "refuse", RefuseAllocation, nameof(RefuseAllocation),
            "A second NPS manager refuses an override, saying why; it is never sent",
            "Needs the manager role; the proposer cannot refuse (409 approver-is-proposer) but may withdraw.");
        MapAction(group, "accept", AcceptAllocation, nameof(AcceptAllocation),
            "The provider accepts and names the responsible officer; the case moves to the provider",
            "409 case-moved when the case has left the organisation that proposed it. When the case would take the officer over 100% of capacity the answer is 409 practitioner-over-capacity with the figures; resend with capacityAcknowledgement holding the figures shown. Two decisions at once: exactly one succeeds, the other is a 409 or 412.",
            capacityFigures: true);
        MapAction(group, "reject", RejectAllocation, nameof(RejectAllocation),
            "The provider rejects with a coded reason; the case stays with the NPS",
            "A reason of Other needs a text.");
        MapAction(group, "withdraw", WithdrawAllocation, nameof(WithdrawAllocation),
            "The NPS withdraws its proposal before the provider decides",
            "The proposing NPS organisation or the NPS above it.");
    }

    private static void MapAction(RouteGroupBuilder group, string action, Delegate handler, string name, string summary, string description, bool capacityFigures = false) =>
        group.MapAction(action, handler, name, summary, description, "allocation", capacityFigures);

    public static async Task<Created<AllocationView>> ProposeAllocation(
        Application.Allocations.ProposeAllocation body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        return EndpointConventions.CreatedWithETag(result, result.Links.Self, result.Version, response);
    }

    public static async Task<Ok<Page<AllocationView>>> ListAllocations(
        [FromQuery] AllocationState? state,
        [FromQuery] string? crn,
        [FromQuery] bool? overdue,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        IMediator mediator,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Allocations.ListAllocations(state, crn, overdue, limit, cursor), cancellationToken));

    public static async Task<Ok<AllocationView>> GetAllocation(Guid id, IMediator mediator, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Allocations.GetAllocation(id), cancellationToken), response);

    public static async Task<Ok<AllocationView>> ApproveAllocation(
        Guid id, AllocationTextRequest? body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Allocations.ApproveAllocation(id, body?.Text, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<AllocationView>> RefuseAllocation(
        Guid id, AllocationTextRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Allocations.RefuseAllocation(id, body.Text, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<AllocationView>> AcceptAllocation(
        Guid id, AcceptAllocationRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(
            new Application.Allocations.AcceptAllocation(id, body.ResponsibleOfficerId, body.CapacityAcknowledgement, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<AllocationView>> RejectAllocation(
        Guid id, RejectAllocationRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Allocations.RejectAllocation(id, body.Reason, body.Text, ETags.IfMatch(request)), cancellationToken), response);

    public static async Task<Ok<AllocationView>> WithdrawAllocation(
        Guid id, AllocationTextRequest? body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        Ok(await mediator.Send(new Application.Allocations.WithdrawAllocation(id, body?.Text, ETags.IfMatch(request)), cancellationToken), response);

    private static Ok<AllocationView> Ok(AllocationView view, HttpResponse response) => EndpointConventions.OkWithETag(view, view.Version, response);
}

/// <summary>The provider's acceptance: who will hold the case, and the workload figures acknowledged when that takes them over capacity.</summary>
public sealed record AcceptAllocationRequest(Guid? ResponsibleOfficerId, CapacityAcknowledgement? CapacityAcknowledgement);

/// <summary>The provider's rejection: a coded reason, and a text (required for Other).</summary>
public sealed record RejectAllocationRequest(AllocationRejectionReason? Reason, string? Text);

/// <summary>Words that go with an action: why an override is approved or refused, why a proposal is withdrawn.</summary>
public sealed record AllocationTextRequest(string? Text);
