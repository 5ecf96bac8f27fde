namespace CaseTransfer.Domain.Cases;

/// <summary>
/// One computation of a case's tier, with its working: the points breakdown (JSON) and the ruleset that produced it.
/// Never changed; a new risk assessment adds a new one, so the history stays.
/// </summary>
public sealed class CaseTier
{
    private CaseTier()
    {
    }

    public CaseTier(
        Guid id,
        Guid caseId,
        string? tier,
        int protectPoints,
        int changePoints,
        string breakdownJson,
        string rulesetVersion,
        string rulesetHash,
        Guid? riskAssessmentId,
        DateTimeOffset computedAt)
    {
        Id = id;
        CaseId = caseId;
        Tier = tier;
        ProtectPoints = protectPoints;
        ChangePoints = changePoints;
        BreakdownJson = breakdownJson;
        RulesetVersion = rulesetVersion;
        RulesetHash = rulesetHash;
        RiskAssessmentId = riskAssessmentId;
        ComputedAt = computedAt;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }

    /// <summary>Protect level and change level, e.g. <c>B2</c>; null when the facts to compute it are missing.</summary>
    public string? Tier { get; private set; }
    public int ProtectPoints { get; private set; }
    public int ChangePoints { get; private set; }
    public string BreakdownJson { get; private set; } = null!;
    public string RulesetVersion { get; private set; } = null!;
    public string RulesetHash { get; private set; } = null!;
    public Guid? RiskAssessmentId { get; private set; }
    public DateTimeOffset ComputedAt { get; private set; }
}
