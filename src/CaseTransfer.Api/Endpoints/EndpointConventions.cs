using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

public static class EndpointConventions
{
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
