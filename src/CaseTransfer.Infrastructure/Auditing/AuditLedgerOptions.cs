using System.Security.Cryptography;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Domain.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Infrastructure.Auditing;

/// <summary>The <c>Audit</c> configuration section: the log's name, key and rhythm.</summary>
public sealed class AuditLedgerOptions
{
    public const string Section = "Audit";

    /// <summary>The checkpoint origin line and the note key's name.</summary>
    public string Origin { get; set; } = "case-transfer.example/audit-log";

    /// <summary>Base64 32-byte Ed25519 seed. Without it, a seed is kept in <see cref="SigningKeyPath"/> (created once).</summary>
    public string? SigningKeySeed { get; set; }

    public string SigningKeyPath { get; set; } = "data/audit-signing-seed";

    /// <summary>How often the integrator appends committed entries to the tree; 0 switches the background integrator off.</summary>
    public int IntegrationIntervalMilliseconds { get; set; } = 500;

    /// <summary>
    /// How often the background integrator sweeps its late-commit window (entries that committed after higher
    /// sequence numbers were integrated); the passes between sweeps read only the entries above what is integrated.
    /// 0 sweeps on every pass. With the integration and checkpoint intervals it must fit in <see cref="MaxMergeDelaySeconds"/> (<see cref="Validate"/>).
    /// </summary>
    public int LateCommitSweepSeconds { get; set; } = 5;

    public int CheckpointIntervalSeconds { get; set; } = 10;

    /// <summary>The longest a receipt promises an entry may wait before it is in a signed checkpoint.</summary>
    public int MaxMergeDelaySeconds { get; set; } = 60;

    /// <summary>
    /// How long after the instant it claims an entry may be integrated before verification reports it as possibly inserted
    /// after the fact (<c>late-entry</c>), unless a recorded start-up recovery explains it. Null: the merge delay plus five
    /// minutes. It must exceed the merge delay, within which every entry is integrated in the ordinary way.
    /// </summary>
    public int? LateEntryLimitSeconds { get; set; }

    public TimeSpan LateEntryLimit => TimeSpan.FromSeconds(LateEntryLimitSeconds ?? (MaxMergeDelaySeconds + DefaultLateEntryMarginSeconds));

    public const int DefaultLateEntryMarginSeconds = 300;

    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// Refuses a rhythm that cannot keep the receipts' promise: a late commit waits for the next sweep (up to the sweep
    /// interval plus two integration intervals: the pause and the pass in flight) and then for the next signed
    /// checkpoint (up to the checkpoint interval), and together they must be less than the merge delay. Checked when the
    /// background integrator is configured, so a misconfigured service does not start.
    /// </summary>
    public void Validate()
    {
        if (LateCommitSweepSeconds < 0)
        {
            throw new InvalidOperationException($"{Section}:{nameof(LateCommitSweepSeconds)} must not be negative (0 sweeps on every pass); it is {LateCommitSweepSeconds}.");
        }

        if (LateEntryLimit <= TimeSpan.FromSeconds(MaxMergeDelaySeconds))
        {
            throw new InvalidOperationException(
                $"{Section}:{nameof(LateEntryLimitSeconds)} ({LateEntryLimit.TotalSeconds} s) must be more than {Section}:{nameof(MaxMergeDelaySeconds)} " +
                $"({MaxMergeDelaySeconds} s): every entry is integrated within the merge delay, so a shorter limit would call ordinary entries late.");
        }

        if (BatchSize < 1)
        {
            throw new InvalidOperationException($"{Section}:{nameof(BatchSize)} must be at least 1; it is {BatchSize}.");
        }

        if (LateCommitSweepSeconds + (2 * IntegrationIntervalMilliseconds / 1000.0) + CheckpointIntervalSeconds >= MaxMergeDelaySeconds)
        {
            throw new InvalidOperationException(
                $"{Section}:{nameof(LateCommitSweepSeconds)} ({LateCommitSweepSeconds} s) plus twice {Section}:{nameof(IntegrationIntervalMilliseconds)} " +
                $"({IntegrationIntervalMilliseconds} ms) plus {Section}:{nameof(CheckpointIntervalSeconds)} ({CheckpointIntervalSeconds} s) must be less " +
                $"than {Section}:{nameof(MaxMergeDelaySeconds)} ({MaxMergeDelaySeconds} s): a late commit waits that long for the sweep that " +
                "integrates it and the checkpoint that signs it, and every receipt promises a signed checkpoint within the merge delay.");
        }
    }
}

public sealed class AuditLedgerKeys : IAuditLedgerKeys, IDisposable
{
    public AuditLedgerKeys(AuditLedgerOptions options)
    {
        Origin = options.Origin;
        MaxMergeDelaySeconds = options.MaxMergeDelaySeconds;
        LateEntryLimit = options.LateEntryLimit;
        Signer = NoteSigner.FromSeed(options.Origin, Seed(options));
    }

    public string Origin { get; }
    public NoteSigner Signer { get; }
    public NoteVerifier Verifier => Signer.Verifier;
    public int MaxMergeDelaySeconds { get; }
    public TimeSpan LateEntryLimit { get; }

    public void Dispose() => Signer.Dispose();

    private static byte[] Seed(AuditLedgerOptions options)
    {
        if (options.SigningKeySeed is { Length: > 0 } configured)
        {
            return Convert.FromBase64String(configured);
        }

        if (!File.Exists(options.SigningKeyPath))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.SigningKeyPath))!);
            File.WriteAllText(options.SigningKeyPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return Convert.FromBase64String(File.ReadAllText(options.SigningKeyPath).Trim());
    }
}

/// <summary>
/// When the background integrator sweeps its late-commit window: on its first pass, then once
/// <see cref="AuditLedgerOptions.LateCommitSweepSeconds"/> have passed since the last complete sweep (or the clock went
/// back), and on any pass that could carry the integrated high-water mark <see cref="LedgerIntegrator.MaxAdvanceBetweenSweeps"/>
/// past the mark that sweep read: a bulk load integrated by ordinary passes would otherwise carry a late commit out of
/// reach before the next timed sweep. The pass decides on the mark it has just read, so what other instances appended
/// counts too. A sweep that fills its batch with late commits alone is not complete: the next pass sweeps again.
/// </summary>
public sealed class LateCommitSweepSchedule(TimeSpan interval, long maxAdvance, int batchSize)
{
    private DateTimeOffset? _lastSweep;
    private long _highWaterAtSweep;

    public LateCommitSweepSchedule(AuditLedgerOptions options)
        : this(TimeSpan.FromSeconds(options.LateCommitSweepSeconds), LedgerIntegrator.MaxAdvanceBetweenSweeps, options.BatchSize)
    {
    }

    /// <summary>Complete sweeps so far (a diagnostic).</summary>
    public long Sweeps { get; private set; }

    /// <summary>Whether a pass that started at <paramref name="now"/> and read the mark <paramref name="highWater"/> must sweep.</summary>
    public bool IsDue(DateTimeOffset now, long highWater) =>
        _lastSweep is not { } last || now < last || now - last >= interval || highWater + batchSize - _highWaterAtSweep >= maxAdvance;

    /// <summary>
    /// For a pass that started at <paramref name="now"/> and read the mark <paramref name="highWater"/>: the floor to
    /// sweep above, or null for an ordinary pass. A sweep reaches <see cref="LedgerIntegrator.SweepReach"/> below the
    /// mark and at least the window below the mark the last complete sweep read, so a late commit within the window of
    /// that sweep is found however far the mark has moved since (batches of committed entries skip the sequence
    /// numbers of uncommitted and rolled-back ones, so the mark can move further than the passes' counts suggest).
    /// </summary>
    public long? FloorFor(DateTimeOffset now, long highWater) =>
        !IsDue(now, highWater) ? null
        : _lastSweep is null ? LedgerIntegrator.SweepFloor(highWater)
        : Math.Min(LedgerIntegrator.SweepFloor(highWater), _highWaterAtSweep - LedgerIntegrator.LateCommitWindow);

    /// <summary>Records a finished pass, which started at <paramref name="startedAt"/>.</summary>
    public void Completed(LedgerPass pass, DateTimeOffset startedAt)
    {
        // A sweep is complete when it took every pending entry below the mark it read: it did not fill its batch, or
        // it went on past that mark (the batch is in sequence order). While a bulk load keeps batches full, the second
        // keeps the passes ordinary again after one sweep instead of sweeping until the load is over.
        if (pass.Swept && (pass.Integrated < batchSize || pass.HighWaterMark > pass.HighWaterMarkBefore))
        {
            // Everything committed before this pass read the window, and within it, is now integrated.
            _lastSweep = startedAt;
            _highWaterAtSweep = pass.HighWaterMarkBefore;
            Sweeps++;
        }
    }
}

/// <summary>
/// Integrates committed entries shortly after commit and signs checkpoints at the configured interval. Ordinary passes
/// read only the entries above what is integrated; the late-commit window is swept as <see cref="LateCommitSweepSchedule"/> says.
/// <para>
/// It starts with a recovery (<see cref="LedgerIntegrator.RecoverAsync"/>): everything committed before this instance
/// started is integrated, and anything that is late by then (the service stopped without integrating it, and started
/// again long after) is named in the log by a recovery entry, so verification does not call a restart tampering. The
/// recovery runs in <see cref="StartAsync"/>, which the host awaits before the web server starts (hosted services start
/// in order, and the server comes last), so before any request is accepted; when the database cannot be reached then,
/// the first pass that can reach it recovers instead. On a graceful stop, after the server has stopped taking requests
/// (hosted services stop in reverse order), <see cref="StopAsync"/> drains: it integrates until nothing is left and
/// signs a checkpoint, within the host's shutdown timeout, so an ordinary stop leaves nothing for the next start to recover.
/// </para>
/// </summary>
public sealed class AuditLedgerService(IServiceScopeFactory scopes, AuditLedgerOptions options, TimeProvider clock, ILogger<AuditLedgerService> logger)
    : BackgroundService
{
    private readonly LateCommitSweepSchedule _sweeps = new(options);
    private bool _recovered;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RecoverAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Audit log recovery at start-up did not complete; the integrator's first pass will recover instead");
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var integrated = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var integrator = scope.ServiceProvider.GetRequiredService<LedgerIntegrator>();
            int batch;
            while ((batch = await integrator.IntegrateAsync(options.BatchSize, cancellationToken)) > 0)
            {
                integrated += batch;
            }

            var checkpoint = await integrator.CheckpointAsync(cancellationToken);
            logger.LogInformation(
                "Audit log drained at stop: {Integrated} entries integrated; tree size {TreeSize}, {Checkpoint}",
                integrated, await integrator.TreeSizeAsync(cancellationToken), checkpoint is null ? "already under a signed checkpoint" : "checkpoint signed");
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Audit log drain at stop did not complete ({Integrated} entries integrated); the next start will recover the rest", integrated);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextCheckpoint = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_recovered)
                {
                    await RecoverAsync(stoppingToken);
                }

                await using var scope = scopes.CreateAsyncScope();
                var integrator = scope.ServiceProvider.GetRequiredService<LedgerIntegrator>();
                LedgerPass pass;
                do
                {
                    var startedAt = clock.GetUtcNow();
                    pass = await integrator.PassAsync(options.BatchSize, mark => _sweeps.FloorFor(startedAt, mark), stoppingToken);
                    Completed(pass, startedAt);

                    // Signed as it falls due, within a long drain too: receipts promise a checkpoint within the merge delay.
                    if (clock.GetUtcNow() >= nextCheckpoint)
                    {
                        await integrator.CheckpointAsync(stoppingToken);
                        nextCheckpoint = clock.GetUtcNow().AddSeconds(options.CheckpointIntervalSeconds);
                    }
                }
                while (pass.Integrated == options.BatchSize);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Another instance won the race for the next leaves, or the database blinked: try again next tick.
                logger.LogWarning(ex, "Audit log integration did not complete; retrying");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(options.IntegrationIntervalMilliseconds), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Integrates everything committed so far, naming in the log what is late, and signs a checkpoint.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        // One trace for the recovery's log lines and its audit entries.
        using var activity = new System.Diagnostics.Activity("AuditLogRecovery").Start();
        await using var scope = scopes.CreateAsyncScope();
        var integrator = scope.ServiceProvider.GetRequiredService<LedgerIntegrator>();
        var startedAt = clock.GetUtcNow();
        var recovery = await integrator.RecoverAsync(scope.ServiceProvider.GetRequiredService<AuditTrail>(), options.BatchSize, cancellationToken);
        Completed(recovery.LastPass, startedAt);
        await integrator.CheckpointAsync(cancellationToken);
        _recovered = true;
        if (recovery.Records.Count > 0)
        {
            logger.LogWarning(
                "Audit log recovered at start-up: {Integrated} entries committed before the service stopped were integrated, {Late} of them later than the late-entry limit; recorded in {Records} recovery entries, the first {RecoveryEntryId}: {Summary}",
                recovery.Integrated, recovery.Late, recovery.Records.Count, recovery.Records[0].Id, recovery.Records[0].Summary);
        }
        else if (recovery.Integrated > 0)
        {
            logger.LogInformation("Audit log recovered at start-up: {Integrated} entries committed before this instance started were integrated", recovery.Integrated);
        }
    }

    /// <summary>Tells the sweep schedule about a finished pass (a recovery is a sweep) and logs it.</summary>
    private void Completed(LedgerPass pass, DateTimeOffset startedAt)
    {
        _sweeps.Completed(pass, startedAt);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug(
                "Audit log pass: {Kind}, {Integrated} entries integrated, high-water mark {Before} -> {After}, {Sweeps} sweeps so far",
                pass.Swept ? "sweep" : "ordinary", pass.Integrated, pass.HighWaterMarkBefore, pass.HighWaterMark, _sweeps.Sweeps);
        }
    }
}
