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
/// </summary>
public sealed class AuditLedgerService(IServiceScopeFactory scopes, AuditLedgerOptions options, TimeProvider clock, ILogger<AuditLedgerService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextCheckpoint = clock.GetUtcNow();
        var sweeps = new LateCommitSweepSchedule(options);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var integrator = scope.ServiceProvider.GetRequiredService<LedgerIntegrator>();
                LedgerPass pass;
                do
                {
                    var startedAt = clock.GetUtcNow();
                    pass = await integrator.PassAsync(options.BatchSize, mark => sweeps.FloorFor(startedAt, mark), stoppingToken);
                    sweeps.Completed(pass, startedAt);
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        logger.LogDebug(
                            "Audit log pass: {Kind}, {Integrated} entries integrated, high-water mark {Before} -> {After}, {Sweeps} sweeps so far",
                            pass.Swept ? "sweep" : "ordinary", pass.Integrated, pass.HighWaterMarkBefore, pass.HighWaterMark, sweeps.Sweeps);
                    }

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
}
