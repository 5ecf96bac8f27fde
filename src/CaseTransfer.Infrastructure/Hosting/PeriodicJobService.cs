using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Hosting;

/// <summary>
/// A job run at once and then every <paramref name="interval"/>, each run in a scope of its own: a run that fails is
/// logged and the next one tries again; stopping the service ends the wait.
/// </summary>
public abstract class PeriodicJobService(IServiceScopeFactory scopes, TimeSpan interval, ILogger logger) : BackgroundService
{
    /// <summary>What the job is, for the log line of a failed run ("the dispute sweep").</summary>
    protected abstract string JobName { get; }

    protected abstract Task RunOnceAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunOnceAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Job} failed; trying again at the next", JobName);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
