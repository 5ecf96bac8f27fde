using CaseTransfer.Domain.Cases;

namespace CaseTransfer.Domain.Allocations;

/// <summary>
/// Everything the allocation rules and the tiering may read about a case, taken from the case and its current risk
/// assessment. A fact the assessment does not give is null (or, with no assessment at all, every assessment fact is
/// unknown): the rules report it as missing instead of reading a default.
/// </summary>
public sealed record AllocationFacts(
    string AreaCode,
    SentenceType SentenceType,
    bool HasRiskAssessment,
    RoshLevel? Rosh,
    decimal? RsrPercent,
    decimal? OgrsPercent,
    MappaCategory? MappaCategory,
    MappaLevel? MappaLevel,
    RiskFlags Flags,
    IReadOnlyList<RequirementType> Requirements)
{
    /// <summary>The facts of <paramref name="c"/> with <paramref name="current"/> as its risk (see <see cref="CurrentAssessment"/>).</summary>
    public static AllocationFacts From(Case c, RiskAssessment? current)
    {
        var facts = current?.Facts;
        return new AllocationFacts(
            c.AreaCode,
            c.Sentence.Type,
            facts is not null,
            facts?.Rosh,
            facts?.RsrPercent,
            facts?.OgrsPercent,
            facts?.MappaCategory,
            facts?.MappaLevel,
            facts?.Flags ?? RiskFlags.None,
            [.. c.Requirements.Select(r => r.Type).Distinct().Order()]);
    }

    /// <summary>
    /// The current risk: the newest assessment by date assessed, then by when it was recorded, so an older assessment
    /// entered late does not replace a newer one.
    /// </summary>
    public static RiskAssessment? CurrentAssessment(IEnumerable<RiskAssessment> assessments) =>
        assessments.NewestFirst().FirstOrDefault();
}

/// <summary>A fact a rule read, as text (enums by name, numbers exactly as held); null when the fact is missing.</summary>
public sealed record FactRead(string Name, string? Value);

/// <summary>One rule of the ruleset applied to the case: whether it fired, the facts it read, and any it lacked.</summary>
public sealed record RuleEvaluation(
    string RuleId,
    string Description,
    bool Fired,
    IReadOnlyList<FactRead> Facts,
    IReadOnlyList<string> MissingFacts);

/// <summary>
/// An allocation decision that explains itself: the outcome and receiving organisation, every rule evaluated (fired or
/// not) with the facts it read, and the exact ruleset (version and content hash). Provisional when no rule fired and
/// some rule could not be decided for a missing fact: the outcome may change once the fact is known.
/// </summary>
public sealed record AllocationDecision(
    AllocationOutcome Outcome,
    string ReceivingOrganisationCode,
    bool Provisional,
    IReadOnlyList<string> MissingFacts,
    IReadOnlyList<RuleEvaluation> Rules,
    string RulesetVersion,
    string RulesetHash)
{
    /// <summary>The ids of the rules that fired, in ruleset order.</summary>
    public IReadOnlyList<string> FiredRules => [.. Rules.Where(r => r.Fired).Select(r => r.RuleId)];

    /// <summary>True when <paramref name="other"/> sends the case elsewhere, or is provisional where this is not (or the reverse).</summary>
    public bool DiffersFrom(AllocationDecision other) =>
        Outcome != other.Outcome || ReceivingOrganisationCode != other.ReceivingOrganisationCode || Provisional != other.Provisional;

    /// <summary>
    /// Why <paramref name="rerun"/> (this decision's facts re-run, perhaps under another ruleset) decides otherwise, in
    /// words: each outcome with the rules that fired, then each rule that fired on one side only with the facts it read
    /// on the other. Empty when the two agree.
    /// </summary>
    public IReadOnlyList<string> Differences(AllocationDecision rerun)
    {
        if (!DiffersFrom(rerun))
        {
            return [];
        }

        static string Said(AllocationDecision d) =>
            $"{d.Outcome} to {d.ReceivingOrganisationCode}{(d.Provisional ? " (provisional)" : "")} by {string.Join(", ", d.FiredRules.DefaultIfEmpty("no rule recorded"))}";
        static string Read(RuleEvaluation r) =>
            string.Join(", ", r.Facts.Select(f => $"{f.Name} {f.Value ?? "missing"}"));

        var reasons = new List<string> { $"stored under {RulesetVersion}: {Said(this)}; re-run under {rerun.RulesetVersion}: {Said(rerun)}" };
        foreach (var id in FiredRules.Except(rerun.FiredRules).Where(id => id != Ruleset.OtherwiseRuleId))
        {
            var there = rerun.Rules.FirstOrDefault(r => r.RuleId == id);
            reasons.Add(there is null ? $"rule {id} is not in ruleset {rerun.RulesetVersion}" : $"rule {id} does not fire under {rerun.RulesetVersion}: {Read(there)}");
        }

        foreach (var id in rerun.FiredRules.Except(FiredRules).Where(id => id != Ruleset.OtherwiseRuleId))
        {
            var there = rerun.Rules.First(r => r.RuleId == id);
            reasons.Add(Rules.Any(r => r.RuleId == id)
                ? $"rule {id} fires under {rerun.RulesetVersion}: {Read(there)}"
                : $"rule {id} is new in ruleset {rerun.RulesetVersion} and fires: {Read(there)}");
        }

        if (Outcome == rerun.Outcome && ReceivingOrganisationCode != rerun.ReceivingOrganisationCode)
        {
            reasons.Add($"the area is now served by {rerun.ReceivingOrganisationCode}, not {ReceivingOrganisationCode}");
        }

        if (rerun.Provisional)
        {
            reasons.Add($"provisional under {rerun.RulesetVersion}: missing {string.Join(", ", rerun.MissingFacts)}");
        }

        return reasons;
    }
}

/// <summary>
/// A case's tier with its working shown: the points each component gave (the breakdown sums to the two totals), the
/// levels they reach, and any fact that was missing. Tier is null when there is no risk assessment to tier from.
/// </summary>
public sealed record TierAssessment(
    string? Tier,
    char? ProtectLevel,
    int? ChangeLevel,
    int ProtectPoints,
    int ChangePoints,
    IReadOnlyList<TierPoints> Breakdown,
    IReadOnlyList<string> MissingFacts,
    string RulesetVersion,
    string RulesetHash)
{
    /// <summary>True when a fact was missing: the tier may change once it is known.</summary>
    public bool Provisional => MissingFacts.Count > 0;
}

/// <summary>
/// One line of a tier's working: which component (protect or change side), which fact, its value and the points it
/// gave. <paramref name="Note"/> says why a line gives no points (a missing fact, the lower of two that only count once).
/// </summary>
public sealed record TierPoints(string Component, string Fact, string? Value, int Points, string? Note = null);
