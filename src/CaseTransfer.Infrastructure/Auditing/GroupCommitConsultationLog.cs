using System.Threading.Channels;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Auditing;

/// <summary>
/// Group commit for consultation entries. Reads queue their entries; one writer inserts whatever has queued in one
/// transaction and releases every read in it once that commit is durable. Concurrent reads so share one commit (one
/// WAL flush) instead of paying one each, which cost reads about a third of their throughput. A batch that fails is
/// retried entry by entry, so one entry that cannot be written refuses only its own read.
/// </summary>
public sealed class GroupCommitConsultationLog(IServiceScopeFactory scopes, ILogger<GroupCommitConsultationLog> logger) : IConsultationLog, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock gate = new();
    private Task? writer;

    public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var pending = new Pending(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The consultation log is shutting down: the read is refused because its entry cannot be written.");
        }

        if (writer is null)
        {
            lock (gate)
            {
                writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
            }
        }

        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (writer is not null)
        {
            await writer;
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
            db.AuditEntries.AddRange(batch.Select(p => p.Entry));
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            logger.LogWarning(e, "Writing {Count} consultation entries together failed; writing them one by one", batch.Count);
            foreach (var pending in batch)
            {
                await CommitAsync([pending]);
            }

            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "A consultation entry could not be written; its read is refused");
            batch[0].Committed.TrySetException(e);
            return;
        }

        foreach (var pending in batch)
        {
            pending.Committed.TrySetResult();
        }
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Committed);
}
