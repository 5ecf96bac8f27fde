using System.Globalization;
using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Transfers;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Transfers;

/// <summary>A bulk transfer's progress and, once it has run, its report: how many moved, and every skipped case with why.</summary>
[Authorise(Roles.Admin, Roles.Manager)]
public sealed record GetTransferJob(Guid Id) : IQuery<TransferJobView>, IConsultation
{
    public AuditFacts Consulted(object result)
    {
        var view = (TransferJobView)result;
        return new(AuditOperation.Consultation, nameof(GetTransferJob), null, TransferJobView.AuditResourceType, Id.ToString(), view.Version,
            $"transfer job report; {view.Report.Skipped.Count} skipped cases listed");
    }
}

/// <summary>The cases of a bulk transfer, in the job's order, optionally of one outcome, in pages.</summary>
[Authorise(Roles.Admin, Roles.Manager)]
public sealed record ListTransferItems(Guid Id, TransferItemOutcome? Outcome, int? Limit, string? Cursor) : IQuery<Page<TransferItemView>>, IConsultation
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public AuditFacts Consulted(object result) =>
        new(AuditOperation.Consultation, nameof(ListTransferItems), null, TransferJobView.AuditResourceType, Id.ToString(), null,
            $"{((Page<TransferItemView>)result).Items.Count} transfer items; outcome={Outcome?.ToString() ?? "any"}");
}

public sealed record TransferCounts(int Total, int Moved, int Skipped, int Pending);

public sealed record TransferTimings(DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, double? ElapsedSeconds);

public sealed record TransferRequester(string UserId, string Name, string Organisation);

public sealed record TransferItemView(int Sequence, string Crn, TransferItemOutcome Outcome, string? SkipReason, DateTimeOffset? ProcessedAt);

public sealed record SkipReasonCount(string Reason, int Count);

/// <summary>
/// Skipped cases are the exceptions someone must act on, so the report lists them (the first
/// <see cref="TransferReport.SkippedListed"/>; the rest through the items link) with a count per reason.
/// </summary>
public sealed record TransferReport(IReadOnlyList<SkipReasonCount> SkippedByReason, IReadOnlyList<TransferItemView> Skipped)
{
    public const int SkippedListed = 100;

    public static readonly TransferReport Empty = new([], []);
}

public sealed record TransferLinks(string Self, string Items, string Moved, string Skipped);

public sealed record TransferJobView(
    Guid Id,
    string FromOrganisation,
    string ToOrganisation,
    string? AreaCode,
    DateTimeOffset EffectiveAt,
    string Reason,
    TransferJobState State,
    TransferCounts Counts,
    TransferTimings Timings,
    TransferRequester RequestedBy,
    string? Failure,
    TransferReport Report,
    long Version,
    TransferLinks Links) : IAuditedResult
{
    public const string AuditResourceType = "transfer-job";

    [JsonIgnore]
    public string ResourceType => AuditResourceType;

    [JsonIgnore]
    public string ResourceId => Id.ToString();

    [JsonIgnore]
    public long? ResourceVersion => Version;

    [JsonIgnore]
    public string? ChangeSummary =>
        $"bulk transfer scheduled; from: {FromOrganisation}; to: {ToOrganisation}; area: {AreaCode ?? "all"}; cases: {Counts.Total}";

    public static TransferJobView From(TransferJob job, TransferReport report, DateTimeOffset now)
    {
        var self = $"/api/v1/transfers/{job.Id}";
        var elapsed = job.StartedAt is { } started ? ((job.CompletedAt ?? now) - started).TotalSeconds : (double?)null;
        return new TransferJobView(
            job.Id,
            job.FromOrganisationCode,
            job.ToOrganisationCode,
            job.AreaCode,
            job.EffectiveAt,
            job.Reason,
            job.State,
            new TransferCounts(job.Total, job.Moved, job.Skipped, job.Pending),
            new TransferTimings(job.RequestedAt, job.StartedAt, job.CompletedAt, elapsed),
            new TransferRequester(job.RequestedBy, job.RequestedByName, job.RequestedByOrganisation),
            job.Failure,
            report,
            job.Version,
            new TransferLinks(self, $"{self}/items", $"{self}/items?outcome={TransferItemOutcome.Moved}", $"{self}/items?outcome={TransferItemOutcome.Skipped}"));
    }
}

public sealed class GetTransferJobValidator : AbstractValidator<GetTransferJob>
{
    public GetTransferJobValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class ListTransferItemsValidator : AbstractValidator<ListTransferItems>
{
    public ListTransferItemsValidator()
    {
        RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
        RuleFor(q => q.Limit).InclusiveBetween(1, ListTransferItems.MaxLimit).WithMessage($"must be from 1 to {ListTransferItems.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .WithMessage("is not a cursor this service issued");
    }
}

public sealed class GetTransferJobHandler(IAppDbContext db, TransferAccess access, TimeProvider clock) : IQueryHandler<GetTransferJob, TransferJobView>
{
    public async ValueTask<TransferJobView> Handle(GetTransferJob query, CancellationToken cancellationToken)
    {
        await access.EnsureNationalAsync(cancellationToken);
        var job = await db.TransferJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Transfer", query.Id.ToString());
        var skipped = db.TransferJobItems.AsNoTracking().Where(i => i.JobId == job.Id && i.Outcome == TransferItemOutcome.Skipped);
        var byReason = await skipped.GroupBy(i => i.SkipReason)
            .Select(g => new SkipReasonCount(g.Key ?? "", g.Count()))
            .ToListAsync(cancellationToken);
        var listed = await skipped.OrderBy(i => i.Sequence).Take(TransferReport.SkippedListed).ToListAsync(cancellationToken);
        var report = new TransferReport([.. byReason.OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)], [.. listed.Select(ListTransferItemsHandler.View)]);
        return TransferJobView.From(job, report, clock.GetUtcNow());
    }
}

public sealed class ListTransferItemsHandler(IAppDbContext db, TransferAccess access) : IQueryHandler<ListTransferItems, Page<TransferItemView>>
{
    public async ValueTask<Page<TransferItemView>> Handle(ListTransferItems query, CancellationToken cancellationToken)
    {
        await access.EnsureNationalAsync(cancellationToken);
        if (!await db.TransferJobs.AnyAsync(j => j.Id == query.Id, cancellationToken))
        {
            throw new NotFoundException("Transfer", query.Id.ToString());
        }

        var items = db.TransferJobItems.AsNoTracking().Where(i => i.JobId == query.Id);
        if (query.Outcome is { } outcome)
        {
            items = items.Where(i => i.Outcome == outcome);
        }

        if (query.Cursor is not null)
        {
            var after = int.Parse(query.Cursor, CultureInfo.InvariantCulture);
            items = items.Where(i => i.Sequence > after);
        }

        var limit = query.Limit ?? ListTransferItems.DefaultLimit;
        return Pages.Of(await items.OrderBy(i => i.Sequence).Take(limit + 1).ToListAsync(cancellationToken), limit, View, v => v.Sequence);
    }

    public static TransferItemView View(TransferJobItem i) => new(i.Sequence, i.Crn.Value, i.Outcome, i.SkipReason, i.ProcessedAt);
}
