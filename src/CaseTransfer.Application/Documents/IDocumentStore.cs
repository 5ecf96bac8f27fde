namespace CaseTransfer.Application.Documents;

/// <summary>
/// Where the bytes of shared documents live: a directory on disk (the embedded default) or Azure Blob Storage. It
/// stores and returns bytes only; what they are, their hash and who may read them are the caller's.
/// </summary>
public interface IDocumentStore
{
    /// <summary><c>disk</c> or <c>azure-blob</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Reads <paramref name="content"/> to its end and stores it under <paramref name="key"/>. A key is written once:
    /// storing to a key that exists throws <see cref="DocumentKeyExistsException"/> and leaves the stored bytes alone.
    /// A failure part way (the content stream throws, cancellation) leaves nothing under the key.
    /// </summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>The stored bytes; throws <see cref="DocumentContentMissingException"/> when there are none.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the key's bytes; deleting what is not there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// The shape of a store key (<c>2026/12/{guid}</c>): lower-case letters, digits, hyphens and single slashes between
/// segments. Checked by every store, so a key can never climb out of the disk store's directory (no dots at all, so no
/// <c>..</c>) and means the same path on disk as in a blob container.
/// </summary>
public static class DocumentKey
{
    public const int MaxLength = 512;

    public static string Validate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"A document key is at most {MaxLength} characters.", nameof(key));
        }

        foreach (var c in key)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '/'))
            {
                throw new ArgumentException($"A document key holds only a-z, 0-9, '-' and '/'; '{key}' does not.", nameof(key));
            }
        }

        if (key[0] == '/' || key[^1] == '/' || key.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A document key's segments are not empty; '{key}' has an empty one.", nameof(key));
        }

        return key;
    }
}
