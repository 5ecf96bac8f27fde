using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// What the rules would decide for a case now, and its tier, with every rule and fact shown. Changes nothing; it
/// reads the person's case, so it leaves a consultation entry like any other read.
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Admin)]
public sealed record PreviewAllocation(string Crn, string? RulesetVersion) : IQuery<AllocationPreview>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result)
    {
        var preview = (AllocationPreview)result;
        return new(AuditOperation.Consultation, nameof(PreviewAllocation), Crn, "allocation-preview", Crn, preview.CaseVersion,
            $"allocation preview under ruleset {preview.Decision.RulesetVersion}");
    }
}

public sealed record AllocationPreview(string Crn, long CaseVersion, AllocationDecision Decision, TierAssessment Tier);

public sealed class PreviewAllocationValidator : AbstractValidator<PreviewAllocation>
{
    public PreviewAllocationValidator(RulesetCatalogue catalogue)
    {
        RuleFor(q => q.Crn).MustBeCrn();
        RuleFor(q => q.RulesetVersion).MustBeKnownRuleset(catalogue);
    }
}

public sealed class PreviewAllocationHandler(IAppDbContext db, CaseAccess access, RulesetCatalogue catalogue)
    : IQueryHandler<PreviewAllocation, AllocationPreview>
{
    public async ValueTask<AllocationPreview> Handle(PreviewAllocation query, CancellationToken cancellationToken)
    {
        var caseId = await access.GetVisibleIdAsync(query.Crn, cancellationToken);
        var subject = await CaseFactsReader.ReadAsync(db, caseId, cancellationToken);
        var ruleset = query.RulesetVersion is { } version ? catalogue.Find(version)! : catalogue.Active;
        return new AllocationPreview(subject.Crn, subject.CaseVersion, ruleset.Decide(subject.Facts, subject.Area), ruleset.Tier(subject.Facts));
    }
}

/// <summary>Shape rules for naming a ruleset: a version the catalogue holds (it is configuration, not data, so this is not a lookup).</summary>
public static class RulesetValidation
{
    public static IRuleBuilderOptions<T, string?> MustBeKnownRuleset<T>(this IRuleBuilder<T, string?> rule, RulesetCatalogue catalogue) =>
        rule.Must(v => v is null || catalogue.Find(v) is not null)
            .WithMessage($"must be a known ruleset version: {string.Join(", ", catalogue.All.Select(r => r.Version))}");
}
