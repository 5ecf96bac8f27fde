namespace CaseTransfer.Domain.Cases;

/// <summary>
/// One search key of a case's name (the name itself, its one-letter deletions, its phonetic codes, forename initial x
/// surname key pairs). The search finds
/// candidates by key equality, which every engine answers the same way, then ranks them in code.
/// </summary>
public sealed class CaseNameKey
{
    public const int KeyMaxLength = 40;

    private CaseNameKey()
    {
    }

    public CaseNameKey(Guid caseId, string key)
    {
        CaseId = caseId;
        Key = key;
    }

    public string Key { get; private set; } = null!;
    public Guid CaseId { get; private set; }
}
