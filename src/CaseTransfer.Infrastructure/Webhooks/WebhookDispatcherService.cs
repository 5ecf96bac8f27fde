using CaseTransfer.Application.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Webhooks;

/// <summary>
/// Every <c>Webhooks:IntervalMilliseconds</c> (straight on while the feed has more to fan out): fans out new events to
/// every subscription (<see cref="WebhookDispatcher.FanOutAsync"/>), then starts a lane for each subscription with
/// deliveries due that has none running, up to <c>Webhooks:MaxParallelSubscribers</c>. A lane sends its subscriber's
/// batches (<see cref="WebhookDispatcher.DeliverAsync"/>: claim, send, record) straight on while all of a batch is
/// delivered, each in its own scope, and ends when there is nothing more or a send failed. So each subscriber
/// progresses on its own: one that times out holds back its own lane and nobody else's; after a lane ends on a failure
/// its subscriber is neither fanned out to nor claimed for <c>Webhooks:CircuitBreakSeconds</c> (its events wait, unwritten). Once a minute the loop also
/// removes delivered rows past their retention, in bounded batches. Safe beside other instances: deliveries are claimed
/// one dispatcher at a time (<see cref="WebhookDispatcher"/>).
/// </summary>
public sealed class WebhookDispatcherService(IServiceScopeFactory scopes, WebhookOptions options, TimeProvider clock, ILogger<WebhookDispatcherService> logger) : BackgroundService
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lanes = new Dictionary<Guid, Task<WebhookPassResult>>();
        var paused = new Dictionary<Guid, DateTimeOffset>();
        var lastPurge = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A lane that ended on a failure (or found the circuit open) pauses its subscriber here: no fan-out and no
                // claims for it, so its events wait in the outbox and its deliveries pending, without a write, until the
                // circuit may have closed. Fanning out, claiming and holding back for a dead subscriber cost the healthy
                // ones the database's time (on SQLite, its one writer).
                foreach (var (subscription, lane) in lanes.Where(l => l.Value.IsCompleted).ToList())
                {
                    lanes.Remove(subscription);
                    if (lane.IsCompletedSuccessfully && lane.Result is { } last && (last.Failed > 0 || last.NotAttempted > 0))
                    {
                        paused[subscription] = clock.GetUtcNow() + TimeSpan.FromSeconds(options.CircuitBreakSeconds);
                    }
                }

                var more = false;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var dispatcher = scope.ServiceProvider.GetRequiredService<WebhookDispatcher>();
                    foreach (var (subscription, _) in paused.Where(p => p.Value <= clock.GetUtcNow()).ToList())
                    {
                        paused.Remove(subscription);
                    }

                    more = (await dispatcher.FanOutAsync(stoppingToken, paused.Keys)).Full;
                    foreach (var subscription in await dispatcher.SubscriptionsWithDueDeliveriesAsync(stoppingToken))
                    {
                        if (lanes.Count >= options.MaxParallelSubscribers)
                        {
                            break;
                        }

                        if (paused.ContainsKey(subscription))
                        {
                            continue;
                        }

                        if (!lanes.ContainsKey(subscription))
                        {
                            lanes[subscription] = RunLaneAsync(subscription, stoppingToken);
                        }
                    }

                    if (clock.GetUtcNow() - lastPurge >= PurgeEvery)
                    {
                        lastPurge = clock.GetUtcNow();
                        await dispatcher.PurgeDeliveredAsync(stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Webhook dispatch failed; the next tick tries again");
                }

                if (more)
                {
                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(options.IntervalMilliseconds), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(lanes.Values);
        }
    }

    /// <summary>
    /// One subscriber's batches while all of each is delivered; returns the last. Never throws: a failed step ends the
    /// lane, and the next tick starts another.
    /// </summary>
    private async Task<WebhookPassResult> RunLaneAsync(Guid subscription, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var step = WebhookPassResult.None;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                step = await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().DeliverAsync(subscription, stoppingToken);
                if (!step.MadeProgress)
                {
                    return step;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return step;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Webhook step of subscription {Subscription} failed; the next tick tries again", subscription);
                return WebhookPassResult.None;
            }
        }

        return step;
    }
}
