using CaseTransfer.Api.Http;
using CaseTransfer.Application;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>Case records: open, read the whole picture, search, record risk, name the responsible officer.</summary>
public static class CaseEndpoints
{
    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/cases").WithTags("Cases").RequireAuthorization();

        group.MapPost("/", CreateCase)
            .WithName(nameof(CreateCase))
            .WithSummary("Open or import a case")
            .WithDescription("Opens a case held by the NPS region that covers its area. Accepts Idempotency-Key.")
            .Accepts<CreateCase>("application/json")
            .WritesProblems(400, 401, 403, 409, 413, 422);

        group.MapGet("/", SearchCases)
            .WithName(nameof(SearchCases))
            .WithSummary("Search cases by CRN, PNC ID, NOMS number, date of birth or a forgiving name")
            .WithDescription($"Ranked best first with a score, among the cases the caller may see. limit defaults to {Application.Cases.SearchCases.DefaultLimit}, at most {Application.Cases.SearchCases.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        group.MapGet("/{crn}", GetCase)
            .WithName(nameof(GetCase))
            .WithSummary("The whole picture of a case in one request")
            .WithDescription("Holder, responsible officer, current risk, key dates (including the next release date) and anything pending. The ETag is the case version.")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/{crn}/risk-assessments", RecordRiskAssessment)
            .WithName(nameof(RecordRiskAssessment))
            .WithSummary("Record a new risk assessment")
            .WithDescription("Adds to the case's risk history; the newest assessment is the current risk. Honours If-Match and Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 412, 413, 422);

        group.MapGet("/{crn}/risk-assessments", GetRiskAssessments)
            .WithName(nameof(GetRiskAssessments))
            .WithSummary("The risk assessment history of a case, newest first")
            .WritesProblems(400, 401, 403, 404);

        group.MapGet("/{crn}/holders", GetCaseHolders)
            .WithName(nameof(GetCaseHolders))
            .WithSummary("Every organisation and responsible officer that has held the case")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/{crn}/responsible-officer", AssignResponsibleOfficer)
            .WithName(nameof(AssignResponsibleOfficer))
            .WithSummary("Name the responsible officer within the holding organisation")
            .WithDescription("Honours If-Match and Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 412, 413, 422);
    }

    public static async Task<Created<CaseChanged>> CreateCase(CreateCase body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        response.Headers.ETag = ETags.For(result.Version);
        return TypedResults.Created($"/api/v1/cases/{result.Crn}", result);
    }

    public static async Task<Ok<Page<CaseSearchResult>>> SearchCases(
        [FromQuery] string? q, [FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new SearchCases(q, limit, cursor), cancellationToken));

    public static async Task<Ok<CaseSummary>> GetCase(string crn, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var summary = await mediator.Send(new GetCaseSummary(crn), cancellationToken);
        response.Headers.ETag = ETags.For(summary.Version);
        return TypedResults.Ok(summary);
    }

    public static async Task<Created<RiskAssessmentView>> RecordRiskAssessment(
        string crn, RiskAssessmentInput body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RecordRiskAssessment(crn, body, ETags.IfMatch(request)), cancellationToken);
        response.Headers.ETag = ETags.For(result.CaseVersion);
        return TypedResults.Created($"/api/v1/cases/{crn}/risk-assessments", result);
    }

    public static async Task<Ok<IReadOnlyList<RiskAssessmentView>>> GetRiskAssessments(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetRiskAssessments(crn), cancellationToken));

    public static async Task<Ok<IReadOnlyList<HoldingView>>> GetCaseHolders(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetCaseHolders(crn), cancellationToken));

    public static async Task<Ok<CaseChanged>> AssignResponsibleOfficer(
        string crn, ResponsibleOfficerRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new AssignResponsibleOfficer(crn, body.PractitionerId, ETags.IfMatch(request)), cancellationToken);
        response.Headers.ETag = ETags.For(result.Version);
        return TypedResults.Ok(result);
    }
}

public sealed record ResponsibleOfficerRequest(Guid? PractitionerId);
