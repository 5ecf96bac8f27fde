using System.Diagnostics;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Application.Escalations;
using CaseTransfer.Domain.Alerts;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.Alerts;

/// <summary>Which pass to run: whichever is due (full when its interval has passed), or one kind by force.</summary>
public enum AlertPassKind
{
    Due,
    Incremental,
    Full,
}

/// <summary>What a pass did; <see cref="Ran"/> is false when another instance holds the lease.</summary>
public sealed record AlertPassResult(bool Ran, bool Full, int CasesChanged, int Raised, int Cleared, TimeSpan Elapsed)
{
    public static AlertPassResult NotHolder(TimeSpan elapsed) => new(false, false, 0, 0, 0, elapsed);
}

/// <summary>
/// Computes alerts. A pass first takes the lease (<see cref="AlertLease"/>) with a conditional update, so with several
/// instances on one database one runs passes and the others find it held; every transaction the pass commits renews
/// the lease in the same transaction and rolls back if the lease was lost, so two holders never both commit.
/// A full pass evaluates every condition over every case; an incremental pass only over the cases written since the
/// last pass began (<see cref="Domain.Cases.Case.LastAuditedWriteAt"/>, less a margin), in batches of ids. Each
/// condition is reconciled set-based: its candidates with no open alert are raised, its open alerts no longer among
/// its candidates are cleared, <see cref="AlertOptions.BatchSize"/> per transaction, each with its audit entry (by
/// the system) and outbox event, so memory is bounded by the batch, not the number of cases.
/// </summary>
public sealed class AlertJob(
    IAppDbContext db,
    TimeProvider clock,
    AlertOptions options,
    EscalationOptions escalation,
    ServiceInstance identity,
    IDatabaseErrors errors,
    ILogger<AlertJob> logger)
{
    private AlertPolicy Policy => new(options.CaseQuietDays, escalation.EscalationRequiredReraiseHours);

    public async Task<AlertPassResult> RunAsync(AlertPassKind kind, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        db.ChangeTracker.Clear();
        if (!await TakeLeaseAsync(now, cancellationToken))
        {
            return AlertPassResult.NotHolder(watch.Elapsed);
        }

        var lease = await db.AlertLeases.AsNoTracking().SingleAsync(l => l.Name == AlertLease.JobName, cancellationToken);
        var full = kind == AlertPassKind.Full
            || (kind == AlertPassKind.Due && (lease.LastFullPassAt is not { } last || now - last >= TimeSpan.FromSeconds(options.FullPassIntervalSeconds)));
        var counts = new Counts();
        var changed = 0;
        if (full || lease.IncrementalMark is null)
        {
            full = true;
            foreach (var condition in AlertConditions.All)
            {
                await ReconcileAsync(condition, new AlertScope(now, Policy, null), counts, cancellationToken);
            }
        }
        else
        {
            var since = lease.IncrementalMark.Value - TimeSpan.FromSeconds(options.ChangeMarginSeconds);
            Guid? after = null;
            while (true)
            {
                var query = db.Cases.AsNoTracking().Where(c => c.LastAuditedWriteAt >= since);
                if (after is { } a)
                {
                    query = query.Where(c => c.Id.CompareTo(a) > 0);
                }

                var ids = await query.OrderBy(c => c.Id).Select(c => c.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
                if (ids.Count == 0)
                {
                    break;
                }

                changed += ids.Count;
                foreach (var condition in AlertConditions.All)
                {
                    await ReconcileAsync(condition, new AlertScope(now, Policy, ids), counts, cancellationToken);
                }

                if (ids.Count < options.BatchSize)
                {
                    break;
                }

                after = ids[^1];
            }
        }

        await InLeaseAsync(now, async () =>
        {
            var marked = db.AlertLeases.Where(l => l.Name == AlertLease.JobName && l.Holder == identity.Name);
            await (full
                ? marked.ExecuteUpdateAsync(s => s.SetProperty(l => l.IncrementalMark, now).SetProperty(l => l.LastFullPassAt, now), cancellationToken)
                : marked.ExecuteUpdateAsync(s => s.SetProperty(l => l.IncrementalMark, now), cancellationToken));
        }, cancellationToken);
        var result = new AlertPassResult(true, full, changed, counts.Raised, counts.Cleared, watch.Elapsed);
        if (result.Raised + result.Cleared > 0 || full)
        {
            logger.LogInformation(
                "Alert pass ({Pass}): {Raised} raised, {Cleared} cleared, {Changed} changed cases, in {Elapsed} ms",
                full ? "full" : "incremental", result.Raised, result.Cleared, changed, (long)watch.Elapsed.TotalMilliseconds);
        }

        return result;
    }

    /// <summary>Takes the lease if no one holds it, it has expired, or it is ours; renews it for <see cref="AlertOptions.LeaseSeconds"/>.</summary>
    private async Task<bool> TakeLeaseAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + TimeSpan.FromSeconds(options.LeaseSeconds);
        var me = identity.Name;
        var taken = await db.AlertLeases
            .Where(l => l.Name == AlertLease.JobName && (l.Holder == null || l.Holder == me || l.ExpiresAt == null || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, me).SetProperty(l => l.ExpiresAt, until), cancellationToken);
        return taken == 1;
    }

    /// <summary>Runs <paramref name="work"/> in a transaction that first renews the lease; if the lease is no longer ours it rolls back and the pass stops.</summary>
    private async Task InLeaseAsync(DateTimeOffset now, Func<Task> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var until = clock.GetUtcNow() + TimeSpan.FromSeconds(options.LeaseSeconds);
            var me = identity.Name;
            var renewed = await db.AlertLeases.Where(l => l.Name == AlertLease.JobName && l.Holder == me)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, until), ct);
            if (renewed != 1)
            {
                throw new AlertLeaseLostException();
            }

            await work();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    private async Task ReconcileAsync(IAlertCondition condition, AlertScope scope, Counts counts, CancellationToken cancellationToken)
    {
        var candidates = condition.Find(db, scope);
        var alerts = db.Alerts;

        // Raise: what the condition yields and has no alert open, nor one a person resolved for this same occurrence
        // (the same since): resolving says "dealt with", so the job does not raise it again until it happens anew.
        // (Every candidate of a condition has its kind and audience: compared as parameters, which carry the columns'
        // conversions, not as the projection's constants, which PostgreSQL would see as an integer.)
        var (kind, audience) = (condition.Kind, condition.Audience);
        var raise = candidates.Where(c => !alerts.Any(a =>
            a.Kind == kind && a.SubjectId == c.SubjectId && a.OrganisationCode == c.OrganisationCode && a.Audience == audience
            && (a.ResolvedAt == null || (!a.ClearedBySystem && (c.Since == null || a.Since == c.Since)))));
        while (true)
        {
            var batch = await raise.OrderBy(c => c.SubjectId).Take(options.BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            try
            {
                await InLeaseAsync(scope.Now, () =>
                {
                    foreach (var candidate in batch)
                    {
                        var alert = Alert.Raise(Guid.CreateVersion7(scope.Now), candidate.ToFinding(), scope.Policy, scope.Now);
                        Stage(alert, raised: true, "RaiseAlert", $"alert raised: {alert.Kind} for {alert.OrganisationCode} ({alert.Audience})", scope.Now);
                    }

                    return Task.CompletedTask;
                }, cancellationToken);
            }
            catch (DbUpdateException e) when (errors.IsUniqueViolation(e))
            {
                // Another pass (a second one in this instance, say) raised one of these first: the database refused the
                // duplicate and the batch rolled back whole. The next pass raises whatever is still missing.
                db.ChangeTracker.Clear();
                logger.LogInformation("Alert pass: {Kind} raised meanwhile by another pass; left to the next pass", kind);
                break;
            }

            counts.Raised += batch.Count;
            db.ChangeTracker.Clear();
            if (batch.Count < options.BatchSize)
            {
                break;
            }
        }

        // Clear: open alerts of the kind and audience, about the scope's cases, that the condition no longer yields.
        var open = scope.Of(alerts.Where(a => a.ResolvedAt == null && a.Kind == kind && a.Audience == audience), a => a.CaseId);
        var clear = open.Where(a => !candidates.Any(c => c.SubjectId == a.SubjectId && c.OrganisationCode == a.OrganisationCode));
        while (true)
        {
            var batch = await clear.OrderBy(a => a.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            try
            {
                await InLeaseAsync(scope.Now, () =>
                {
                    foreach (var alert in batch)
                    {
                        alert.Clear(scope.Now);
                        Stage(alert, raised: false, "ClearAlert", $"alert cleared: {alert.Kind}; state: -> Resolved", scope.Now);
                    }

                    return Task.CompletedTask;
                }, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // One of these changed meanwhile (a person resolved it, another pass cleared it): rolled back whole;
                // the next pass looks again.
                db.ChangeTracker.Clear();
                break;
            }

            counts.Cleared += batch.Count;
            db.ChangeTracker.Clear();
            if (batch.Count < options.BatchSize)
            {
                break;
            }
        }
    }

    /// <summary>The alert (new or changed), its audit entry by the system, and its events, staged for the batch's transaction.</summary>
    private void Stage(Alert alert, bool raised, string action, string summary, DateTimeOffset now)
    {
        // Told, not looked up: asking the change tracker scans (and detects changes in) every entity it tracks, which
        // made a batch quadratic in its size.
        if (raised)
        {
            db.Alerts.Add(alert);
        }

        db.AuditEntries.Add(new AuditEntry(
            Guid.CreateVersion7(now), now, AuditOperation.Alteration, action, Alert.SystemActor, SystemActorName, SystemOrganisation, null,
            Activity.Current?.TraceId.ToString() ?? $"alert-pass-{identity.Name}", alert.Crn, "alert", alert.Id.ToString(), alert.Version, summary));
        foreach (var domainEvent in alert.DomainEvents)
        {
            db.OutboxMessages.Add(OutboxMessage.For(domainEvent, now, EventAudience.Format(domainEvent.Parties)));
        }

        alert.ClearDomainEvents();
    }

    /// <summary>As the service's other actions of its own (seeding) record themselves.</summary>
    public const string SystemActorName = "CaseTransfer service";

    public const string SystemOrganisation = "NPS";

    private sealed class Counts
    {
        public int Raised { get; set; }
        public int Cleared { get; set; }
    }
}

/// <summary>Another instance took the alert lease (ours expired): the pass stops, its last transaction rolled back.</summary>
public sealed class AlertLeaseLostException() : Exception("The alert lease is held by another instance.");
