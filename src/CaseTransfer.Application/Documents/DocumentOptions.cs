namespace CaseTransfer.Application.Documents;

public enum DocumentStoreKind
{
    Disk,
    AzureBlob,
}

/// <summary>Settings of document storage (<c>Documents:*</c>), checked at start.</summary>
public sealed record DocumentOptions
{
    public const string Section = "Documents";
    public const long DefaultMaxBytes = 25 * 1024 * 1024;

    /// <summary>The largest document accepted, in bytes.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    public DocumentStoreKind Store { get; init; } = DocumentStoreKind.Disk;

    /// <summary>The disk store's directory; a relative path is under the content root, as the SQLite file is.</summary>
    public string Directory { get; init; } = "data/documents";

    public AzureBlobDocumentOptions AzureBlob { get; init; } = new();

    public string ResolveDirectory(string contentRoot) => Path.GetFullPath(Directory, contentRoot);

    public DocumentOptions Validate()
    {
        if (MaxBytes < 1)
        {
            throw new InvalidOperationException($"{Section}:{nameof(MaxBytes)} must be at least 1, not {MaxBytes}.");
        }

        if (!Enum.IsDefined(Store))
        {
            throw new InvalidOperationException($"{Section}:{nameof(Store)} must be {DocumentStoreKind.Disk} or {DocumentStoreKind.AzureBlob}, not {Store}.");
        }

        if (Store == DocumentStoreKind.Disk && string.IsNullOrWhiteSpace(Directory))
        {
            throw new InvalidOperationException($"{Section}:{nameof(Directory)} must name a directory when {Section}:{nameof(Store)} is {DocumentStoreKind.Disk}.");
        }

        if (Store == DocumentStoreKind.AzureBlob)
        {
            AzureBlob.Validate();
        }

        return this;
    }
}

/// <summary><c>Documents:AzureBlob:*</c>.</summary>
public sealed record AzureBlobDocumentOptions
{
    public const string DefaultContainer = "case-transfer-documents";

    public string? ConnectionString { get; init; }

    public string Container { get; init; } = DefaultContainer;

    public void Validate()
    {
        const string prefix = DocumentOptions.Section + ":" + nameof(DocumentOptions.AzureBlob) + ":";
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException($"{prefix}{nameof(ConnectionString)} is required when {DocumentOptions.Section}:{nameof(DocumentOptions.Store)} is {DocumentStoreKind.AzureBlob}.");
        }

        // Azure's container naming rules: refused here, at start, rather than by the first upload.
        var name = Container ?? "";
        var valid = name.Length is >= 3 and <= 63
            && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && name[0] != '-' && name[^1] != '-'
            && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new InvalidOperationException(
                $"{prefix}{nameof(Container)} '{name}' is not a valid container name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.");
        }
    }
}
