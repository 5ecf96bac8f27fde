using CaseTransfer.Application.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Webhooks;

/// <summary>
/// Runs a webhook pass every <c>Webhooks:IntervalMilliseconds</c>, straight on while a pass finds work. Safe beside
/// other instances: deliveries are claimed one dispatcher at a time (<see cref="WebhookDispatcher"/>).
/// </summary>
public sealed class WebhookDispatcherService(IServiceScopeFactory scopes, WebhookOptions options, ILogger<WebhookDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pass = await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().RunAsync(stoppingToken);
                busy = pass.Claimed >= options.BatchSize;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Webhook pass failed; the next pass tries again");
            }

            if (busy)
            {
                continue;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.IntervalMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
