using System.Text.Json.Serialization;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

public sealed record RiskAssessmentInput(
    DateOnly? AssessedOn,
    RoshLevel? RiskOfSeriousHarm,
    decimal? RsrPercent,
    decimal? OgrsPercent,
    MappaCategory? MappaCategory,
    MappaLevel? MappaLevel,
    string? Tier,
    IReadOnlyList<RiskFlag>? Flags);

/// <summary>A flag raised by an assessment, as the API names it.</summary>
public enum RiskFlag
{
    DomesticAbuse,
    SafeguardingChildren,
    VictimContactScheme,
    PublicInterest,
    RiskToStaff,
}

/// <summary>Records a new risk assessment on a case. The history is kept; the newest is the current risk.</summary>
[Authorise(Roles.CaseManager, Roles.Allocator, Roles.PartnerSystem)]
public sealed record RecordRiskAssessment(string Crn, RiskAssessmentInput Assessment, long? ExpectedVersion)
    : ICommand<RiskAssessmentView>, ICaseMessage, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Collection;

    [JsonIgnore]
    public string? AuditSummary => "risk assessment recorded";
}

public sealed record RiskAssessmentView(
    Guid Id,
    string Crn,
    DateOnly AssessedOn,
    RoshLevel RiskOfSeriousHarm,
    decimal? RsrPercent,
    decimal? OgrsPercent,
    MappaCategory MappaCategory,
    MappaLevel MappaLevel,
    string? Tier,
    IReadOnlyList<RiskFlag> Flags,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    string RecordedByOrganisation,
    long CaseVersion) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "risk-assessment";

    [JsonIgnore]
    public string ResourceId => Id.ToString();

    [JsonIgnore]
    public long? ResourceVersion => CaseVersion;

    [JsonIgnore]
    public string? ChangeSummary { get; init; }

    public static RiskAssessmentView From(string crn, RiskAssessment a, long caseVersion) => new(
        a.Id, crn, a.Facts.AssessedOn, a.Facts.Rosh, a.Facts.RsrPercent, a.Facts.OgrsPercent, a.Facts.MappaCategory,
        a.Facts.MappaLevel, a.Facts.Tier, FlagsOf(a.Facts.Flags), a.RecordedAt, a.RecordedBy, a.RecordedByOrganisation, caseVersion);

    public static IReadOnlyList<RiskFlag> FlagsOf(RiskFlags flags) =>
        [.. Enum.GetValues<RiskFlag>().Where(f => flags.HasFlag(ToFlags(f)))];

    public static RiskFlags ToFlags(RiskFlag flag) => (RiskFlags)(1 << (int)flag);
}

public sealed class RecordRiskAssessmentValidator : AbstractValidator<RecordRiskAssessment>
{
    public RecordRiskAssessmentValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.Assessment).Required();
        When(c => c.Assessment is not null, () =>
        {
            RuleFor(c => c.Assessment.AssessedOn).Required().OverridePropertyName("assessedOn");
            RuleFor(c => c.Assessment.RiskOfSeriousHarm).Required().OverridePropertyName("riskOfSeriousHarm");
            RuleFor(c => c.Assessment.RsrPercent).InclusiveBetween(0m, 100m).WithMessage("must be a percentage from 0 to 100").OverridePropertyName("rsrPercent");
            RuleFor(c => c.Assessment.OgrsPercent).InclusiveBetween(0m, 100m).WithMessage("must be a percentage from 0 to 100").OverridePropertyName("ogrsPercent");
            RuleFor(c => c.Assessment.Tier).MustBeOptionalTier().OverridePropertyName("tier");
            RuleFor(c => c.Assessment.Flags).Must(f => f is null || f.Distinct().Count() == f.Count).WithMessage("must not repeat a flag").OverridePropertyName("flags");
        });
    }
}

public sealed class RecordRiskAssessmentHandler(IAppDbContext db, CaseAccess access, ICaller caller, TimeProvider clock, RulesetCatalogue rules)
    : ICommandHandler<RecordRiskAssessment, RiskAssessmentView>
{
    public async ValueTask<RiskAssessmentView> Handle(RecordRiskAssessment command, CancellationToken cancellationToken)
    {
        var @case = await access.GetForChangeAsync(command.Crn, cancellationToken);
        CaseAccess.EnsureVersion(@case, command.ExpectedVersion);
        var input = command.Assessment;
        var facts = new RiskFacts(
            input.AssessedOn!.Value,
            input.RiskOfSeriousHarm!.Value,
            input.RsrPercent,
            input.OgrsPercent,
            input.MappaCategory ?? MappaCategory.None,
            input.MappaLevel ?? MappaLevel.None,
            input.Tier,
            (input.Flags ?? []).Aggregate(RiskFlags.None, (all, f) => all | RiskAssessmentView.ToFlags(f)));
        var previous = await db.RiskAssessments.AsNoTracking()
            .Where(a => a.CaseId == @case.Id)
            .NewestFirst()
            .FirstOrDefaultAsync(cancellationToken);

        // The requirements are need indicators for the tier, which is recomputed with every new assessment.
        await db.Cases.Where(c => c.Id == @case.Id).SelectMany(c => c.Requirements).LoadAsync(cancellationToken);
        var tierBefore = @case.Tier;
        var now = clock.GetUtcNow();
        var (assessment, tier, _, _) = @case.RecordRiskAssessment(facts, caller.UserId, caller.OrganisationCode, now, previous, rules.Active);
        db.RiskAssessments.Add(assessment);
        db.CaseTiers.Add(CaseTiering.Row(@case.Id, tier, assessment.Id, now));
        var tierChange = tierBefore == tier.Tier ? "" : $"; computed tier: {tierBefore ?? "none"} -> {tier.Tier ?? "none"}";
        return RiskAssessmentView.From(command.Crn, assessment, @case.Version) with { ChangeSummary = Changes(previous?.Facts, facts) + tierChange };
    }

    /// <summary>The assessment's fields that differ from the current risk, old -> new. Scores and levels only.</summary>
    private static string Changes(RiskFacts? before, RiskFacts after)
    {
        var fields = new (string Name, object? Old, object? New)[]
        {
            ("riskOfSeriousHarm", before?.Rosh, after.Rosh),
            ("rsrPercent", before?.RsrPercent, after.RsrPercent),
            ("ogrsPercent", before?.OgrsPercent, after.OgrsPercent),
            ("mappaCategory", before?.MappaCategory, after.MappaCategory),
            ("mappaLevel", before?.MappaLevel, after.MappaLevel),
            ("tier", before?.Tier, after.Tier),
            ("flags", before?.Flags, after.Flags),
        };
        var changed = fields.Where(f => !Equals(f.Old, f.New)).Select(f => $"{f.Name}: {f.Old?.ToString() ?? "none"} -> {f.New?.ToString() ?? "none"}");
        return $"risk assessment recorded; {string.Join("; ", changed)}";
    }
}
