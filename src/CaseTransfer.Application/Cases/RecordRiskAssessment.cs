using System.Text.Json.Serialization;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Organisations;
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

/// <summary>
/// Records a new risk assessment on a case. The history is kept; the newest is the current risk. When a provider holds
/// the case and the rules now keep such a case with the NPS, the answer says escalation is required, and why.
/// </summary>
[Authorise(Roles.CaseManager, Roles.Allocator, Roles.PartnerSystem)]
public sealed record RecordRiskAssessment(string Crn, RiskAssessmentInput Assessment, IfMatch? ExpectedVersion)
    : ICommand<RecordedRiskAssessment>, ICaseMessage, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Collection;

    [JsonIgnore]
    public string? AuditSummary => "risk assessment recorded";
}

public record RiskAssessmentView(
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

/// <summary>
/// The answer to recording a risk assessment: the assessment, and whether the provider holding the case must now
/// escalate it to the NPS (<see cref="Escalation"/> says to which region, on which rules, and names an escalation
/// already open). Only this answer carries it; the history lists the assessments alone.
/// </summary>
public sealed record RecordedRiskAssessment(
    Guid Id, string Crn, DateOnly AssessedOn, RoshLevel RiskOfSeriousHarm, decimal? RsrPercent, decimal? OgrsPercent, MappaCategory MappaCategory,
    MappaLevel MappaLevel, string? Tier, IReadOnlyList<RiskFlag> Flags, DateTimeOffset RecordedAt, string RecordedBy, string RecordedByOrganisation,
    long CaseVersion, bool EscalationRequired, EscalationRequirement? Escalation)
    : RiskAssessmentView(Id, Crn, AssessedOn, RiskOfSeriousHarm, RsrPercent, OgrsPercent, MappaCategory, MappaLevel, Tier, Flags, RecordedAt, RecordedBy, RecordedByOrganisation, CaseVersion)
{
    public static RecordedRiskAssessment From(RiskAssessmentView v, EscalationRequirement? escalation) => new(
        v.Id, v.Crn, v.AssessedOn, v.RiskOfSeriousHarm, v.RsrPercent, v.OgrsPercent, v.MappaCategory, v.MappaLevel, v.Tier, v.Flags, v.RecordedAt,
        v.RecordedBy, v.RecordedByOrganisation, v.CaseVersion, escalation is not null, escalation)
    {
        ChangeSummary = v.ChangeSummary,
    };
}

/// <summary>The shape of a risk assessment, wherever one is sent (on its own, or with an escalation request).</summary>
public sealed class RiskAssessmentInputValidator : AbstractValidator<RiskAssessmentInput>
{
    public RiskAssessmentInputValidator()
    {
        RuleFor(a => a.AssessedOn).Required();
        RuleFor(a => a.RiskOfSeriousHarm).Required();
        RuleFor(a => a.RsrPercent).InclusiveBetween(0m, 100m).WithMessage("must be a percentage from 0 to 100");
        RuleFor(a => a.OgrsPercent).InclusiveBetween(0m, 100m).WithMessage("must be a percentage from 0 to 100");
        RuleFor(a => a.Tier).MustBeOptionalTier();
        RuleFor(a => a.Flags).Must(f => f is null || f.Distinct().Count() == f.Count).WithMessage("must not repeat a flag");
    }
}

public sealed class RecordRiskAssessmentValidator : AbstractValidator<RecordRiskAssessment>
{
    private static readonly RiskAssessmentInputValidator Input = new();

    public RecordRiskAssessmentValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.Assessment).Required();

        // The assessment is the whole body here, so its fields are named as they are (assessedOn, not assessment.assessedOn).
        RuleFor(c => c.Assessment).Custom((assessment, context) =>
        {
            foreach (var failure in Input.Validate(assessment).Errors)
            {
                context.AddFailure(failure);
            }
        }).When(c => c.Assessment is not null);
    }
}

public sealed class RecordRiskAssessmentHandler(CaseAccess access, RiskAssessmentRecorder recorder)
    : ICommandHandler<RecordRiskAssessment, RecordedRiskAssessment>
{
    public async ValueTask<RecordedRiskAssessment> Handle(RecordRiskAssessment command, CancellationToken cancellationToken)
    {
        var @case = await access.GetForChangeAsync(command.Crn, cancellationToken);
        CaseAccess.EnsureVersion(@case, command.ExpectedVersion);
        var recorded = await recorder.RecordAsync(@case, command.Assessment, null, cancellationToken);
        return RecordedRiskAssessment.From(
            RiskAssessmentView.From(command.Crn, recorded.Assessment, @case.Version) with { ChangeSummary = recorded.ChangeSummary }, recorded.Escalation);
    }
}

/// <summary>What recording a risk assessment did: the assessment, the case's current one after it, whether escalation is now required, and the audit summary.</summary>
public sealed record RecordedRisk(RiskAssessment Assessment, RiskAssessment Current, EscalationRequirement? Escalation, string ChangeSummary);

/// <summary>
/// The one path by which a risk assessment is recorded (on its own, or with an escalation request): the assessment and
/// the tier the rules compute from the case's current risk, and, when a provider holds the case and the rules now keep
/// such a case with the NPS, the escalation-required event (<see cref="Case.RequireEscalation"/>).
/// </summary>
public sealed class RiskAssessmentRecorder(IAppDbContext db, CaseAccess access, ICaller caller, TimeProvider clock, RulesetCatalogue rules)
{
    /// <summary>Records <paramref name="input"/> on the tracked <paramref name="case"/>; <paramref name="openEscalationId"/> names an escalation the caller is opening with it.</summary>
    public async Task<RecordedRisk> RecordAsync(Case @case, RiskAssessmentInput input, Guid? openEscalationId, CancellationToken cancellationToken)
    {
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
        var (assessment, tier, current, read) = @case.RecordRiskAssessment(facts, caller.UserId, caller.OrganisationCode, now, previous, rules.Active);
        db.RiskAssessments.Add(assessment);
        db.CaseTiers.Add(CaseTiering.Row(@case.Id, tier, assessment.Id, now));
        var escalation = await EscalationRequiredAsync(@case, current, read, openEscalationId, now, cancellationToken);
        if (escalation is null)
        {
            @case.EscalationNoLongerRequired();
        }
        var tierChange = tierBefore == tier.Tier ? "" : $"; computed tier: {tierBefore ?? "none"} -> {tier.Tier ?? "none"}";
        var escalationNote = escalation is null ? "" : $"; escalation required: {string.Join(", ", escalation.FiredRules.Select(r => r.RuleId))}";
        return new RecordedRisk(assessment, current, escalation, Changes(previous?.Facts, facts) + tierChange + escalationNote);
    }

    /// <summary>The rules that allocate also escalate: decided only for a case a provider holds (the organisations are cached, so others cost nothing).</summary>
    private async Task<EscalationRequirement?> EscalationRequiredAsync(
        Case @case, RiskAssessment current, AllocationFacts facts, Guid? openEscalationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await access.OrganisationAsync(@case.HolderOrganisationCode, cancellationToken) is not { Kind: OrganisationKind.Provider } holder)
        {
            return null;
        }

        var area = await db.Areas.AsNoTracking().SingleAsync(a => a.Code == @case.AreaCode, cancellationToken);
        if (EscalationRequirement.Of(@case, holder, area, current, rules.Active.Decide(facts, area)) is not { } required)
        {
            return null;
        }

        var open = openEscalationId
            ?? await db.Escalations.Where(e => e.OpenCaseId == @case.Id).Select(e => (Guid?)e.Id).SingleOrDefaultAsync(cancellationToken);
        var requirement = required with { OpenEscalationId = open };
        @case.RequireEscalation(requirement, now);
        return requirement;
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
