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
}
