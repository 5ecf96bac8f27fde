using System.Globalization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CsvHelper;
using CsvHelper.Configuration;
using CsvHelper.TypeConversion;
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
            .ProducesText(StatusCodes.Status200OK, "text/csv")
            .WritesProblems(400, 401, 403);

        group.MapGet("/checkpoints", GetCheckpoints)
            .WithName(nameof(GetCheckpoints))
            .WithSummary("Signed checkpoints of the audit log, newest first (C2SP tlog-checkpoint signed notes)")
            .WithDescription($"Each organisation should fetch and keep its own copies: a kept checkpoint proves, through a consistency proof, that later history extends it. limit defaults to {Application.Auditing.GetCheckpoints.DefaultLimit}, at most {Application.Auditing.GetCheckpoints.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        group.MapGet("/public-key", GetLedgerPublicKey)
            .WithName(nameof(GetLedgerPublicKey))
            .WithSummary("The audit log's verifier key (C2SP signed-note, Ed25519) for checking checkpoints and receipts offline")
            .WritesProblems(401, 403);

        group.MapGet("/entries/{index:long}/proof", GetInclusionProof)
            .WithName(nameof(GetInclusionProof))
            .WithSummary("The RFC 9162 inclusion proof of a leaf, at a tree size (default: the latest checkpoint)")
            .WritesProblems(400, 401, 403, 404);

        group.MapGet("/consistency", GetConsistencyProof)
            .WithName(nameof(GetConsistencyProof))
            .WithSummary("The RFC 9162 consistency proof that the tree of 'to' leaves extends the tree of 'from' leaves")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/verify", VerifyLedger)
            .WithName(nameof(VerifyLedger))
            .WithSummary("Recompute the log from the stored entries and check it against every signed checkpoint")
            .WithDescription("Send the checkpoints your organisation kept (signed notes) to have them checked too. Answers intact (no problems) with the root, or every entry whose content no longer matches, every missing or extra leaf, every entry logged long after the instant it claims (late-entry), and every checkpoint that is contradicted (checkpoint-mismatch), cannot be read as a signed checkpoint (malformed-checkpoint) or does not verify with the log's key (bad-checkpoint). Entries integrated late because the service stopped without integrating them, which a recovery recorded in the log at the next start explains, are listed under notes (recovered-late) and leave intact true.")
            .WritesProblems(400, 401, 403, 413);

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
        await using (var csvWriter = new CsvWriter(writer, AuditCsv.Configuration))
        {
            AuditCsv.UseUtcInstants(csvWriter);
            await csvWriter.WriteRecordsAsync(page.Items, cancellationToken);
        }

        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv", "audit-trail.csv");
    }

    public static async Task<Ok<IReadOnlyList<CheckpointView>>> GetCheckpoints([FromQuery] int? limit, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetCheckpoints(limit), cancellationToken));

    public static async Task<Ok<LedgerPublicKey>> GetLedgerPublicKey(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetLedgerPublicKey(), cancellationToken));

    public static async Task<Ok<InclusionProofView>> GetInclusionProof(long index, [FromQuery] long? treeSize, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetInclusionProof(index, treeSize), cancellationToken));

    public static async Task<Ok<ConsistencyProofView>> GetConsistencyProof([FromQuery] long from, [FromQuery] long to, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetConsistencyProof(from, to), cancellationToken));

    public static async Task<Ok<LedgerVerification>> VerifyLedger(VerifyLedgerRequest? body, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new VerifyLedger(body?.KeptCheckpoints), cancellationToken));

    public static async Task<Ok<IReadOnlyList<DisclosureLogEntry>>> GetDisclosureLog(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetDisclosureLog(crn), cancellationToken));
}

/// <summary>
/// How the trail is written for a spreadsheet. Instants are ISO 8601 UTC, as in JSON: the invariant culture's
/// <c>12/07/2026 14:35:48 +00:00</c> reads as the 12th of July in England. Text that a spreadsheet would take for a
/// formula (a justification, or a name from an identity provider, starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>,
/// a tab or a carriage return) is neutralised by CsvHelper's own injection escaping: a leading apostrophe, quoted.
/// </summary>
internal static class AuditCsv
{
    public static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
    };

    public static void UseUtcInstants(CsvWriter csv)
    {
        csv.Context.TypeConverterCache.AddConverter<DateTimeOffset>(new UtcInstantConverter());
        csv.Context.TypeConverterCache.AddConverter<DateTimeOffset?>(new UtcInstantConverter());
    }

    private sealed class UtcInstantConverter : DefaultTypeConverter
    {
        public override string? ConvertToString(object? value, IWriterRow row, MemberMapData memberMapData) =>
            value is DateTimeOffset instant ? AppJson.FormatInstant(instant) : "";
    }
}

/// <summary>Optionally, the signed checkpoints your organisation kept, to be checked against the log as it is now.</summary>
public sealed record VerifyLedgerRequest(IReadOnlyList<string>? KeptCheckpoints);
