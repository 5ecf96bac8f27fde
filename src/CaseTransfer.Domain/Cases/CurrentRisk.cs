namespace CaseTransfer.Domain.Cases;

/// <summary>
/// Which assessment is the current risk: the newest by date assessed, then by when it was recorded, so an older
/// assessment entered late does not replace a newer one. One definition for the database and for memory.
/// </summary>
public static class CurrentRisk
{
    public static IOrderedQueryable<RiskAssessment> NewestFirst(this IQueryable<RiskAssessment> assessments) =>
        assessments.OrderByDescending(a => a.Facts.AssessedOn).ThenByDescending(a => a.RecordedAt);

    public static IOrderedEnumerable<RiskAssessment> NewestFirst(this IEnumerable<RiskAssessment> assessments) =>
        assessments.OrderByDescending(a => a.Facts.AssessedOn).ThenByDescending(a => a.RecordedAt);
}
