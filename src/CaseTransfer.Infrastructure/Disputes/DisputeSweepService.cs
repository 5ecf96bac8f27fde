using CaseTransfer.Application.Disputes;
using CaseTransfer.Infrastructure.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Disputes;

/// <summary>
/// Every <c>Disputes:SweepSeconds</c>, moves each dispute whose Local stage passed its limit up to the heads of
/// service (<see cref="DisputeStageSweep"/>). Safe beside other instances: each move is conditional on the dispute's
/// version, so the instance that loses a race skips it.
/// </summary>
public sealed class DisputeSweepService(IServiceScopeFactory scopes, DisputeOptions options, ILogger<DisputeSweepService> logger)
    : PeriodicJobService(scopes, TimeSpan.FromSeconds(options.SweepSeconds), logger)
{
    protected override string JobName => "The dispute sweep";

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var result = await services.GetRequiredService<DisputeStageSweep>().RunAsync(cancellationToken);
        if (result.Moved + result.Skipped > 0)
        {
            logger.LogInformation("Dispute sweep moved {Moved} lapsed Local stages up; {Skipped} changed elsewhere first", result.Moved, result.Skipped);
        }
    }
}
