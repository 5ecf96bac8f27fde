using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Sharing;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Documents;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.Documents;

public static class DocumentScans
{
    /// <summary>
    /// A verdict as the document's state: none (scanning off) is NotScanned; Clean and Infected are final; Failed leaves
    /// it awaiting a scan, retried after the backoff. <paramref name="storageKey"/> is where an infected document's
    /// bytes now are (its quarantine key).
    /// </summary>
    public static void Apply(Document document, ScanVerdict? verdict, string storageKey, DateTimeOffset now, ScanningOptions scanning)
    {
        switch (verdict?.Outcome)
        {
            case null:
                document.NotScanned();
                break;
            case ScanOutcome.Clean:
                document.ScannedClean(now);
                break;
            case ScanOutcome.Infected:
                document.ScannedInfected(verdict.Signature ?? "", storageKey, now);
                break;
            default:
                document.ScanFailed(now, scanning.RetryAfter(document.ScanAttempts + 1));
                break;
        }
    }
}

/// <summary>
/// The background scanner's verdict on a document that awaited one, recorded by the service as the system actor: its
/// own audit entry (and, when infected, its event to the owner organisation), in its own transaction. Sent by
/// <see cref="DocumentRescan"/> only (no endpoint), with the version it read: of two instances scanning one document at
/// once, the second to write loses the concurrency check and its verdict is dropped (the first stands).
/// </summary>
[Authorise(Roles.Admin)]
public sealed record RecordDocumentScan(Guid DocumentId, long ExpectedVersion, ScanOutcome Outcome, string? Signature, string? QuarantineKey)
    : ICommand<DocumentView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => null;
}

public sealed class RecordDocumentScanValidator : AbstractValidator<RecordDocumentScan>
{
    public RecordDocumentScanValidator()
    {
        RuleFor(c => c.DocumentId).NotEmpty();
        RuleFor(c => c.Outcome).Must(o => o is ScanOutcome.Clean or ScanOutcome.Infected).WithMessage("must be a verdict: Clean or Infected");
        RuleFor(c => c.QuarantineKey).NotEmpty().When(c => c.Outcome == ScanOutcome.Infected);
    }
}

public sealed class RecordDocumentScanHandler(IAppDbContext db, TimeProvider clock, ScanningOptions scanning) : ICommandHandler<RecordDocumentScan, DocumentView>
{
    public async ValueTask<DocumentView> Handle(RecordDocumentScan command, CancellationToken cancellationToken)
    {
        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == command.DocumentId, cancellationToken)
            ?? throw new NotFoundException("Document", command.DocumentId.ToString());
        if (document.Version != command.ExpectedVersion)
        {
            throw new DomainRuleViolation("document-already-scanned", "The document changed since it was read for scanning.");
        }

        var verdict = new ScanVerdict(command.Outcome, command.Signature);
        DocumentScans.Apply(document, verdict, command.QuarantineKey ?? document.StorageKey, clock.GetUtcNow(), scanning);
        var view = DocumentView.From(document);
        return view with { ChangeSummary = $"document scanned by the background scanner; {view.ScanSummary}" };
    }
}

/// <summary>What one pass of the background scanner did.</summary>
public sealed record DocumentRescanResult(int Clean, int Infected, int Failed, int Skipped);

/// <summary>
/// The background scanner's pass: the documents awaiting a verdict whose next try is due (Pending after a failed
/// scan; NotScanned, stored while scanning was off), oldest first, a batch at a time. Each is re-read from the store
/// through its integrity check and streamed to the scanner. A verdict is recorded by <see cref="RecordDocumentScan"/>
/// (an infected document's bytes are copied to quarantine first, and the original removed once the row points at the
/// copy); no verdict leaves the document as it was, with its next try put back by the backoff. Never Clean without a
/// clean verdict.
/// </summary>
public sealed class DocumentRescan(
    IAppDbContext db,
    IServiceScopeFactory scopes,
    DocumentIntake intake,
    IDocumentStore store,
    IMalwareScanner scanner,
    ScanningOptions scanning,
    TimeProvider clock,
    ILogger<DocumentRescan> logger)
{
    public async Task<DocumentRescanResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Documents.AsNoTracking()
            .Where(d => (d.ScanStatus == ScanStatus.Pending || d.ScanStatus == ScanStatus.NotScanned) && (d.NextScanAt == null || d.NextScanAt <= now))
            .OrderBy(d => d.Id)
            .Take(scanning.BatchSize)
            .ToListAsync(cancellationToken);
        var (clean, infected, failed, skipped) = (0, 0, 0, 0);
        foreach (var document in due)
        {
            ScanVerdict verdict;
            try
            {
                verdict = await intake.ScanStoredAsync(document.Id, document.StorageKey, document.Sha256, document.Length, scanner, cancellationToken);
            }
            catch (Exception e) when (e is DocumentIntegrityException or DocumentContentMissingException)
            {
                // Logged by the intake (integrity) or here; a person must look. Tried again after the backoff.
                logger.LogError(e, "Document {DocumentId} could not be read for scanning", document.Id);
                verdict = ScanVerdict.Failed(e.Message);
            }

            if (verdict.Outcome == ScanOutcome.Failed)
            {
                await RecordFailureAsync(document, verdict, cancellationToken);
                failed++;
                continue;
            }

            var quarantine = verdict.Outcome == ScanOutcome.Infected ? await intake.QuarantineAsync(document.StorageKey, cancellationToken) : null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
                    new RecordDocumentScan(document.Id, document.Version, verdict.Outcome, verdict.Signature, quarantine), cancellationToken);
            }
            catch (Exception e) when (e is DomainRuleViolation or DbUpdateConcurrencyException)
            {
                // Another instance recorded a verdict first: its row stands, this copy is not needed.
                if (quarantine is not null)
                {
                    await store.DeleteAsync(quarantine, CancellationToken.None);
                }

                skipped++;
                continue;
            }
            catch
            {
                if (quarantine is not null)
                {
                    await store.DeleteAsync(quarantine, CancellationToken.None);
                }

                throw;
            }

            if (quarantine is not null)
            {
                await store.DeleteAsync(document.StorageKey, CancellationToken.None);
                logger.LogWarning("Document {DocumentId} found infected ({Signature}) by the background scanner and quarantined", document.Id, verdict.Signature);
                infected++;
            }
            else
            {
                clean++;
            }
        }

        return new DocumentRescanResult(clean, infected, failed, skipped);
    }

    /// <summary>
    /// No verdict: the attempt is counted and the next try put back, as bookkeeping of the scanner's schedule (no audit
    /// entry: nothing about the document or the case changed). Guarded by the version, so a verdict recorded meanwhile
    /// is never undone.
    /// </summary>
    private async Task RecordFailureAsync(Document document, ScanVerdict verdict, CancellationToken cancellationToken)
    {
        var attempts = document.ScanAttempts + 1;
        var next = clock.GetUtcNow() + scanning.RetryAfter(attempts);
        await db.Documents
            .Where(d => d.Id == document.Id && d.Version == document.Version && d.ScanStatus == document.ScanStatus)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ScanAttempts, attempts).SetProperty(d => d.NextScanAt, next), cancellationToken);
        logger.LogWarning(
            "Document {DocumentId} still unscanned after {Attempts} attempts: {Problem}; next try at {Next}", document.Id, attempts, verdict.Problem, next);
    }
}
