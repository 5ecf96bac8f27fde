using System.Text.Json;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Common.Behaviours;

/// <summary>
/// The audit boundary. A command's change, its audit entry, its outgoing events and its idempotent result commit in
/// one transaction, so a 2xx means all four are in the database; handlers stage changes and only this behaviour
/// saves. A query that consults personal data (<see cref="IConsultation"/>) answers only once its consultation
/// entry is written: a read that cannot be logged is refused.
/// </summary>
public sealed class TransactionBehaviour<TMessage, TResponse>(
    IAppDbContext db,
    AuditTrail audit,
    IdempotencyScope idempotency,
    IRequestContext request,
    IAuditLedgerKeys ledger,
    AuditRecording recording,
    IConsultationLog consultations,
    EventAudience audiences,
    StoredResponses stored,
    TimeProvider clock) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IConsultation consultation)
        {
            var result = await next(message, cancellationToken);
            if (!recording.Consultations)
            {
                return result; // Benchmark host only (see AuditRecording).
            }

            await consultations.WriteAsync(audit.Describe(consultation.Consulted(result!)), cancellationToken);
            return result;
        }

        if (message is not IBaseCommand)
        {
            return await next(message, cancellationToken);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // EF wraps SaveChanges in a savepoint inside a user transaction (two more round trips) so that a failed
            // save could be rolled back alone and the transaction carry on; here a failed save fails the request and
            // the whole transaction rolls back, so the savepoint would never be used.
            db.Database.AutoSavepointsEnabled = false;
            try
            {
                var response = await next(message, ct);
                var now = clock.GetUtcNow();

                // No entry, no receipt: only a Benchmark host may switch entries off (see AuditRecording).
                Func<CancellationToken, Task>? stampAfterSave = null;
                if (recording.Entries)
                {
                    var entry = audit.Record(AuditFactsFor(message, response));
                    stampAfterSave = StampCase(entry, now);
                    request.AuditReceipt = AuditReceipt
                        .Create(entry.Id, AuditEntryEncoding.LeafHash(entry), now, ledger.MaxMergeDelaySeconds, ledger.Signer)
                        .Token;
                }

                idempotency.Current?.Complete(stored.Store(response), request.AuditReceipt, now);

                // Every change is staged now: one pass over the tracked entities finds them, and neither the outbox's
                // look for events nor SaveChanges scans them again (each would, with automatic detection). Only new
                // rows (outbox messages, explicitly added) follow.
                db.ChangeTracker.DetectChanges();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                await StageOutboxEventsAsync(now, ct);
                await db.SaveChangesAsync(ct);
                if (stampAfterSave is not null)
                {
                    await stampAfterSave(ct);
                }

                await transaction.CommitAsync(ct);
                return response;
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
            finally
            {
                db.ChangeTracker.AutoDetectChangesEnabled = true;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Keeps the case's last audited write (<see cref="Case.LastAuditedWriteAt"/>) with the entry, in its transaction:
    /// a quiet case is then found by an index, and the alert job sees what changed, without reading the audit log.
    /// Actions on alerts themselves do not count. A case this change writes anyway carries the stamp in its own update;
    /// otherwise the returned update is run after the change is saved (see there why), else null.
    /// </summary>
    private Func<CancellationToken, Task>? StampCase(AuditEntry entry, DateTimeOffset now)
    {
        // Acknowledging or resolving an alert is bookkeeping about the case, not work on it: were it a write, saying
        // "on it" to a case-quiet alert would clear the alert by itself.
        if (entry.Crn is not { } crn || entry.ResourceType == "alert")
        {
            return null;
        }

        // A case this change writes anyway carries the stamp in its own update (under its version check).
        var tracked = db.ChangeTracker.Entries<Case>().FirstOrDefault(e => e.Entity.Crn == crn);
        if (tracked is { State: EntityState.Added or EntityState.Modified })
        {
            tracked.Entity.AuditedWrite(now);
            return null;
        }

        // Otherwise the case's row is not this change's to lock, and the change must not wait for it. Run after the
        // change's own rows are written, so that it takes the case row last, in the order a change that writes both
        // takes them (an allocation's acceptance: the allocation, then the case): taken first, a rejection racing an
        // acceptance held the case while waiting for the allocation, and the two deadlocked. On PostgreSQL a row
        // another transaction holds is skipped: that transaction is a write on the case, stamping it in the same moment.
        // NO KEY UPDATE, as an update of a non-key column locks: it does not block the key-share locks of other changes'
        // foreign keys to the case (an allocation inserted for it), which FOR UPDATE would. SQLite has one writer and
        // cannot deadlock.
        if (db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            var at = now.ToUniversalTime();
            var value = crn.Value;
            return ct => db.Database.ExecuteSqlAsync($"""
                UPDATE "Cases" SET "LastAuditedWriteAt" = {at}
                WHERE "Id" = (SELECT "Id" FROM "Cases" WHERE "Crn" = {value} AND "LastAuditedWriteAt" < {at} FOR NO KEY UPDATE SKIP LOCKED)
                """, ct);
        }

        return ct => db.Cases.Where(c => c.Crn == crn && c.LastAuditedWriteAt < now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastAuditedWriteAt, now), ct);
    }

    private static AuditFacts AuditFactsFor(TMessage message, TResponse response)
    {
        var audited = response as IAuditedResult;
        var command = message as IAuditedCommand;
        return new AuditFacts(
            command?.Operation ?? AuditOperation.Alteration,
            typeof(TMessage).Name,
            (message as ICaseMessage)?.Crn ?? audited?.Crn,
            audited?.ResourceType,
            audited?.ResourceId,
            audited?.ResourceVersion,
            audited?.ChangeSummary ?? command?.AuditSummary,
            audited?.Justification ?? command?.Justification,
            audited?.Recipients ?? command?.Recipients);
    }

    private async Task StageOutboxEventsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var aggregates = db.ChangeTracker.Entries<AggregateRoot>().Select(e => e.Entity).Where(a => a.DomainEvents.Count > 0).ToList();
        if (aggregates.Count == 0)
        {
            return;
        }

        var audienceOf = await audiences.ForAsync([.. aggregates.SelectMany(a => a.DomainEvents)], cancellationToken);
        foreach (var aggregate in aggregates)
        {
            foreach (var domainEvent in aggregate.DomainEvents)
            {
                db.OutboxMessages.Add(OutboxMessage.For(domainEvent, now, audienceOf(domainEvent)));
            }

            aggregate.ClearDomainEvents();
        }
    }
}

/// <summary>A command that says what kind of processing it is and summarises what changed (field names, no free text).</summary>
public interface IAuditedCommand
{
    AuditOperation Operation { get; }
    string? AuditSummary { get; }

    /// <summary>The caller's reason, where the action needs one (disclosures, overrides).</summary>
    string? Justification => null;

    /// <summary>For disclosures: who receives the information.</summary>
    string? Recipients => null;
}

/// <summary>A query that consults personal data; it describes what was consulted for the audit entry.</summary>
public interface IConsultation
{
    AuditFacts Consulted(object result);
}
