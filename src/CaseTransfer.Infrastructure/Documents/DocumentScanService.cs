using CaseTransfer.Application.Documents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Documents;

/// <summary>
/// Every <c>Scanning:PollSeconds</c>, scans the documents awaiting a verdict whose next try is due
/// (<see cref="DocumentRescan"/>): uploads the scanner could not judge (down, timing out), and documents stored while
/// scanning was off. Safe beside other instances: a verdict is recorded against the version read, so the second to
/// write drops its own.
/// </summary>
public sealed class DocumentScanService(IServiceScopeFactory scopes, ScanningOptions options, ILogger<DocumentScanService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PollSeconds));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<DocumentRescan>().RunAsync(stoppingToken);
                if (result.Clean + result.Infected + result.Failed + result.Skipped > 0)
                {
                    logger.LogInformation(
                        "Document scan pass: {Clean} clean, {Infected} infected, {Failed} without a verdict (retried later), {Skipped} judged elsewhere first",
                        result.Clean, result.Infected, result.Failed, result.Skipped);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The document scan pass failed; trying again at the next");
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
