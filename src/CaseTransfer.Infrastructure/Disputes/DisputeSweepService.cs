using CaseTransfer.Application.Disputes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Disputes;

/// <summary>
/// Every <c>Disputes:SweepSeconds</c>, moves each dispute whose Local stage passed its limit up to the heads of
/// service (<see cref="DisputeStageSweep"/>). Safe beside other instances: each move is conditional on the dispute's
/// version, so the instance that loses a race skips it.
/// </summary>
public sealed class DisputeSweepService(IServiceScopeFactory scopes, DisputeOptions options, ILogger<DisputeSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.SweepSeconds));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<DisputeStageSweep>().RunAsync(stoppingToken);
                if (result.Moved + result.Skipped > 0)
                {
                    logger.LogInformation("Dispute sweep moved {Moved} lapsed Local stages up; {Skipped} changed elsewhere first", result.Moved, result.Skipped);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The dispute sweep failed; trying again at the next");
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
