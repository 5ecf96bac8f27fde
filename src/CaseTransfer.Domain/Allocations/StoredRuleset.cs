namespace CaseTransfer.Domain.Allocations;

/// <summary>
/// A ruleset as it was loaded, kept by content hash, so a stored decision can be re-run under its own ruleset after
/// the file has changed or gone.
/// </summary>
public sealed class StoredRuleset
{
    public const int HashLength = 64;

    private StoredRuleset()
    {
    }

    public StoredRuleset(string hash, string version, string content, DateTimeOffset firstLoadedAt)
    {
        Hash = hash;
        Version = version;
        Content = content;
        FirstLoadedAt = firstLoadedAt;
    }

    public string Hash { get; private set; } = null!;
    public string Version { get; private set; } = null!;
    public string Content { get; private set; } = null!;
    public DateTimeOffset FirstLoadedAt { get; private set; }
}
