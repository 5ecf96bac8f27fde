using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Documents;

/// <summary>
/// A document uploaded about a case: kept in the blob store under <see cref="StorageKey"/> with the SHA-256 computed
/// while it streamed in, checked on every read. Its owner organisation sees it; another sees it only through a live
/// share that gives it. Never changed once stored.
/// </summary>
public sealed class Document
{
    public const int FileNameMaxLength = 255;
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

    /// <summary>Where the bytes are kept: by month of upload, then id, so one directory never holds every document.</summary>
    public static string StorageKeyFor(Guid id, DateTimeOffset at) => $"{at.UtcDateTime:yyyy}/{at.UtcDateTime:MM}/{id:D}";
}
