using CaseTransfer.Application.Common;
using CaseTransfer.Application.Transfers;
using CaseTransfer.Domain.Transfers;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>Bulk transfers: whole caseloads moved between organisations at an effective instant, with a report.</summary>
public static class TransferEndpoints
{
    public static void MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/transfers").WithTags("Transfers").RequireAuthorization();

        group.MapPost("/", ScheduleTransfer)
            .WithName(nameof(ScheduleTransfer))
            .WithSummary("Move every case held by one organisation (optionally in one area) to another at an effective instant")
            .WithDescription($"Answers 202 with the job, every case to move already listed; a background worker starts it once effectiveAt has come (effectiveAt may be at most {TransferJob.ClockSkewTolerance.TotalMinutes:0} minutes in the past). Each moved case gets its own audit entry (a disclosure to the new holder) and a case-transfer.case.holder-changed event. Admin or manager of the national NPS only. Accepts Idempotency-Key.")
            .Accepts<ScheduleTransfer>("application/json")
            .WritesProblems(400, 401, 403, 409, 413, 422);

        group.MapGet("/{id}", GetTransferJob)
            .WithName(nameof(GetTransferJob))
            .WithSummary("A bulk transfer's state, counts, timings and report")
            .WithDescription($"The report counts skipped cases by reason and lists the first {TransferReport.SkippedListed}; every case, moved or skipped, is in the items. Admin or manager of the national NPS only.")
            .WritesProblems(400, 401, 403, 404);

        group.MapGet("/{id}/items", ListTransferItems)
            .WithName(nameof(ListTransferItems))
            .WithSummary("The cases of a bulk transfer and what happened to each, in the job's order")
            .WithDescription($"Filter by outcome (Pending, Moved, Skipped). Cursor paging: limit defaults to {Application.Transfers.ListTransferItems.DefaultLimit}, at most {Application.Transfers.ListTransferItems.MaxLimit}.")
            .WritesProblems(400, 401, 403, 404);
    }

    public static async Task<Accepted<TransferJobView>> ScheduleTransfer(
        ScheduleTransfer body, IMediator mediator, TransferWorkSignal worker, CancellationToken cancellationToken)
    {
        var job = await mediator.Send(body, cancellationToken);
        worker.Wake();
        return TypedResults.Accepted(job.Links.Self, job);
    }

    public static async Task<Ok<TransferJobView>> GetTransferJob(Guid id, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetTransferJob(id), cancellationToken));

    public static async Task<Ok<Page<TransferItemView>>> ListTransferItems(
        Guid id, [FromQuery] TransferItemOutcome? outcome, [FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListTransferItems(id, outcome, limit, cursor), cancellationToken));
}
