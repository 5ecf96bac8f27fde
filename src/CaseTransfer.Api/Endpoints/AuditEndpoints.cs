using System.Globalization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CsvHelper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>The audit trail between the organisations, and each person's disclosure log.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization();

        group.MapGet("/", GetAuditTrail)
            .WithName(nameof(GetAuditTrail))
            .WithSummary("Read the audit trail, filtered, oldest first, as JSON or CSV")
            .WithDescription($"Filters: crn, actor, organisation, operation, from, to (instants). Cursor paging: limit defaults to {Application.Auditing.GetAuditTrail.DefaultLimit}, at most {Application.Auditing.GetAuditTrail.MaxLimit}. format=csv (or Accept: text/csv) answers CSV. An organisation's auditor sees entries about cases it holds or held and its own staff's actions; the national NPS auditor sees all. Reading the trail is itself logged.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WritesProblems(400, 401, 403);

        app.MapGroup("/api/v1/cases").WithTags("Cases").RequireAuthorization()
            .MapGet("/{crn}/disclosure-log", GetDisclosureLog)
            .WithName(nameof(GetDisclosureLog))
            .WithSummary("Every consultation and disclosure of a person's data: who, which organisation, when, why (subject access)")
            .WritesProblems(400, 401, 403, 404);
    }

    public static async Task<Results<Ok<Page<AuditEntryView>>, FileContentHttpResult>> GetAuditTrail(
        [FromQuery] string? crn,
        [FromQuery] string? actor,
        [FromQuery] string? organisation,
        [FromQuery] AuditOperation? operation,
        [FromQuery] DateTimeOffset? from,
        [FromQuery] DateTimeOffset? to,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        [FromQuery] string? format,
        IMediator mediator,
        HttpRequest request,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var page = await mediator.Send(
            new GetAuditTrail(crn, actor, organisation, operation, from?.ToUniversalTime(), to?.ToUniversalTime(), limit, cursor), cancellationToken);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
        if (!csv)
        {
            return TypedResults.Ok(page);
        }

        // The next page's cursor travels in a header, since CSV has nowhere else to put it.
        if (page.NextCursor is not null)
        {
            response.Headers["Next-Cursor"] = page.NextCursor;
        }

        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csvWriter = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            await csvWriter.WriteRecordsAsync(page.Items, cancellationToken);
        }

        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv", "audit-trail.csv");
    }

    public static async Task<Ok<IReadOnlyList<DisclosureLogEntry>>> GetDisclosureLog(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetDisclosureLog(crn), cancellationToken));
}
