using CaseTransfer.Application.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Alerts;

/// <summary>
/// Runs an alert pass every <c>Alerts:IntervalSeconds</c> (a full one every <c>Alerts:FullPassIntervalSeconds</c>).
/// Safe beside other instances: each pass takes the lease first, so one instance runs passes and the others find it
/// held, until it stops renewing it.
/// </summary>
public sealed class AlertWorkerService(IServiceScopeFactory scopes, AlertOptions options, ILogger<AlertWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AlertJob>().RunAsync(AlertPassKind.Due, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (AlertLeaseLostException)
            {
                logger.LogInformation("Alert pass stopped: another instance holds the lease");
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Alert pass failed; the next pass tries again");
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.IntervalSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
