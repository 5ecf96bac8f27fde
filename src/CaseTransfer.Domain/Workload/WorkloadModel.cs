using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Workload;

/// <summary>
/// How a case is supervised on a given day, for workload. The edge cases, decided:
/// <list type="bullet">
/// <item>community orders and suspended sentence orders are community cases;</item>
/// <item>a custodial sentence is custody until its release date, and custody while no release date is known;</item>
/// <item>the release date itself is the first day on licence; the licence end date is its last day;</item>
/// <item>a life or IPP sentence has no licence end date: once released it is on licence indefinitely;</item>
/// <item>after the licence ends the case is community (post-sentence supervision, or awaiting termination): it stays
/// on the caseload until it is closed, and weighs what community supervision weighs.</item>
/// </list>
/// </summary>
public static class WorkloadCaseTypes
{
    public static WorkloadCaseType Of(Sentence sentence, DateOnly today) =>
        Of(sentence.Type, IsReleased(sentence.ReleaseDate, today), HasLicenceEnded(sentence.LicenceEndDate, today));

    /// <summary>The same decision from facts a database can group by (see <see cref="IsReleased"/>, <see cref="HasLicenceEnded"/>).</summary>
    public static WorkloadCaseType Of(SentenceType type, bool released, bool licenceEnded) =>
        !Sentence.IsCustodialType(type) ? WorkloadCaseType.Community
        : !released ? WorkloadCaseType.Custody
        : !licenceEnded ? WorkloadCaseType.Licence
        : WorkloadCaseType.Community;

    public static bool IsReleased(DateOnly? releaseDate, DateOnly today) => releaseDate is { } release && release <= today;

    public static bool HasLicenceEnded(DateOnly? licenceEndDate, DateOnly today) => licenceEndDate is { } end && end < today;
}

/// <summary>
/// The published probation workload model: a case scores points by tier and type from the weightings in force on the
/// day; a practitioner's available points are the grade's target points scaled by available over contracted hours;
/// capacity is points over available points.
/// </summary>
public sealed class WorkloadModel
{
    private readonly List<WorkloadWeighting> _weightings;
    private readonly List<GradeTarget> _targets;

    public WorkloadModel(IEnumerable<WorkloadWeighting> weightings, IEnumerable<GradeTarget> targets)
    {
        // Newest first, so the first row on or before a date is the one in force.
        _weightings = [.. weightings.OrderByDescending(w => w.EffectiveFrom)];
        _targets = [.. targets.OrderByDescending(t => t.EffectiveFrom)];
    }

    /// <summary>The points a case of this tier and type scores on <paramref name="on"/>; a case with no tier scores the untiered row.</summary>
    public int PointsFor(string? tier, WorkloadCaseType caseType, DateOnly on)
    {
        var key = tier ?? WorkloadWeighting.Untiered;
        var weighting = _weightings.FirstOrDefault(w => w.Tier == key && w.CaseType == caseType && w.EffectiveFrom <= on)
            ?? throw new DomainRuleViolation(
                "no-workload-weighting", $"No workload weighting for tier {key}, {caseType}, is in force on {on:yyyy-MM-dd}.");
        return weighting.Points;
    }

    public int PointsFor(Case @case, DateOnly on) => PointsFor(@case.Tier, WorkloadCaseTypes.Of(@case.Sentence, on), on);

    public int TargetPointsFor(Grade grade, DateOnly on) =>
        _targets.FirstOrDefault(t => t.Grade == grade && t.EffectiveFrom <= on)?.TargetPoints
        ?? throw new DomainRuleViolation("no-grade-target", $"No target points for grade {grade} are in force on {on:yyyy-MM-dd}.");

    /// <summary>The full-time week a grade's target points are set for, as in the published tool's default contracted hours.</summary>
    public const decimal FullTimeHours = 37m;

    /// <summary>
    /// The grade's target scaled by available hours over the full-time contract the target is set for, rounded to two
    /// places (half away from zero): a part-timer on 22.5 hours, or a full-timer with 14.5 hours of reductions, has
    /// 22.5/37 of the target.
    /// </summary>
    public decimal AvailablePointsFor(Practitioner practitioner, DateOnly on) =>
        Math.Round(TargetPointsFor(practitioner.Grade, on) * practitioner.EffectiveAvailableHours / FullTimeHours, 2, MidpointRounding.AwayFromZero);

    public Caseload CaseloadOf(Practitioner practitioner, int caseCount, int points, DateOnly on) =>
        new(caseCount, points, AvailablePointsFor(practitioner, on));
}

/// <summary>A practitioner's caseload in the model's figures, as a screen shows them.</summary>
public sealed record Caseload(int CaseCount, int Points, decimal AvailablePoints)
{
    /// <summary>Reported when there are points but no available points (no available hours): over any sensible scale.</summary>
    public const decimal CapacityCeiling = 999.9m;

    /// <summary>
    /// Points over available points as a percentage, rounded to one place, half away from zero. Whether someone is
    /// over capacity is decided on this rounded figure, so the decision always agrees with what the screen showed.
    /// </summary>
    public decimal CapacityPercent => AvailablePoints > 0
        ? Math.Min(CapacityCeiling, Math.Round(Points * 100m / AvailablePoints, 1, MidpointRounding.AwayFromZero))
        : Points > 0 ? CapacityCeiling : 0m;

    public bool IsOverCapacity => CapacityPercent > 100m;

    /// <summary>The caseload after one more case of <paramref name="points"/>.</summary>
    public Caseload With(int points) => this with { CaseCount = CaseCount + 1, Points = Points + points };
}

/// <summary>Giving a case to a practitioner: their caseload before and after it, and whether that needs acknowledging.</summary>
public sealed record CapacityCheck(string PractitionerName, int CasePoints, Caseload Before, Caseload After)
{
    public const string Rule = "practitioner-over-capacity";

    /// <summary>Taking someone over 100% is allowed only when the person assigning says they saw the figures.</summary>
    public bool NeedsAcknowledgement => After.IsOverCapacity;

    /// <summary>The refusal when no acknowledgement came: it carries the figures, so a client can show them and resend.</summary>
    public DomainRuleViolation Refusal() => new(
        Rule,
        FormattableString.Invariant(
            $"Giving this case ({CasePoints} points) to {PractitionerName} takes them from {Before.CapacityPercent}% to {After.CapacityPercent}% of capacity ") +
        FormattableString.Invariant(
            $"({After.Points} of {After.AvailablePoints} available points, {After.CaseCount} cases). To go ahead, resend with capacityAcknowledgement ") +
        FormattableString.Invariant(
            $"holding the current figures: capacityPercent {Before.CapacityPercent}, points {Before.Points}, availablePoints {Before.AvailablePoints}, caseCount {Before.CaseCount}."))
    {
        Facts = new Dictionary<string, object?> { ["current"] = Before, ["afterAssignment"] = After, ["casePoints"] = CasePoints },
    };
}
