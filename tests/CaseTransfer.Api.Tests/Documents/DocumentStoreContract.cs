using System.Security.Cryptography;
using System.Text;
using CaseTransfer.Application.Documents;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Api.Tests.Documents;

/// <summary>
/// What every document store does, and what the intake over it guarantees: each store's test class runs all of it.
/// A store is given bytes and gives the same bytes back; an upload that is refused or fails part way leaves nothing;
/// bytes altered in the store are found before anyone is given them.
/// </summary>
public abstract class DocumentStoreContract : IAsyncDisposable
{
    private const int OneMegabyte = 1024 * 1024;

    private IDocumentStore? store;

    /// <summary>The store under test, made at first use (so a store that needs a service can skip the test first).</summary>
    protected IDocumentStore Store => store ??= CreateStore();

    protected abstract IDocumentStore CreateStore();

    /// <summary>Overwrites a stored document's bytes behind the store's back, as a fault or an intruder would.</summary>
    protected abstract Task AlterStoredBytesAsync(string key, byte[] bytes);

    protected abstract string ExpectedKind { get; }

    /// <summary>How many bytes of an upload still in progress have reached the store (written to disk, staged as blocks).</summary>
    protected abstract Task<long> BytesReceivedSoFarAsync(string key);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string NewKey() => $"2026/12/{Guid.NewGuid()}";

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public void The_store_says_which_kind_it_is() => Assert.Equal(ExpectedKind, Store.Kind);

    [Fact]
    public async Task A_multi_megabyte_document_reads_back_byte_for_byte()
    {
        var bytes = RandomNumberGenerator.GetBytes(9 * OneMegabyte + 12_345);
        var key = NewKey();

        await Store.PutAsync(key, new Trickle(bytes), Ct);

        Assert.True(await Store.ExistsAsync(key, Ct));
        await using var read = await Store.OpenReadAsync(key, Ct);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)), Convert.ToHexString(await SHA256.HashDataAsync(read, Ct)));
    }

    [Fact]
    public async Task A_key_is_written_once_and_the_first_bytes_stay()
    {
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream("first"u8.ToArray()), Ct);

        var refused = await Assert.ThrowsAsync<DocumentKeyExistsException>(() => Store.PutAsync(key, new MemoryStream("second"u8.ToArray()), Ct));

        Assert.Equal(key, refused.Key);
        Assert.Equal("first", await ReadTextAsync(key));
    }

    [Fact]
    public async Task Deleting_is_idempotent()
    {
        var key = NewKey();
        await Store.DeleteAsync(key, Ct);
        await Store.PutAsync(key, new MemoryStream("notes"u8.ToArray()), Ct);

        await Store.DeleteAsync(key, Ct);
        await Store.DeleteAsync(key, Ct);

        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Fact]
    public async Task Reading_a_key_with_nothing_stored_says_the_content_is_missing()
    {
        var key = NewKey();

        var missing = await Assert.ThrowsAsync<DocumentContentMissingException>(() => Store.OpenReadAsync(key, Ct));

        Assert.Equal(key, missing.Key);
        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("2026/12/../secrets")]
    [InlineData("2026/12/ABC")]
    [InlineData("2026//12")]
    [InlineData("/2026/12/a")]
    [InlineData("2026/12/a.pdf")]
    [InlineData("2026\\12\\a")]
    [InlineData("")]
    public async Task A_key_outside_the_key_shape_is_refused(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.OpenReadAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ExistsAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(key, Ct));
    }

    [Fact]
    public async Task An_accepted_PDF_is_stored_with_its_SHA_256_and_length()
    {
        var bytes = Pdf(700_000);
        var key = NewKey();

        var stored = await Intake().StoreAsync(key, "Application/PDF; name=\"risk review.pdf\"", new Trickle(bytes), bytes.Length, Ct);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256Hex);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal("application/pdf", stored.ContentType);
        await using var read = await Intake().OpenVerifiedAsync(Guid.NewGuid(), key, stored.Sha256Hex, stored.Length, Ct);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task A_document_of_exactly_the_limit_is_accepted()
    {
        var bytes = Pdf(OneMegabyte);

        var stored = await Intake(maxBytes: OneMegabyte).StoreAsync(NewKey(), "application/pdf", new Trickle(bytes), null, Ct);

        Assert.Equal(OneMegabyte, stored.Length);
    }

    [Fact]
    public async Task A_declared_PDF_that_is_a_PNG_is_refused_and_nothing_is_stored()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. RandomNumberGenerator.GetBytes(5_000)];
        var key = NewKey();

        var refused = await Assert.ThrowsAsync<DocumentRefusedException>(() => Intake().StoreAsync(key, "application/pdf", new MemoryStream(png), png.Length, Ct));

        Assert.Equal(("document-type-mismatch", 415), (refused.Rule, refused.Status));
        Assert.Equal("Declared application/pdf but the content does not start with %PDF-.", refused.Message);
        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Fact]
    public async Task A_type_that_is_not_accepted_is_refused_and_nothing_is_stored()
    {
        var key = NewKey();
        byte[] executable = [0x4D, 0x5A, 0x90, 0x00, .. RandomNumberGenerator.GetBytes(5_000)];

        var refused = await Assert.ThrowsAsync<DocumentRefusedException>(() => Intake().StoreAsync(key, "application/x-msdownload", new MemoryStream(executable), null, Ct));

        Assert.Equal(("document-type-not-accepted", 415), (refused.Rule, refused.Status));
        Assert.StartsWith("The document was refused: application/x-msdownload is not an accepted document type. Accepted types are application/pdf, ", refused.Message, StringComparison.Ordinal);
        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Fact]
    public async Task An_empty_document_is_refused()
    {
        var key = NewKey();

        var refused = await Assert.ThrowsAsync<DocumentRefusedException>(() => Intake().StoreAsync(key, "text/plain", new MemoryStream(), 0, Ct));

        Assert.Equal(("document-empty", 400), (refused.Rule, refused.Status));
        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_the_body_is_read()
    {
        var body = new Trickle(Pdf(OneMegabyte + 1));
        var key = NewKey();

        var refused = await Assert.ThrowsAsync<DocumentRefusedException>(() => Intake(maxBytes: OneMegabyte).StoreAsync(key, "application/pdf", body, OneMegabyte + 1, Ct));

        Assert.Equal(("document-too-large", 413), (refused.Rule, refused.Status));
        Assert.Equal(0, body.Delivered);
        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1_000L)]
    public async Task A_body_that_grows_past_the_limit_is_refused_and_nothing_is_left(long? declaredLength)
    {
        var key = NewKey();

        var refused = await Assert.ThrowsAsync<DocumentRefusedException>(
            () => Intake(maxBytes: OneMegabyte).StoreAsync(key, "application/pdf", new Trickle(Pdf(OneMegabyte + 1)), declaredLength, Ct));

        Assert.Equal(("document-too-large", 413), (refused.Rule, refused.Status));
        Assert.False(await Store.ExistsAsync(key, Ct));
    }

    [Fact]
    public async Task A_client_that_goes_away_half_way_leaves_nothing()
    {
        var key = NewKey();
        var body = new Trickle(Pdf(6 * OneMegabyte), failAfter: 3 * OneMegabyte);

        var aborted = await Assert.ThrowsAsync<IOException>(() => Intake().StoreAsync(key, "application/pdf", body, 6 * OneMegabyte, Ct));

        Assert.Equal(Trickle.AbortMessage, aborted.Message);
        Assert.False(await Store.ExistsAsync(key, Ct));
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task A_large_upload_reaches_the_store_as_it_arrives_rather_than_held_whole_in_memory()
    {
        var key = NewKey();
        long delivered = 0, received = 0;
        Trickle? body = null;
        body = new Trickle(Pdf(24 * OneMegabyte), pause: (20 * OneMegabyte, async () =>
        {
            delivered = body!.Delivered;
            received = await BytesReceivedSoFarAsync(key);
        }));

        await Intake().StoreAsync(key, "application/pdf", body, null, Ct);

        // Slack for what is in flight: a copy buffer on disk; up to three 4 MB blocks in Azure.
        Assert.True(delivered >= 20 * OneMegabyte, $"paused at {delivered}");
        Assert.InRange(received, Math.Max(1, delivered - (12 * OneMegabyte)), delivered);
    }

    [Fact]
    public async Task A_document_altered_in_the_store_fails_its_integrity_check_naming_it()
    {
        var (key, bytes, stored) = await StoreTextAsync();
        bytes[^10] ^= 0x01;
        await AlterStoredBytesAsync(key, bytes);
        var documentId = Guid.NewGuid();
        var logger = new RecordingLogger();

        var failure = await Assert.ThrowsAsync<DocumentIntegrityException>(
            () => Intake(logger: logger).OpenVerifiedAsync(documentId, key, stored.Sha256Hex, stored.Length, Ct));

        Assert.Equal(documentId, failure.DocumentId);
        Assert.Equal(
            $"Document {documentId} failed its integrity check: the stored bytes do not match the SHA-256 recorded at upload.",
            failure.Message);
        var logged = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains(documentId.ToString(), logged.Message, StringComparison.Ordinal);
        Assert.Contains(key, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_cut_short_in_the_store_fails_its_integrity_check()
    {
        var (key, bytes, stored) = await StoreTextAsync();
        await AlterStoredBytesAsync(key, bytes[..^1]);

        await Assert.ThrowsAsync<DocumentIntegrityException>(() => Intake().OpenVerifiedAsync(Guid.NewGuid(), key, stored.Sha256Hex, stored.Length, Ct));
    }

    [Fact]
    public async Task A_document_altered_between_the_check_and_the_read_is_cut_short_rather_than_given_out()
    {
        var (key, bytes, stored) = await StoreTextAsync();
        var altered = bytes.ToArray();
        altered[^1] = (byte)'?';
        var racing = new AlteredOnSecondOpen(Store, () => AlterStoredBytesAsync(key, altered));
        var logger = new RecordingLogger();
        var documentId = Guid.NewGuid();
        await using var read = await new DocumentIntake(racing, new DocumentOptions(), logger).OpenVerifiedAsync(documentId, key, stored.Sha256Hex, stored.Length, Ct);
        var answer = new MemoryStream();

        var failure = await Assert.ThrowsAsync<DocumentIntegrityException>(() => read.CopyToAsync(answer, Ct));

        Assert.Equal(documentId, failure.DocumentId);
        Assert.True(answer.Length < bytes.Length, $"{answer.Length} of {bytes.Length} bytes were given out");
        Assert.Contains(documentId.ToString(), Assert.Single(logger.Entries).Message, StringComparison.Ordinal);
    }

    /// <summary>A store that writes temporary files checks none are left after a failed upload.</summary>
    protected virtual Task AssertNothingLeftBehindAsync() => Task.CompletedTask;

    private DocumentIntake Intake(long maxBytes = DocumentOptions.DefaultMaxBytes, RecordingLogger? logger = null) =>
        new(Store, new DocumentOptions { MaxBytes = maxBytes }, logger ?? new RecordingLogger());

    private async Task<(string Key, byte[] Bytes, StoredDocument Stored)> StoreTextAsync()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Home visit: no concerns raised. ", 20_000)));
        var key = NewKey();
        var stored = await Intake().StoreAsync(key, "text/plain; charset=utf-8", new MemoryStream(bytes), bytes.Length, Ct);
        return (key, bytes, stored);
    }

    private async Task<string> ReadTextAsync(string key)
    {
        await using var read = await Store.OpenReadAsync(key, Ct);
        using var reader = new StreamReader(read);
        return await reader.ReadToEndAsync(Ct);
    }

    private static byte[] Pdf(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    /// <summary>
    /// A request body as it arrives from the network: not seekable, in chunks of varying size; optionally the client
    /// goes away part way.
    /// </summary>
    /// <remarks>MemoryStream's span and async reads come to the array read in a subclass, so it is the one to override.</remarks>
    private sealed class Trickle(byte[] bytes, int failAfter = int.MaxValue, (long At, Func<Task> Observe)? pause = null)
        : MemoryStream(bytes, writable: false)
    {
        private (long At, Func<Task> Observe)? pause = pause;

        public const string AbortMessage = "The client went away.";

        public long Delivered { get; private set; }

        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Delivered >= failAfter)
            {
                throw new IOException(AbortMessage);
            }

            var n = base.Read(buffer, offset, (int)Math.Min(count, 1 + (Delivered * 7919 % 65_000)));
            Delivered += n;
            return n;
        }

        /// <summary>Once the body has delivered <c>pause.At</c> bytes, the next read waits while the test looks at the store.</summary>
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (pause is { } p && Delivered >= p.At)
            {
                pause = null;
                await p.Observe();
            }

            return await base.ReadAsync(buffer, cancellationToken);
        }
    }

    /// <summary>The store as seen by a reader that loses a race with someone altering the bytes between its two reads.</summary>
    private sealed class AlteredOnSecondOpen(IDocumentStore inner, Func<Task> alter) : IDocumentStore
    {
        private int opens;

        public string Kind => inner.Kind;

        public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) => inner.PutAsync(key, content, cancellationToken);

        public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
        {
            if (++opens == 2)
            {
                await alter();
            }

            return await inner.OpenReadAsync(key, cancellationToken);
        }

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => inner.ExistsAsync(key, cancellationToken);
    }

    private sealed class RecordingLogger : ILogger<DocumentIntake>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
