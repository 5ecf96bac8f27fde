using CaseTransfer.Application.Allocations;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CaseTransfer.Api.Endpoints;

/// <summary>Allocation rules: the rulesets in force, and what they would decide for a case (with their working shown).</summary>
public static class AllocationRuleEndpoints
{
    public static void MapAllocationRuleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/allocations").WithTags("Allocation rules").RequireAuthorization();

        group.MapGet("/rulesets", GetAllocationRulesets)
            .WithName(nameof(GetAllocationRulesets))
            .WithSummary("The allocation rulesets, by version and content hash, and which is active")
            .WithDescription("Reference data: each ruleset file the service loaded (rules/allocation/{version}.yaml), its SHA-256 and its rules.")
            .WritesProblems(401, 403);

        group.MapPost("/preview", PreviewAllocation)
            .WithName(nameof(PreviewAllocation))
            .WithSummary("What the allocation rules would decide for a case, and its tier, without deciding anything")
            .WithDescription("No side effects beyond the consultation audit entry. Returns the outcome, the receiving organisation, every rule evaluated with the facts it read, whether the outcome is provisional (a missing fact), the tier with its points breakdown, and the ruleset version and hash. rulesetVersion defaults to the active ruleset.")
            .Accepts<PreviewAllocation>("application/json")
            .WritesProblems(400, 401, 403, 404, 413);

        group.MapPost("/consistency-check", CheckAllocationConsistency)
            .WithName(nameof(CheckAllocationConsistency))
            .WithSummary("Re-run stored allocation decisions under their own ruleset and another version; list what differs, and overrides")
            .WithDescription($"For NPS callers (allocator, auditor, admin, manager). Selects allocations by area (within the caller's regions) and proposal time (from inclusive, to exclusive), at most {Application.Allocations.CheckAllocationConsistency.MaxAllocations}. Each listed case shows the stored decision, the re-run under its own ruleset (by hash, from the ruleset store if its file has changed) and under againstVersion, the rules that fired each way and why they differ. Changes nothing; leaves a consultation entry.")
            .Accepts<CheckAllocationConsistency>("application/json")
            .WritesProblems(400, 401, 403, 404, 413);

        var cases = app.MapGroup("/api/v1/cases").WithTags("Allocation rules").RequireAuthorization();

        cases.MapGet("/{crn}/tiers", GetCaseTiers)
            .WithName(nameof(GetCaseTiers))
            .WithSummary("The tier history of a case, newest first, each with its points breakdown and ruleset")
            .WithDescription("The tier is recomputed with the active ruleset whenever a risk assessment is recorded; every computation is kept.")
            .WritesProblems(400, 401, 403, 404);
    }

    public static async Task<Ok<IReadOnlyList<RulesetView>>> GetAllocationRulesets(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetAllocationRulesets(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<CaseTierView>>> GetCaseTiers(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetCaseTiers(crn), cancellationToken));

    public static async Task<Ok<ConsistencyReport>> CheckAllocationConsistency(CheckAllocationConsistency body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(body, cancellationToken));

    public static async Task<Ok<AllocationPreview>> PreviewAllocation(PreviewAllocation body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(body, cancellationToken));
}
