using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Documents;

/// <summary>
/// Where a document stands with the malware scanner. <see cref="Pending"/> until clamd gives a verdict, then
/// <see cref="Clean"/> or <see cref="Infected"/>, never back. <see cref="NotScanned"/>: stored while scanning was
/// switched off (or before scanning existed); readable as before, and scanned once scanning is switched on.
/// </summary>
public enum ScanStatus
{
    Pending,
    Clean,
    Infected,
    NotScanned,
}

/// <summary>
/// A document uploaded about a case: kept in the blob store under <see cref="StorageKey"/> with the SHA-256 computed
/// while it streamed in, checked on every read. Its owner organisation sees it; another sees it only through a live
/// share that gives it. Its bytes never change once stored; its scan status moves once, from Pending (or NotScanned)
/// to Clean or Infected. Nobody reads the bytes of a Pending or Infected document, and an Infected one is seen by its
/// owner organisation alone, with the signature that matched; its bytes are moved to quarantine.
/// </summary>
public sealed class Document : AggregateRoot
{
    public const int FileNameMaxLength = 255;
    public const int SignatureMaxLength = 200;

    /// <summary>Where an infected document's bytes are moved: under this prefix of the store, out of the served keys.</summary>
    public const string QuarantinePrefix = "quarantine/";
    public const int TitleMaxLength = 300;
    public const int ContentTypeMaxLength = 100;
    public const int StorageKeyMaxLength = 100;

    private Document()
    {
    }

    public Document(
        Guid id, Guid caseId, Crn crn, string ownerOrganisationCode, string uploadedBy, DateTimeOffset uploadedAt,
        string fileName, string? title, string contentType, long length, string sha256, string storageKey)
    {
        Id = id;
        CaseId = caseId;
        Crn = crn;
        OwnerOrganisationCode = ownerOrganisationCode;
        UploadedBy = uploadedBy;
        UploadedAt = uploadedAt;
        FileName = fileName;
        Title = title;
        ContentType = contentType;
        Length = length;
        Sha256 = sha256;
        StorageKey = storageKey;
        ScanStatus = ScanStatus.Pending;
        Version = 1;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public string OwnerOrganisationCode { get; private set; } = null!;
    public string UploadedBy { get; private set; } = null!;
    public DateTimeOffset UploadedAt { get; private set; }
    public string FileName { get; private set; } = null!;
    public string? Title { get; private set; }
    public string ContentType { get; private set; } = null!;
    public long Length { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the bytes as uploaded.</summary>
    public string Sha256 { get; private set; } = null!;
    public string StorageKey { get; private set; } = null!;

    public ScanStatus ScanStatus { get; private set; }

    /// <summary>The name of the signature the scanner found, when <see cref="ScanStatus.Infected"/>.</summary>
    public string? ScanSignature { get; private set; }

    /// <summary>When the verdict was given (Clean or Infected).</summary>
    public DateTimeOffset? ScannedAt { get; private set; }

    /// <summary>Scans tried without a verdict (the scanner down, timing out or erring).</summary>
    public int ScanAttempts { get; private set; }

    /// <summary>When the next scan is due, while the document awaits a verdict; null once it has one.</summary>
    public DateTimeOffset? NextScanAt { get; private set; }

    public long Version { get; private set; }

    /// <summary>Its bytes may be served: scanned clean, or stored while scanning was off.</summary>
    public bool IsReadable => ScanStatus is ScanStatus.Clean or ScanStatus.NotScanned;

    /// <summary>Awaits a verdict the background scanner will try to get.</summary>
    public bool AwaitsScan => ScanStatus is ScanStatus.Pending or ScanStatus.NotScanned;

    /// <summary>Stored while scanning is switched off: readable, and scanned when scanning is switched on.</summary>
    public void NotScanned()
    {
        EnsureAwaitingScan();
        ScanStatus = ScanStatus.NotScanned;
        NextScanAt = null;
    }

    /// <summary>The scanner found nothing.</summary>
    public void ScannedClean(DateTimeOffset at)
    {
        EnsureAwaitingScan();
        ScanStatus = ScanStatus.Clean;
        ScannedAt = at;
        NextScanAt = null;
        Version++;
    }

    /// <summary>
    /// The scanner found <paramref name="signature"/>: the document is never served again, its bytes are now under
    /// <paramref name="quarantineKey"/> (out of the served keys), and its owner organisation hears of it.
    /// </summary>
    public void ScannedInfected(string signature, string quarantineKey, DateTimeOffset at)
    {
        EnsureAwaitingScan();
        if (!quarantineKey.StartsWith(QuarantinePrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A quarantine key starts with {QuarantinePrefix}.", nameof(quarantineKey));
        }

        ScanStatus = ScanStatus.Infected;
        ScanSignature = string.IsNullOrWhiteSpace(signature) ? "unnamed" : signature.Trim()[..Math.Min(signature.Trim().Length, SignatureMaxLength)];
        ScannedAt = at;
        NextScanAt = null;
        StorageKey = quarantineKey;
        Version++;
        Raise(new DocumentEvent("infected", $"Document found infected by the malware scanner ({ScanSignature}) and quarantined", this, at));
    }

    /// <summary>
    /// A scan gave no verdict (the scanner down, timing out or erring): the status stays as it was, and the next try is
    /// due after <paramref name="retryAfter"/>. Never a reason to call the document clean.
    /// </summary>
    public void ScanFailed(DateTimeOffset at, TimeSpan retryAfter)
    {
        EnsureAwaitingScan();
        ScanAttempts++;
        NextScanAt = at + retryAfter;
    }

    /// <summary>The bytes may be served; 409 naming the rule otherwise (who may see an infected document at all is the caller's check).</summary>
    public void EnsureReadable()
    {
        switch (ScanStatus)
        {
            case ScanStatus.Pending:
                throw new DomainRuleViolation(
                    "document-not-scanned",
                    "The document has not been scanned for malware yet; its bytes are served once the scanner finds it clean. Its metadata shows scanStatus.");
            case ScanStatus.Infected:
                throw new DomainRuleViolation(
                    "document-infected",
                    $"The malware scanner found {ScanSignature} in the document; it is quarantined and never served.");
        }
    }

    /// <summary>The quarantine key for the bytes now under <paramref name="storageKey"/>: one of its own per attempt, so two scanners never share one.</summary>
    public static string QuarantineKeyFor(string storageKey, Guid attempt) => $"{QuarantinePrefix}{storageKey}/{attempt:N}";

    /// <summary>Where the bytes are kept: by month of upload, then id, so one directory never holds every document.</summary>
    public static string StorageKeyFor(Guid id, DateTimeOffset at) => $"{at.UtcDateTime:yyyy}/{at.UtcDateTime:MM}/{id:D}";

    private void EnsureAwaitingScan()
    {
        if (!AwaitsScan)
        {
            throw new DomainRuleViolation("document-already-scanned", $"The document was already scanned: {ScanStatus}.");
        }
    }
}

/// <summary>
/// A document's scan that partner systems hear about (<c>case-transfer.document.{kind}</c>): references and the
/// signature's name, never the content. Heard by the owner organisation alone.
/// </summary>
public sealed record DocumentEvent(
    string Kind,
    string Description,
    string Crn,
    Guid DocumentId,
    string Organisation,
    ScanStatus ScanStatus,
    string? Signature,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [Organisation];
    bool IDomainEvent.PartiesOnly => true;

    public DocumentEvent(string kind, string description, Document document, DateTimeOffset at)
        : this(kind, description, document.Crn.Value, document.Id, document.OwnerOrganisationCode, document.ScanStatus, document.ScanSignature, at)
    {
    }

    public string EventType => $"case-transfer.document.{Kind}";
    string? IDomainEvent.Crn => Crn;
}
