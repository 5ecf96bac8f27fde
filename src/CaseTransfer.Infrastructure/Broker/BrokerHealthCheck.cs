using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CaseTransfer.Infrastructure.Broker;

/// <summary>
/// Whether the broker can be reached (a channel is open, or one can be opened within a few seconds). Registered as
/// Degraded on failure, not Unhealthy: without the broker every request is still served and events wait in the outbox,
/// so a load balancer must not take the instance out.
/// </summary>
public sealed class BrokerHealthCheck(RabbitMqPublisher rabbit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await rabbit.ConnectAsync(timeout.Token);
            return HealthCheckResult.Healthy($"RabbitMQ at {rabbit.Where} reachable");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ at {rabbit.Where} unreachable; events wait in the outbox", e);
        }
    }
}
