using CaseTransfer.Application.Common;
using CaseTransfer.Application.Sharing;
using CaseTransfer.Domain.Documents;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.Documents;

/// <summary>
/// An upload from end to end: the caller's standing is checked before a byte is read, the bytes stream into the store
/// (typed, hashed and limited as they come) and, when scanning is on, to the malware scanner at the same time; then
/// the document is recorded in one audited transaction with the scanner's verdict: Clean, Infected (its bytes moved to
/// quarantine first), or Pending when the scanner gave none (down, timing out: the background scanner retries).
/// Whatever fails after the bytes are stored removes them, so a refused upload leaves neither a blob nor a row.
/// </summary>
public sealed class DocumentUploads(
    IMediator mediator, DocumentIntake intake, IDocumentStore store, IRequestContext request, TimeProvider clock, ScanningOptions scanning,
    ILogger<DocumentUploads> logger, IMalwareScanner? scanner = null)
{
    public async Task<DocumentView> UploadAsync(
        string crn, string? fileName, string? title, string? contentType, long? length, Stream body, CancellationToken cancellationToken)
    {
        await mediator.Send(new CheckDocumentUpload(crn, fileName, title), cancellationToken);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var key = Document.StorageKeyFor(id, now);
        var stored = await intake.StoreAsync(key, contentType, body, length, cancellationToken, scanning.Enabled ? scanner : null);
        var verdict = stored.Verdict;
        if (verdict is { Outcome: ScanOutcome.Infected })
        {
            try
            {
                var quarantined = await intake.QuarantineAsync(key, cancellationToken);
                await store.DeleteAsync(key, CancellationToken.None);
                key = quarantined;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Not moved: recorded Pending (unreadable), so the background scanner finds it again and moves it.
                logger.LogError(e, "Infected document {DocumentId} could not be moved to quarantine; kept Pending for the background scanner", id);
                verdict = ScanVerdict.Failed("quarantine failed");
            }
        }

        try
        {
            var view = await mediator.Send(
                new RecordDocument(crn, fileName!, title, stored.ContentType, stored.Length, stored.Sha256Hex) { DocumentId = id, StorageKey = key, Verdict = verdict },
                cancellationToken);
            if (request.Replayed)
            {
                // A retry with the same Idempotency-Key and the same bytes: the first upload's document stands.
                await store.DeleteAsync(key, CancellationToken.None);
            }

            return view;
        }
        catch
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }
}
