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

    /// <summary>
    /// Batches of one job run at once by this instance, over disjoint items, each in its own transaction on its own
    /// connection. Null: 2 on PostgreSQL (a batch is server work on one backend, so a second one puts the other core
    /// to work); always 1 on the other engines, whose batches claim the whole job (SQLite has a single writer).
    /// </summary>
    public int? Parallelism { get; set; }

    /// <summary>The parallelism for an engine whose batches claim items (<see cref="TransferJobRunner.ClaimsItems"/>) or not.</summary>
    public int ParallelismFor(bool claimsItems) => claimsItems ? Math.Max(1, Parallelism ?? DefaultPostgresParallelism) : 1;

    public const int DefaultPostgresParallelism = 2;
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
            // Each further runner has a scope, so a connection and a transaction, of its own; a batch that finds every
            // pending item claimed by a sibling gives way, and the sibling finishes the job.
            var parallelism = options.ParallelismFor(runner.ClaimsItems);
            var runs = new List<Task<bool>> { runner.RunAsync(jobId, options.BatchSize, cancellationToken: stoppingToken) };
            for (var i = 1; i < parallelism; i++)
            {
                runs.Add(RunInOwnScopeAsync(jobId, stoppingToken));
            }

            await Task.WhenAll(runs);
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

    private async Task<bool> RunInOwnScopeAsync(Guid jobId, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TransferJobRunner>().RunAsync(jobId, options.BatchSize, cancellationToken: stoppingToken);
    }
}
