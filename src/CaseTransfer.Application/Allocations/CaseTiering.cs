using System.Text.Json;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;

namespace CaseTransfer.Application.Allocations;

/// <summary>The tier history's rows: each computation kept whole (levels, breakdown, missing facts) as JSON.</summary>
public static class CaseTiering
{
    public static CaseTier Row(Guid caseId, TierAssessment tier, Guid? riskAssessmentId, DateTimeOffset at) => new(
        Guid.CreateVersion7(at),
        caseId,
        tier.Tier,
        tier.ProtectPoints,
        tier.ChangePoints,
        JsonSerializer.Serialize(tier, AppJson.Options),
        tier.RulesetVersion,
        tier.RulesetHash,
        riskAssessmentId,
        at);

    public static TierAssessment Assessment(CaseTier row) =>
        JsonSerializer.Deserialize<TierAssessment>(row.BreakdownJson, AppJson.Options)
        ?? throw new InvalidOperationException($"Tier computation {row.Id} has no breakdown.");
}
