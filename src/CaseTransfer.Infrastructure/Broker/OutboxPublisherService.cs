using CaseTransfer.Application.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Broker;

/// <summary>
/// Runs a broker pass every <c>Broker:IntervalMilliseconds</c>, straight on while a pass fills its batch. While the
/// broker cannot be reached, passes back off (up to 30 s between attempts) and events wait in the outbox; nothing else
/// in the service notices. Safe beside other instances (<see cref="OutboxPublisher"/>).
/// </summary>
public sealed class OutboxPublisherService(IServiceScopeFactory scopes, BrokerOptions options, ILogger<OutboxPublisherService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pass = await scope.ServiceProvider.GetRequiredService<OutboxPublisher>().RunAsync(stoppingToken);
                if (failures > 0)
                {
                    logger.LogInformation("Broker reachable again after {Failures} failed passes", failures);
                }

                failures = 0;
                busy = pass.Claimed >= options.BatchSize;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One warning per outage, not one a second.
                if (failures++ == 0)
                {
                    logger.LogWarning(e, "Broker pass failed; events wait in the outbox and later passes try again");
                }
                else
                {
                    logger.LogDebug(e, "Broker pass failed again ({Failures} in a row)", failures);
                }
            }

            if (busy)
            {
                continue;
            }

            var wait = TimeSpan.FromMilliseconds(options.IntervalMilliseconds * Math.Pow(2, Math.Min(failures, 10)));
            try
            {
                await Task.Delay(wait < MaxBackOff ? wait : MaxBackOff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
