using CaseTransfer.Application.Documents;
using CaseTransfer.Infrastructure.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Documents;

/// <summary>
/// Every <c>Scanning:PollSeconds</c>, scans the documents awaiting a verdict whose next try is due
/// (<see cref="DocumentRescan"/>): uploads the scanner could not judge (down, timing out), and documents stored while
/// scanning was off. Safe beside other instances: a verdict is recorded against the version read, so the second to
/// write drops its own.
/// </summary>
public sealed class DocumentScanService(IServiceScopeFactory scopes, ScanningOptions options, ILogger<DocumentScanService> logger)
    : PeriodicJobService(scopes, TimeSpan.FromSeconds(options.PollSeconds), logger)
{
    protected override string JobName => "The document scan pass";

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var result = await services.GetRequiredService<DocumentRescan>().RunAsync(cancellationToken);
        if (result.Clean + result.Infected + result.Failed + result.Skipped > 0)
        {
            logger.LogInformation(
                "Document scan pass: {Clean} clean, {Infected} infected, {Failed} without a verdict (retried later), {Skipped} judged elsewhere first",
                result.Clean, result.Infected, result.Failed, result.Skipped);
        }
    }
}
