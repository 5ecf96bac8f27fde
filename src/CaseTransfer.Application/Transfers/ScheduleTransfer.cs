using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Organisations;
using CaseTransfer.Domain.Transfers;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Transfers;

/// <summary>
/// Moves every case held by one organisation (optionally only those in one area) to another at an effective instant,
/// as a background job. A national decision: only an administrator or manager of the national NPS may ask for it.
/// Every case to move is listed as a pending item in the same transaction as the job, so the report at the end
/// accounts for each one.
/// </summary>
[Authorise(Roles.Admin, Roles.Manager)]
public sealed record ScheduleTransfer(
    string FromOrganisation,
    string ToOrganisation,
    string? AreaCode,
    DateTimeOffset? EffectiveAt,
    string Reason) : ICommand<TransferJobView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "bulk transfer scheduled";
}

public sealed class ScheduleTransferValidator : AbstractValidator<ScheduleTransfer>
{
    public ScheduleTransferValidator()
    {
        RuleFor(c => c.FromOrganisation).MustBeOrganisationCode();
        RuleFor(c => c.ToOrganisation).MustBeOrganisationCode()
            .NotEqual(c => c.FromOrganisation).WithMessage("must be another organisation than fromOrganisation");
        RuleFor(c => c.AreaCode).MustBeOrganisationCode().When(c => c.AreaCode is not null);
        RuleFor(c => c.EffectiveAt).NotNull().WithMessage("is required");
        RuleFor(c => c.Reason).NotEmpty().WithMessage("is required")
            .MaximumLength(TransferJob.ReasonMaxLength).WithMessage($"must be at most {TransferJob.ReasonMaxLength} characters");
    }
}

public sealed class ScheduleTransferHandler(IAppDbContext db, TransferAccess access, ICaller caller, IRequestContext request, TimeProvider clock)
    : ICommandHandler<ScheduleTransfer, TransferJobView>
{
    public async ValueTask<TransferJobView> Handle(ScheduleTransfer command, CancellationToken cancellationToken)
    {
        await access.EnsureNationalAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await EnsureValidAsync(command, now, cancellationToken);

        // Set-based and inside the database: the caseload is counted, then listed as pending items by one
        // INSERT ... SELECT, numbered in case id order (the order the items were always listed in). Reading 100,000
        // ids and CRNs into the service to send them straight back cost more than a second of the POST.
        var cases = db.Cases.AsNoTracking().Where(c => c.HolderOrganisationCode == command.FromOrganisation);
        if (command.AreaCode is { } area)
        {
            cases = cases.Where(c => c.AreaCode == area);
        }

        var job = TransferJob.Schedule(
            Guid.CreateVersion7(now),
            command.FromOrganisation,
            command.AreaCode,
            command.ToOrganisation,
            command.EffectiveAt!.Value,
            command.Reason,
            await cases.CountAsync(cancellationToken),
            caller.UserId,
            caller.UserName,
            caller.OrganisationCode,
            caller.ClientId,
            request.TraceId,
            now);
        await db.InsertManyAsync([job], cancellationToken);
        var listed = await ListItemsAsync(job, cancellationToken);
        if (listed != job.Total)
        {
            // The caseload changed between counting and listing (a case moved in or out meanwhile): the items are
            // what the job will work and report on, so the total follows them.
            await db.TransferJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Total, listed), cancellationToken);
            job = await db.TransferJobs.AsNoTracking().SingleAsync(j => j.Id == job.Id, cancellationToken);
        }

        return TransferJobView.From(job, TransferReport.Empty, now);
    }

    /// <summary>Lists every case of the caseload as a pending item, numbered 1..n in case id order; returns n.</summary>
    private Task<int> ListItemsAsync(TransferJob job, CancellationToken cancellationToken)
    {
        var pending = nameof(TransferItemOutcome.Pending);
        return job.AreaCode is { } area
            ? db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO "TransferJobItems" ("JobId", "Sequence", "CaseId", "Crn", "Outcome")
                SELECT {job.Id}, ROW_NUMBER() OVER (ORDER BY c."Id"), c."Id", c."Crn", {pending}
                FROM "Cases" AS c
                WHERE c."HolderOrganisationCode" = {job.FromOrganisationCode} AND c."AreaCode" = {area}
                """,
                cancellationToken)
            : db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO "TransferJobItems" ("JobId", "Sequence", "CaseId", "Crn", "Outcome")
                SELECT {job.Id}, ROW_NUMBER() OVER (ORDER BY c."Id"), c."Id", c."Crn", {pending}
                FROM "Cases" AS c
                WHERE c."HolderOrganisationCode" = {job.FromOrganisationCode}
                """,
                cancellationToken);
    }

    /// <summary>What only the database or the clock can tell: each answered as a 400 naming the field, all at once.</summary>
    private async Task EnsureValidAsync(ScheduleTransfer command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var codes = new[] { command.FromOrganisation, command.ToOrganisation };
        var organisations = await db.Organisations.AsNoTracking().Where(o => codes.Contains(o.Code)).ToDictionaryAsync(o => o.Code, cancellationToken);
        var failures = new List<ValidationFailure>();
        foreach (var (field, code) in new[] { ("fromOrganisation", command.FromOrganisation), ("toOrganisation", command.ToOrganisation) })
        {
            if (!organisations.TryGetValue(code, out var organisation))
            {
                failures.Add(new ValidationFailure(field, $"'{code}' is not a known organisation"));
            }
            else if (organisation.Kind == OrganisationKind.Nps)
            {
                failures.Add(new ValidationFailure(field, "must be an organisation that holds cases (an NPS region or a provider), not the national NPS"));
            }
        }

        if (command.AreaCode is { } areaCode)
        {
            var area = await db.Areas.AsNoTracking().SingleOrDefaultAsync(a => a.Code == areaCode, cancellationToken);
            if (area is null)
            {
                failures.Add(new ValidationFailure("areaCode", $"'{areaCode}' is not a known area"));
            }
            else if (area.NpsRegionCode != command.FromOrganisation && area.ProviderCode != command.FromOrganisation)
            {
                failures.Add(new ValidationFailure("areaCode", $"'{areaCode}' is not an area that {command.FromOrganisation} covers"));
            }
        }

        if (command.EffectiveAt < now - TransferJob.ClockSkewTolerance)
        {
            failures.Add(new ValidationFailure(
                "effectiveAt", $"must not be in the past (more than {TransferJob.ClockSkewTolerance.TotalMinutes:0} minutes before the service's clock)"));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }
}
