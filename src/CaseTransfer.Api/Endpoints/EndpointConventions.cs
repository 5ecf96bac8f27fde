using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

public static class EndpointConventions
{
    /// <summary>
    /// An action on a workflow resource (<c>POST .../{id}/{action}</c>): named, summarised, and documented with every
    /// problem an action can answer; one that gives a case to a practitioner documents its 409's capacity figures.
    /// </summary>
    public static RouteHandlerBuilder MapAction(
        this RouteGroupBuilder group, string action, Delegate handler, string name, string summary, string description, string resource, bool capacityFigures = false)
    {
        var endpoint = group.MapPost($"/{{id}}/{action}", handler)
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(description + $" Honours If-Match (the {resource}'s ETag) and Idempotency-Key.");
        int[] problems = [400, 401, 403, 404, 409, 412, 413, 422];
        return capacityFigures ? endpoint.WritesProblemsWithCapacityFigures(problems) : endpoint.WritesProblems(problems);
    }

    /// <summary>201 with the new resource at <paramref name="location"/>, its version as the ETag.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.Created<T> CreatedWithETag<T>(T resource, string location, long version, HttpResponse response)
    {
        response.Headers.ETag = Http.ETags.For(version);
        return TypedResults.Created(location, resource);
    }

    /// <summary>200 with the resource, its version as the ETag.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.Ok<T> OkWithETag<T>(T resource, long version, HttpResponse response)
    {
        response.Headers.ETag = Http.ETags.For(version);
        return TypedResults.Ok(resource);
    }

    /// <summary>Documents each error status the operation can answer, all as problem details.</summary>
    public static RouteHandlerBuilder WritesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            if (status == StatusCodes.Status400BadRequest)
            {
                builder.Produces<HttpValidationProblemDetails>(status, "application/problem+json");
            }
            else
            {
                builder.Produces<ProblemDetails>(status, "application/problem+json");
            }
        }

        return builder;
    }

    /// <summary>
    /// Documents a text answer (CSV) beside the JSON one of the same status, as a string (see
    /// <see cref="Hosting.TextResponses"/>).
    /// </summary>
    public static RouteHandlerBuilder ProducesText(this RouteHandlerBuilder builder, int status, string mediaType) =>
        builder.WithMetadata(new ProducesTextMetadata(status, mediaType));

    /// <summary>
    /// As <see cref="WritesProblems"/>, for an operation that gives a case to a practitioner: its 409 is documented as
    /// a <see cref="CapacityRuleProblemDetails"/>, whose workload figures come with the practitioner-over-capacity rule.
    /// </summary>
    public static RouteHandlerBuilder WritesProblemsWithCapacityFigures(this RouteHandlerBuilder builder, params int[] statuses)
    {
        builder.Produces<CapacityRuleProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json");
        return builder.WritesProblems([.. statuses.Where(s => s != StatusCodes.Status409Conflict)]);
    }
}

/// <summary>A text answer of an operation, beside its JSON one.</summary>
public sealed record ProducesTextMetadata(int Status, string MediaType);

/// <summary>
/// A 409 problem of an operation that gives a case to a practitioner. Its type names the rule that refused the change
/// (<c>/rules/{rule}</c>). When the rule is <c>practitioner-over-capacity</c> (the case would take the practitioner over
/// 100% of capacity and no acknowledgement came), the problem also carries the figures below: show them, and resend
/// with <c>capacityAcknowledgement</c> holding the <c>current</c> ones. For any other rule they are absent.
/// </summary>
public sealed class CapacityRuleProblemDetails : ProblemDetails
{
    /// <summary>The practitioner's caseload now, as a screen shows it (practitioner-over-capacity only).</summary>
    public CaseTransfer.Domain.Workload.Caseload? Current { get; init; }

    /// <summary>The practitioner's caseload with this case added (practitioner-over-capacity only).</summary>
    public CaseTransfer.Domain.Workload.Caseload? AfterAssignment { get; init; }

    /// <summary>The points this case weighs in the workload model (practitioner-over-capacity only).</summary>
    public int? CasePoints { get; init; }
}
