using CaseTransfer.Application.SubjectAccess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.SubjectAccess;

/// <summary>Wakes this instance's subject access worker as soon as a request is accepted; other instances find it at their next poll.</summary>
public sealed class SubjectAccessWorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Woken twice at once: one wake is enough.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}

/// <summary>
/// Gathers queued subject access requests into bundles and deletes expired bundles. Safe beside other instances: a
/// request is claimed by its version, and one whose worker died is taken up again when its lease runs out.
/// </summary>
public sealed class SubjectAccessWorkerService(
    IServiceScopeFactory scopes, SubjectAccessOptions options, SubjectAccessWorkSignal signal, ILogger<SubjectAccessWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var gatherer = scope.ServiceProvider.GetRequiredService<SubjectAccessGatherer>();
                    foreach (var id in await gatherer.ClaimableIdsAsync(stoppingToken))
                    {
                        if (await gatherer.ClaimAsync(id, stoppingToken))
                        {
                            await GatherAsync(gatherer, id, stoppingToken);
                        }
                    }

                    await gatherer.DeleteExpiredAsync(stoppingToken);
                }

                await signal.WaitAsync(TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Looking for subject access requests failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task GatherAsync(SubjectAccessGatherer gatherer, Guid id, CancellationToken stoppingToken)
    {
        try
        {
            await gatherer.GatherAsync(id, cancellationToken: stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Gathering subject access request {RequestId} failed; it is tried again later, up to its last attempt", id);
            await gatherer.RetryLaterAsync(id, $"{e.GetType().Name}: {e.Message}", stoppingToken);
        }
    }
}
