using CaseTransfer.Application.Common;
using CaseTransfer.Application.Sharing;
using CaseTransfer.Domain.Documents;
using Mediator;

namespace CaseTransfer.Application.Documents;

/// <summary>
/// An upload from end to end: the caller's standing is checked before a byte is read, the bytes stream into the store
/// (typed, hashed and limited as they come), then the document is recorded in one audited transaction. Whatever fails
/// after the bytes are stored removes them, so a refused upload leaves neither a blob nor a row.
/// </summary>
public sealed class DocumentUploads(IMediator mediator, DocumentIntake intake, IDocumentStore store, IRequestContext request, TimeProvider clock)
{
    public async Task<DocumentView> UploadAsync(
        string crn, string? fileName, string? title, string? contentType, long? length, Stream body, CancellationToken cancellationToken)
    {
        await mediator.Send(new CheckDocumentUpload(crn, fileName, title), cancellationToken);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var key = Document.StorageKeyFor(id, now);
        var stored = await intake.StoreAsync(key, contentType, body, length, cancellationToken);
        try
        {
            var view = await mediator.Send(
                new RecordDocument(crn, fileName!, title, stored.ContentType, stored.Length, stored.Sha256Hex) { DocumentId = id, StorageKey = key },
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
