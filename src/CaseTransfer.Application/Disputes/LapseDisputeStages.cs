using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Disputes;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Application.Disputes;

/// <summary>
/// The service moves one dispute whose Local stage passed its limit up to the heads of service, as the system actor:
/// its own audit entry and event, in its own transaction. Sent by <see cref="DisputeStageSweep"/> only (no endpoint),
/// with the version the sweep read as its If-Match: of two instances sweeping at once, the one that writes second
/// finds the version moved (412) or loses the concurrency check (409), and skips.
/// </summary>
[Authorise(Roles.Admin)]
public sealed record LapseDisputeStage(Guid Id, IfMatch? ExpectedVersion) : DisputeAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "dispute stage lapsed: moved up";
}

public sealed class LapseDisputeStageValidator : DisputeActionValidator<LapseDisputeStage>;

public sealed class LapseDisputeStageHandler(IAppDbContext db, DisputeOptions options, TimeProvider clock) : ICommandHandler<LapseDisputeStage, DisputeView>
{
    public async ValueTask<DisputeView> Handle(LapseDisputeStage command, CancellationToken cancellationToken)
    {
        var dispute = await DisputeAccess.WithRecord(db.Disputes).SingleOrDefaultAsync(d => d.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Dispute", command.Id.ToString());
        IfMatch.Ensure(command.ExpectedVersion, "dispute", dispute.Version);
        var before = dispute.Stage;
        var now = clock.GetUtcNow();
        dispute.Lapse(now, options.Deadlines);
        return DisputeView.Changed(dispute, before, now);
    }
}

/// <summary>What one sweep did: the disputes it moved up, and those another instance (or a person) changed first.</summary>
public sealed record DisputeSweepResult(int Moved, int Skipped);

/// <summary>
/// The move of every Local stage past its limit, one <see cref="LapseDisputeStage"/> per dispute, each in a scope (and
/// transaction) of its own so one conflict does not undo the others. Safe beside other instances: each move is
/// conditional on the version read here, so a dispute is moved once whoever sweeps.
/// </summary>
public sealed class DisputeStageSweep(IAppDbContext db, IServiceScopeFactory scopes, IDatabaseErrors errors, TimeProvider clock)
{
    public async Task<DisputeSweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var lapsed = await db.Disputes.AsNoTracking()
            .Where(QueryParts.Bind(Dispute.LapsedAt, clock.GetUtcNow()))
            .OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.Version })
            .ToListAsync(cancellationToken);
        var (moved, skipped) = (0, 0);
        foreach (var dispute in lapsed)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<IMediator>()
                    .Send(new LapseDisputeStage(dispute.Id, new IfMatch([dispute.Version])), cancellationToken);
                moved++;
            }
            catch (Exception e) when (e is PreconditionFailedException or DbUpdateConcurrencyException or DomainRuleViolation || errors.IsUniqueViolation(e))
            {
                // Someone else changed it since it was read (another instance moved it, a manager moved it up or
                // resolved it): nothing was written here. Where the other move is still uncommitted, PostgreSQL's
                // row lock makes this one wait, then the stage change's unique number refuses it.
                skipped++;
            }
        }

        return new DisputeSweepResult(moved, skipped);
    }
}
