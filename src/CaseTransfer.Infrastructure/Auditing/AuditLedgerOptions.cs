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

    public int CheckpointIntervalSeconds { get; set; } = 10;

    /// <summary>The longest a receipt promises an entry may wait before it is in a signed checkpoint.</summary>
    public int MaxMergeDelaySeconds { get; set; } = 60;

    public int BatchSize { get; set; } = 5_000;
}

public sealed class AuditLedgerKeys : IAuditLedgerKeys, IDisposable
{
    public AuditLedgerKeys(AuditLedgerOptions options)
    {
        Origin = options.Origin;
        MaxMergeDelaySeconds = options.MaxMergeDelaySeconds;
        Signer = NoteSigner.FromSeed(options.Origin, Seed(options));
    }

    public string Origin { get; }
    public NoteSigner Signer { get; }
    public NoteVerifier Verifier => Signer.Verifier;
    public int MaxMergeDelaySeconds { get; }

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

/// <summary>Integrates committed entries shortly after commit and signs checkpoints at the configured interval.</summary>
public sealed class AuditLedgerService(IServiceScopeFactory scopes, AuditLedgerOptions options, TimeProvider clock, ILogger<AuditLedgerService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextCheckpoint = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var integrator = scope.ServiceProvider.GetRequiredService<LedgerIntegrator>();
                while (await integrator.IntegrateAsync(options.BatchSize, stoppingToken) == options.BatchSize)
                {
                }

                if (clock.GetUtcNow() >= nextCheckpoint)
                {
                    await integrator.CheckpointAsync(stoppingToken);
                    nextCheckpoint = clock.GetUtcNow().AddSeconds(options.CheckpointIntervalSeconds);
                }
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
