namespace CaseTransfer.Application.Documents;

/// <summary>An upload refused by a document rule; nothing of it was kept. <see cref="Status"/> is the HTTP status.</summary>
public sealed class DocumentRefusedException(string rule, string message, int status) : Exception(message)
{
    public const string TooLarge = "document-too-large";
    public const string TypeNotAccepted = "document-type-not-accepted";
    public const string TypeMismatch = "document-type-mismatch";
    public const string Empty = "document-empty";

    public string Rule { get; } = rule;

    public int Status { get; } = status;
}

/// <summary>The stored bytes of a document are not those whose SHA-256 was recorded at upload.</summary>
public sealed class DocumentIntegrityException(Guid documentId)
    : Exception($"Document {documentId} failed its integrity check: the stored bytes do not match the SHA-256 recorded at upload.")
{
    public Guid DocumentId { get; } = documentId;
}

/// <summary>The store holds nothing under a key the service recorded.</summary>
public sealed class DocumentContentMissingException(string key)
    : Exception($"The document store holds nothing under '{key}'.")
{
    public string Key { get; } = key;
}

/// <summary>
/// A key is written once: a second write to it is refused, and the bytes already there are left alone (keys are new
/// GUIDs, so this is a caller's fault, never a client's).
/// </summary>
public sealed class DocumentKeyExistsException(string key)
    : Exception($"The document store already holds '{key}'; a key is written once.")
{
    public string Key { get; } = key;
}
