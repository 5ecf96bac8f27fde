using System.Text.RegularExpressions;
using CaseTransfer.Domain.Common;

namespace CaseTransfer.Domain.Cases;

/// <summary>The facts of one risk assessment (OASys or equivalent) as the assessor recorded them.</summary>
public sealed partial record RiskFacts(
    DateOnly AssessedOn,
    RoshLevel Rosh,
    decimal? RsrPercent,
    decimal? OgrsPercent,
    MappaCategory MappaCategory,
    MappaLevel MappaLevel,
    string? Tier,
    RiskFlags Flags)
{
    public const string TierPattern = "^[A-D][0-3]$";

    public static bool IsValidTier(string? tier) => tier is null || TierRegex().IsMatch(tier);

    internal void EnsureCoherent()
    {
        if (MappaCategory == MappaCategory.None && MappaLevel != MappaLevel.None)
        {
            throw new DomainRuleViolation("mappa-level-without-category", "A MAPPA level needs a MAPPA category.");
        }

        if (MappaCategory != MappaCategory.None && MappaLevel == MappaLevel.None)
        {
            throw new DomainRuleViolation("mappa-category-without-level", "A MAPPA case needs a management level.");
        }
    }

    [GeneratedRegex(TierPattern, RegexOptions.CultureInvariant)]
    private static partial Regex TierRegex();
}

/// <summary>A recorded risk assessment. Never changed: a reassessment is a new one, so the history stays.</summary>
public sealed class RiskAssessment
{
    private RiskAssessment()
    {
    }

    internal RiskAssessment(Guid id, Guid caseId, RiskFacts facts, DateTimeOffset recordedAt, string recordedBy, string recordedByOrganisation)
    {
        Id = id;
        CaseId = caseId;
        Facts = facts;
        RecordedAt = recordedAt;
        RecordedBy = recordedBy;
        RecordedByOrganisation = recordedByOrganisation;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public RiskFacts Facts { get; private set; } = null!;
    public DateTimeOffset RecordedAt { get; private set; }
    public string RecordedBy { get; private set; } = null!;
    public string RecordedByOrganisation { get; private set; } = null!;
}
