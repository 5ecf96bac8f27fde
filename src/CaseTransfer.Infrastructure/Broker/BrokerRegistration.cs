using CaseTransfer.Application.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CaseTransfer.Infrastructure.Broker;

public static class BrokerRegistration
{
    /// <summary>
    /// The publisher <c>Broker:Transport</c> names: nothing for <see cref="BrokerTransport.None"/>; for RabbitMQ the
    /// publisher, its background service (unless <c>Broker:IntervalMilliseconds</c> is 0) and a readiness check.
    /// </summary>
    public static IServiceCollection AddBroker(this IServiceCollection services, BrokerOptions options)
    {
        services.AddSingleton(options);
        if (options.Transport == BrokerTransport.None)
        {
            return services;
        }

        services.AddSingleton<RabbitMqPublisher>();
        services.AddSingleton<IBrokerPublisher>(sp => sp.GetRequiredService<RabbitMqPublisher>());
        services.AddScoped<OutboxPublisher>();
        services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        if (options.IntervalMilliseconds > 0)
        {
            services.AddHostedService<OutboxPublisherService>();
        }

        return services;
    }
}
