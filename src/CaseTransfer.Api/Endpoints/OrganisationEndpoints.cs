using CaseTransfer.Api.Http;
using CaseTransfer.Application.Organisations;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>Reference data: the organisations, their areas and their practitioners.</summary>
public static class OrganisationEndpoints
{
    public static void MapOrganisationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/organisations").WithTags("Organisations").RequireAuthorization();

        group.MapGet("/", ListOrganisations)
            .WithName(nameof(ListOrganisations))
            .WithSummary("The NPS, its regions and the providers, with the areas each covers")
            .WritesProblems(401, 403);

        group.MapGet("/{code}/practitioners", ListPractitioners)
            .WithName(nameof(ListPractitioners))
            .WithSummary("The practitioners of an organisation with their workload (its own staff, or any for the NPS)")
            .WithDescription("Each with caseload count, workload points, available points and capacity percent (points over available points). "
                + "available=true lists only those under 100% of capacity, least loaded first.")
            .WritesProblems(400, 401, 403, 404);
    }

    public static async Task<Ok<IReadOnlyList<OrganisationView>>> ListOrganisations(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListOrganisations(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<PractitionerView>>> ListPractitioners(
        string code, [FromQuery] bool? available, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListPractitioners(code, available), cancellationToken));
}
