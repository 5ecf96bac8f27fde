using CaseTransfer.Application.Transfers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Transfers;

/// <summary>The <c>Transfers</c> configuration section: how the background worker runs bulk transfers.</summary>
public sealed class TransferOptions
{
    public const string Section = "Transfers";

    /// <summary>How often the worker looks for due jobs; 0 switches the worker off (tests drive <see cref="TransferJobRunner"/> themselves).</summary>
    public int PollIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>Cases per batch; each batch is one transaction.</summary>
    public int BatchSize { get; set; } = TransferJobRunner.DefaultBatchSize;

    /// <summary>Failures in a row (other than conflicts, which are simply retried) before a job is marked Failed.</summary>
    public int MaxFailures { get; set; } = 5;
}

/// <summary>
/// Starts every bulk transfer whose effective instant has come and works it through to the end. Safe beside other
/// instances (each batch claims the job) and across restarts (pending items are picked up again).
/// </summary>
public sealed class TransferWorkerService(
    IServiceScopeFactory scopes, TransferOptions options, TransferWorkSignal signal, ILogger<TransferWorkerService> logger) : BackgroundService
{
    private readonly Dictionary<Guid, int> _failures = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<Guid> due;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    due = await scope.ServiceProvider.GetRequiredService<TransferJobRunner>().DueJobIdsAsync(stoppingToken);
                }

                foreach (var jobId in due)
                {
                    await RunAsync(jobId, stoppingToken);
                }

                await signal.WaitAsync(TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Looking for due bulk transfers failed; retrying");
                await Task.Delay(TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<TransferJobRunner>();
        try
        {
            await runner.RunAsync(jobId, options.BatchSize, cancellationToken: stoppingToken);
            _failures.Remove(jobId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The failed batch rolled back whole. Try again at the next poll; give the job up only when it keeps failing.
            var failures = _failures[jobId] = _failures.GetValueOrDefault(jobId) + 1;
            logger.LogError(e, "Bulk transfer {JobId} batch failed ({Failures} of {MaxFailures})", jobId, failures, options.MaxFailures);
            if (failures >= options.MaxFailures)
            {
                await runner.FailAsync(jobId, $"Gave up after {failures} failed batches; last: {e.GetType().Name}: {e.Message}", stoppingToken);
                _failures.Remove(jobId);
            }
        }
    }
}
