namespace CaseTransfer.Domain.Cases;

/// <summary>The sentence or order being supervised, with its key dates.</summary>
public sealed record Sentence(
    SentenceType Type,
    DateOnly SentenceDate,
    DateOnly? StartDate,
    DateOnly? ExpectedEndDate,
    DateOnly? ReleaseDate,
    DateOnly? LicenceEndDate)
{
    public bool IsCustodial => IsCustodialType(Type);

    /// <summary>Every sentence type but the two served in the community (community order, suspended sentence order).</summary>
    public static bool IsCustodialType(SentenceType type) => type is not (SentenceType.CommunityOrder or SentenceType.SuspendedSentenceOrder);

    /// <summary>The release date when it is still ahead of <paramref name="today"/>.</summary>
    public DateOnly? NextReleaseDate(DateOnly today) => ReleaseDate is { } release && release >= today ? release : null;

    internal void EnsureCoherent()
    {
        static void Order(DateOnly? earlier, DateOnly? later, string rule, string message)
        {
            if (earlier is { } e && later is { } l && l < e)
            {
                throw new Common.DomainRuleViolation(rule, message);
            }
        }

        Order(SentenceDate, StartDate, "start-before-sentence", "The start date is before the sentence date.");
        Order(StartDate ?? SentenceDate, ExpectedEndDate, "end-before-start", "The expected end date is before the start.");
        Order(ReleaseDate, LicenceEndDate, "licence-end-before-release", "The licence end date is before the release date.");
        if (!IsCustodial && (ReleaseDate is not null || LicenceEndDate is not null))
        {
            throw new Common.DomainRuleViolation(
                "release-date-on-community-sentence", "A community sentence has no release or licence end date.");
        }
    }
}

/// <summary>A requirement of an order, each with its own dates.</summary>
public sealed class Requirement
{
    private Requirement()
    {
    }

    internal Requirement(Guid id, Guid caseId, RequirementType type, DateOnly? startDate, DateOnly? expectedEndDate)
    {
        Id = id;
        CaseId = caseId;
        Type = type;
        StartDate = startDate;
        ExpectedEndDate = expectedEndDate;
    }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public RequirementType Type { get; private set; }
    /// <summary>When the requirement is expected to start.</summary>
    public DateOnly? StartDate { get; private set; }
    public DateOnly? ExpectedEndDate { get; private set; }

    /// <summary>When it actually started; null while not started (an alert is raised once <see cref="StartDate"/> has passed).</summary>
    public DateOnly? StartedOn { get; private set; }

    /// <summary>Records that the requirement has started.</summary>
    internal void Start(DateOnly on)
    {
        if (StartedOn is not null)
        {
            throw new Common.DomainRuleViolation("requirement-already-started", "The requirement has already started.");
        }

        StartedOn = on;
    }
}
