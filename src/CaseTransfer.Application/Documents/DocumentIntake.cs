using System.Buffers;
using System.Security.Cryptography;
using CaseTransfer.Domain.Documents;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.Documents;

/// <summary>
/// What was stored: the SHA-256 of the bytes (lower-case hex), their count and the normalised content type, and the
/// malware scanner's verdict on them (null when scanning is off).
/// </summary>
public sealed record StoredDocument(string Sha256Hex, long Length, string ContentType, ScanVerdict? Verdict = null);

/// <summary>
/// Takes an uploaded document into the store and gives it back checked. Bytes are streamed end to end, never held
/// whole in memory; the hash is computed as they pass. A refused or failed upload leaves nothing in the store.
/// </summary>
public sealed class DocumentIntake(IDocumentStore store, DocumentOptions options, ILogger<DocumentIntake> logger)
{
    private const int BufferSize = 81920;

    /// <summary>
    /// Stores the body under <paramref name="key"/>. With a <paramref name="scanner"/>, the bytes are also sent to it as
    /// they pass on their way to the store (read once, not twice), and its verdict comes back with them; a scanner that
    /// fails gives a Failed verdict, never a failed upload.
    /// </summary>
    public async Task<StoredDocument> StoreAsync(
        string key, string? declaredContentType, Stream body, long? declaredLength, CancellationToken ct, IMalwareScanner? scanner = null)
    {
        DocumentKey.Validate(key);
        if (declaredLength > options.MaxBytes)
        {
            throw TooLarge();
        }

        var prefix = new byte[DocumentTypes.SniffLength];
        var sniffed = await body.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, ct);
        var check = DocumentTypes.Check(declaredContentType, prefix.AsSpan(0, sniffed));
        switch (check.Outcome)
        {
            case DocumentTypeOutcome.UnknownType:
                throw new DocumentRefusedException(
                    DocumentRefusedException.TypeNotAccepted,
                    $"The document was refused: {check.Reason}. Accepted types are {string.Join(", ", DocumentTypes.Accepted)}.",
                    415);
            case DocumentTypeOutcome.Mismatch when sniffed == 0:
                throw new DocumentRefusedException(DocumentRefusedException.Empty, "The document is empty.", 400);
            case DocumentTypeOutcome.Mismatch:
                throw new DocumentRefusedException(DocumentRefusedException.TypeMismatch, $"{Capitalised(check.Reason!)}.", 415);
        }

        // Nothing is in the store before this point, so a refusal above has nothing to remove (and must not remove
        // another upload's bytes under a key given twice by mistake).
        await using var scan = scanner is null ? null : await TeeScan.StartAsync(scanner, ct);
        await using var counted = new HashingStream(prefix.AsMemory(0, sniffed), body, options.MaxBytes, TooLarge, scan);
        ScanVerdict? verdict;
        try
        {
            await store.PutAsync(key, counted, ct);
            verdict = scan is null ? null : await scan.CompleteAsync(ct);
        }
        catch (Exception e) when (e is not DocumentKeyExistsException)
        {
            // The client went away, the body grew past the limit, or the store failed: the caller is told, and the
            // store keeps nothing. The request's token may be the one cancelled, so the clean-up does not take it.
            await store.DeleteAsync(key, CancellationToken.None);
            throw;
        }

        if (verdict is { Outcome: ScanOutcome.Failed } failed)
        {
            logger.LogWarning("Document under store key {Key} stored unscanned: {Problem}; it stays Pending until a retry gets a verdict", key, failed.Problem);
        }

        return new StoredDocument(Convert.ToHexStringLower(counted.Hash()), counted.Count, check.ContentType!, verdict);
    }

    /// <summary>
    /// Scans a stored document again (the background retry), reading it through the same integrity check as a read:
    /// bytes that are not those recorded at upload are never scanned into a verdict.
    /// </summary>
    public async Task<ScanVerdict> ScanStoredAsync(Guid documentId, string key, string sha256Hex, long length, IMalwareScanner scanner, CancellationToken ct)
    {
        await using var content = await OpenVerifiedAsync(documentId, key, sha256Hex, length, ct);
        await using var scan = await TeeScan.StartAsync(scanner, ct);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = await content.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                await scan.WriteAsync(buffer.AsMemory(0, n), ct);
            }

            return await scan.CompleteAsync(ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Copies the bytes under <paramref name="key"/> to a quarantine key of their own (<see cref="Document.QuarantineKeyFor"/>)
    /// and returns it. The original is left for the caller to delete once the document's row points at the copy.
    /// </summary>
    public async Task<string> QuarantineAsync(string key, CancellationToken ct)
    {
        var quarantine = Document.QuarantineKeyFor(key, Guid.NewGuid());
        await using (var content = await store.OpenReadAsync(key, ct))
        {
            try
            {
                await store.PutAsync(quarantine, content, ct);
            }
            catch
            {
                await store.DeleteAsync(quarantine, CancellationToken.None);
                throw;
            }
        }

        logger.LogWarning("Infected document's bytes moved from store key {Key} to quarantine key {Quarantine}", key, quarantine);
        return quarantine;
    }

    /// <summary>
    /// Reads the whole document once to check it against what was recorded at upload, then opens it again for the
    /// caller. The stream returned checks the bytes again as they are read and throws before giving out the last of
    /// them if they changed in between, so an answer is cut short rather than completed with altered bytes.
    /// </summary>
    public async Task<Stream> OpenVerifiedAsync(Guid documentId, string key, string sha256Hex, long length, CancellationToken ct)
    {
        var expected = Convert.FromHexString(sha256Hex);
        await using (var first = await store.OpenReadAsync(key, ct))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            long read = 0;
            try
            {
                int n;
                while ((n = await first.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    read += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (read != length || !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), expected))
            {
                throw IntegrityFailure(documentId, key, "before reading", read, length);
            }
        }

        var second = await store.OpenReadAsync(key, ct);
        return new VerifyingStream(second, expected, length, read => IntegrityFailure(documentId, key, "while reading", read, length));
    }

    private DocumentIntegrityException IntegrityFailure(Guid documentId, string key, string when, long read, long length)
    {
        logger.LogError(
            "Document {DocumentId} (store key {Key}, {Store}) failed its integrity check {When}: {Read} bytes read, {Length} recorded; the bytes or their SHA-256 differ from upload",
            documentId, key, store.Kind, when, read, length);
        return new DocumentIntegrityException(documentId);
    }

    private DocumentRefusedException TooLarge() => new(
        DocumentRefusedException.TooLarge, $"The document is larger than the limit of {options.MaxBytes} bytes.", 413);

    private static string Capitalised(string reason) => char.ToUpperInvariant(reason[0]) + reason[1..];

    /// <summary>
    /// The upload as the store reads it: the sniffed prefix, then the rest of the body, hashed and counted as it
    /// passes; reading past the limit throws, so an undeclared or understated length cannot store more.
    /// </summary>
    private sealed class HashingStream(ReadOnlyMemory<byte> prefix, Stream body, long maxBytes, Func<Exception> tooLarge, TeeScan? scan) : HashedReadStream
    {
        private ReadOnlyMemory<byte> pending = prefix;

        public long Count { get; private set; }

        public byte[] Hash() => Sha256.GetHashAndReset();

        public override int Read(Span<byte> buffer)
        {
            var n = TakePending(buffer);
            n = Counted(buffer[..(n > 0 ? n : body.Read(buffer))]);
            if (scan is not null)
            {
                // Stores read asynchronously; a synchronous reader waits for the scanner as well.
                scan.WriteAsync(buffer[..n].ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = TakePending(buffer.Span);
            if (n == 0)
            {
                n = await body.ReadAsync(buffer, cancellationToken);
            }

            n = Counted(buffer.Span[..n]);
            if (scan is not null)
            {
                await scan.WriteAsync(buffer[..n], cancellationToken);
            }

            return n;
        }

        private int TakePending(Span<byte> buffer)
        {
            var n = Math.Min(pending.Length, buffer.Length);
            pending.Span[..n].CopyTo(buffer);
            pending = pending[n..];
            return n;
        }

        private int Counted(ReadOnlySpan<byte> chunk)
        {
            Count += chunk.Length;
            if (Count > maxBytes)
            {
                throw tooLarge();
            }

            Sha256.AppendData(chunk);
            return chunk.Length;
        }
    }

    /// <summary>
    /// A stored document as it is read out, hashed as it passes. The chunk that completes the recorded length is
    /// handed out only after the hash is found equal and the store has nothing more.
    /// </summary>
    private sealed class VerifyingStream(Stream stored, byte[] expected, long length, Func<long, Exception> failure) : HashedReadStream
    {
        private readonly byte[] probe = new byte[1];
        private long read;
        private bool verified;

        public override int Read(Span<byte> buffer)
        {
            if (verified || buffer.IsEmpty)
            {
                return 0;
            }

            var n = stored.Read(buffer);
            return Checked(buffer[..n], read + n >= length ? stored.Read(probe) : 0);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (verified || buffer.IsEmpty)
            {
                return 0;
            }

            var n = await stored.ReadAsync(buffer, cancellationToken);
            var beyond = read + n >= length ? await stored.ReadAsync(probe, cancellationToken) : 0;
            return Checked(buffer.Span[..n], beyond);
        }

        /// <summary><paramref name="beyond"/>: bytes the store still had once the recorded length was reached.</summary>
        private int Checked(ReadOnlySpan<byte> chunk, int beyond)
        {
            read += chunk.Length;
            Sha256.AppendData(chunk);
            if (read > length || beyond > 0 || (chunk.IsEmpty && read < length))
            {
                throw failure(read + beyond);
            }

            if (read == length)
            {
                if (!CryptographicOperations.FixedTimeEquals(Sha256.GetHashAndReset(), expected))
                {
                    throw failure(read);
                }

                verified = true;
            }

            return chunk.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                stored.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A forward-only readable stream that hashes what passes; subclasses supply the span reads.</summary>
    private abstract class HashedReadStream : Stream
    {
        protected IncrementalHash Sha256 { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public abstract override int Read(Span<byte> buffer);

        public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Sha256.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
