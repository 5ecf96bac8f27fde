using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseTransfer.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Common.Behaviours;

/// <summary>The idempotency record of the command being handled, completed by the transaction behaviour.</summary>
public sealed class IdempotencyScope
{
    public IdempotencyRecord? Current { get; set; }
}

/// <summary>
/// Makes a command with an <c>Idempotency-Key</c> safe to retry (IETF httpapi idempotency-key draft): same key and
/// same request within the retention period replays the stored result; same key, different request is 422; a key
/// still in flight is 409. The in-flight marker commits on its own so a concurrent duplicate sees it; the result
/// commits with the change, so a replay never describes a change that was not made.
/// </summary>
public sealed class IdempotencyBehaviour<TMessage, TResponse>(
    IAppDbContext db,
    ICaller caller,
    IRequestContext request,
    IdempotencyScope scope,
    IDatabaseErrors errors,
    StoredResponses stored,
    TimeProvider clock) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A marker older than this belongs to a request that died mid-way; its key may be taken again.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IBaseCommand || request.IdempotencyKey is not { } key)
        {
            return await next(message, cancellationToken);
        }

        var scopeKey = $"{caller.OrganisationCode}|{caller.UserId}";
        var hash = Hash(message);
        var now = clock.GetUtcNow();
        var existing = await db.IdempotencyRecords.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Scope == scopeKey && r.Key == key, cancellationToken);
        if (existing is not null)
        {
            var expired = existing.CreatedAt < now - Retention;
            var abandoned = !existing.IsCompleted && existing.CreatedAt < now - AbandonedAfter;
            if (expired || abandoned)
            {
                await db.IdempotencyRecords.Where(r => r.Id == existing.Id).ExecuteDeleteAsync(cancellationToken);
            }
            else if (existing.RequestHash != hash)
            {
                throw new IdempotencyKeyReusedException();
            }
            else if (!existing.IsCompleted)
            {
                throw new IdempotencyKeyInFlightException();
            }
            else
            {
                request.Replayed = true;
                request.AuditReceipt = existing.AuditReceipt;
                return stored.Read<TResponse>(existing.ResponseJson!);
            }
        }

        var record = new IdempotencyRecord(Guid.CreateVersion7(now), scopeKey, key, hash, now);
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (errors.IsUniqueViolation(ex))
        {
            // Another request with the same key got in first and is still running.
            db.ChangeTracker.Clear();
            throw new IdempotencyKeyInFlightException();
        }

        scope.Current = record;
        try
        {
            return await next(message, cancellationToken);
        }
        catch
        {
            // Refused or failed: nothing was written, so the key is free for a corrected retry.
            db.ChangeTracker.Clear();
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            scope.Current = null;
        }
    }

    private static string Hash(TMessage message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), AppJson.Options);
        var name = Encoding.UTF8.GetBytes(typeof(TMessage).FullName!);
        return Convert.ToHexString(SHA256.HashData([.. name, .. bytes]));
    }
}
