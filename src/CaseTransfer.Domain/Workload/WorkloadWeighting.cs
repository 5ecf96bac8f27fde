using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Workload;

/// <summary>How a case is supervised, for workload: in the community, in custody before release, or on licence after it.</summary>
public enum WorkloadCaseType
{
    Community,
    Custody,
    Licence,
}

/// <summary>
/// The points one case scores for its tier and type, from a date: the published probation workload model's
/// weightings, effective-dated so a change of weightings does not rewrite what caseloads were.
/// </summary>
public sealed class WorkloadWeighting
{
    /// <summary>The tier key for cases no tier could be computed for.</summary>
    public const string Untiered = "untiered";

    private WorkloadWeighting()
    {
    }

    public WorkloadWeighting(DateOnly effectiveFrom, string tier, WorkloadCaseType caseType, int points)
    {
        EffectiveFrom = effectiveFrom;
        Tier = tier;
        CaseType = caseType;
        Points = points;
    }

    public DateOnly EffectiveFrom { get; private set; }
    public string Tier { get; private set; } = null!;
    public WorkloadCaseType CaseType { get; private set; }
    public int Points { get; private set; }
}

/// <summary>The points a practitioner of a grade is expected to carry on full contracted hours, from a date.</summary>
public sealed class GradeTarget
{
    private GradeTarget()
    {
    }

    public GradeTarget(DateOnly effectiveFrom, Grade grade, int targetPoints)
    {
        EffectiveFrom = effectiveFrom;
        Grade = grade;
        TargetPoints = targetPoints;
    }

    public DateOnly EffectiveFrom { get; private set; }
    public Grade Grade { get; private set; }
    public int TargetPoints { get; private set; }
}
