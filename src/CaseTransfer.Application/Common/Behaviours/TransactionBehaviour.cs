using System.Text.Json;
using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Common.Behaviours;

/// <summary>
/// Commits a command's change, its audit entry, its outgoing events and its idempotent result in one transaction,
/// so a 2xx means all four are in the database. Handlers stage changes; only this behaviour saves.
/// </summary>
public sealed class TransactionBehaviour<TMessage, TResponse>(
    IAppDbContext db,
    ICaller caller,
    IRequestContext request,
    IdempotencyScope idempotency,
    TimeProvider clock) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IBaseCommand)
        {
            return await next(message, cancellationToken);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var response = await next(message, ct);
                var now = clock.GetUtcNow();
                db.AuditEntries.Add(AuditEntryFor(message, response, now));
                StageOutboxEvents(now);
                idempotency.Current?.Complete(JsonSerializer.Serialize(response, AppJson.Options), now);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return response;
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }, cancellationToken);
    }

    private AuditEntry AuditEntryFor(TMessage message, TResponse response, DateTimeOffset now)
    {
        var audited = response as IAuditedResult;
        return new AuditEntry(
            Guid.CreateVersion7(now),
            now,
            message is IAuditedCommand command ? command.Operation : AuditOperation.Alteration,
            typeof(TMessage).Name,
            caller.UserId,
            caller.UserName,
            caller.OrganisationCode,
            caller.ClientId,
            request.TraceId,
            (message as ICaseMessage)?.Crn,
            audited?.ResourceType,
            audited?.ResourceId,
            audited?.ResourceVersion,
            (message as IAuditedCommand)?.AuditSummary);
    }

    private void StageOutboxEvents(DateTimeOffset now)
    {
        var aggregates = db.ChangeTracker.Entries<AggregateRoot>().Select(e => e.Entity).Where(a => a.DomainEvents.Count > 0).ToList();
        foreach (var aggregate in aggregates)
        {
            foreach (var domainEvent in aggregate.DomainEvents)
            {
                db.OutboxMessages.Add(new OutboxMessage(
                    Guid.CreateVersion7(now),
                    domainEvent.EventType,
                    domainEvent.OccurredAt,
                    domainEvent.Crn,
                    EventEnvelope.Serialize(domainEvent)));
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
}
