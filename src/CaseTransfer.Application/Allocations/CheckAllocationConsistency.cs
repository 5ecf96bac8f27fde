using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Organisations;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>
/// The consistency audit: re-runs the stored decisions of allocations (in an area, proposed in a period) under their
/// own ruleset and under another version, and lists every case whose outcome differs, with why, and every override.
/// For the NPS, which allocates; it reads many people's cases, so it leaves a consultation entry.
/// </summary>
[Authorise(Roles.Allocator, Roles.Auditor, Roles.Admin, Roles.Manager)]
public sealed record CheckAllocationConsistency(string? AreaCode, DateTimeOffset? From, DateTimeOffset? To, string AgainstVersion)
    : IQuery<ConsistencyReport>, IConsultation
{
    public const int MaxAllocations = 10_000;

    public AuditFacts Consulted(object result)
    {
        var report = (ConsistencyReport)result;
        return new(AuditOperation.Consultation, nameof(CheckAllocationConsistency), null, "allocation-consistency", AreaCode, null,
            $"{report.Checked} allocations re-run against {AgainstVersion}; {report.Items.Count} listed");
    }
}

/// <summary>A decision as stored on the allocation: what the rules said when it was proposed.</summary>
public sealed record StoredDecisionView(
    AllocationOutcome Outcome, string ReceivingOrganisationCode, bool Provisional, string RulesetVersion, string RulesetHash, IReadOnlyList<string> FiredRules);

/// <summary>The stored facts re-run under one ruleset, and whether that differs from the stored decision.</summary>
public sealed record RerunView(
    string RulesetVersion,
    string RulesetHash,
    AllocationOutcome Outcome,
    string ReceivingOrganisationCode,
    bool Provisional,
    bool Differs,
    IReadOnlyList<string> FiredRules,
    IReadOnlyList<string> MissingFacts,
    IReadOnlyList<string> Why);

/// <summary>
/// One allocation worth a look: its outcome differs under its own ruleset (the record does not reproduce) or under the
/// other version, or it is an override (sent somewhere other than where the rules said). A null re-run under its own
/// ruleset means that ruleset is no longer known: <see cref="Problems"/> says so.
/// </summary>
public sealed record ConsistencyItem(
    Guid AllocationId,
    string Crn,
    string AreaCode,
    DateTimeOffset ProposedAt,
    AllocationState State,
    string ToOrganisationCode,
    bool IsOverride,
    string? OverrideJustification,
    StoredDecisionView Stored,
    RerunView? UnderOwnRuleset,
    RerunView? UnderAgainstVersion,
    IReadOnlyList<string> Problems);

public sealed record ConsistencyReport(
    string AgainstVersion,
    string AgainstHash,
    string? AreaCode,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Checked,
    int DifferUnderOwnRuleset,
    int DifferUnderAgainstVersion,
    int Overrides,
    bool Truncated,
    IReadOnlyList<ConsistencyItem> Items);

public sealed class CheckAllocationConsistencyValidator : AbstractValidator<CheckAllocationConsistency>
{
    public CheckAllocationConsistencyValidator(RulesetCatalogue catalogue)
    {
        RuleFor(q => q.AgainstVersion).NotEmpty().WithMessage("is required").MustBeKnownRuleset(catalogue);
        RuleFor(q => q.AreaCode).MaximumLength(Organisation.CodeMaxLength);
        RuleFor(q => q.To).Must((q, to) => to is null || q.From is null || to >= q.From).WithMessage("must not be before from");
    }
}

public sealed class CheckAllocationConsistencyHandler(IAppDbContext db, CaseAccess access, RulesetCatalogue catalogue)
    : IQueryHandler<CheckAllocationConsistency, ConsistencyReport>
{
    public async ValueTask<ConsistencyReport> Handle(CheckAllocationConsistency query, CancellationToken cancellationToken)
    {
        if ((await access.CallerOrganisationAsync(cancellationToken))?.IsNps != true)
        {
            throw new ForbiddenException("The consistency audit of allocation decisions is for the NPS, which allocates.");
        }

        // A region audits the areas it covers; the NPS as a whole audits every area.
        var regions = await access.VisibleHolderCodesAsync(cancellationToken);
        var areas = await db.Areas.AsNoTracking()
            .Where(a => regions.Contains(a.NpsRegionCode) && (query.AreaCode == null || a.Code == query.AreaCode))
            .ToDictionaryAsync(a => a.Code, cancellationToken);
        if (query.AreaCode is not null && areas.Count == 0)
        {
            throw new NotFoundException("Area", query.AreaCode);
        }

        var codes = areas.Keys.ToList();
        var selected = db.Allocations.AsNoTracking().Where(a => codes.Contains(a.AreaCode));
        if (query.From is { } from)
        {
            selected = selected.Where(a => a.ProposedAt >= from);
        }

        if (query.To is { } to)
        {
            selected = selected.Where(a => a.ProposedAt < to);
        }

        var allocations = await selected.OrderBy(a => a.ProposedAt).ThenBy(a => a.Id)
            .Take(CheckAllocationConsistency.MaxAllocations + 1)
            .ToListAsync(cancellationToken);
        var truncated = allocations.Count > CheckAllocationConsistency.MaxAllocations;
        allocations = allocations.Take(CheckAllocationConsistency.MaxAllocations).ToList();

        var against = catalogue.Find(query.AgainstVersion)!;
        var own = await RulesetStore.FindAsync(db, catalogue, [.. allocations.Select(a => a.RulesetHash)], cancellationToken);
        var items = allocations
            .Select(a => Recheck(a, areas[a.AreaCode], own.GetValueOrDefault(a.RulesetHash), against))
            .ToList();
        var listed = items.Where(i => i.IsOverride || i.Problems.Count > 0 || i.UnderOwnRuleset?.Differs != false || i.UnderAgainstVersion?.Differs != false).ToList();
        return new ConsistencyReport(
            against.Version,
            against.Hash,
            query.AreaCode,
            query.From,
            query.To,
            items.Count,
            items.Count(i => i.UnderOwnRuleset?.Differs != false),
            items.Count(i => i.UnderAgainstVersion?.Differs != false),
            items.Count(i => i.IsOverride),
            truncated,
            listed);
    }

    private static ConsistencyItem Recheck(Allocation allocation, Area area, Ruleset? ownRuleset, Ruleset against)
    {
        var problems = new List<string>();
        var stored = StoredDecisions.Decision(allocation.DecisionJson)
            ?? new AllocationDecision(allocation.RulesOutcome, allocation.RulesOrganisationCode, allocation.RulesProvisional, [], [], allocation.RulesetVersion, allocation.RulesetHash);

        // The allocation's own columns are the record; the JSON must agree with them.
        if (stored.Outcome != allocation.RulesOutcome || stored.ReceivingOrganisationCode != allocation.RulesOrganisationCode)
        {
            problems.Add($"the stored decision JSON says {stored.Outcome} to {stored.ReceivingOrganisationCode}, the allocation {allocation.RulesOutcome} to {allocation.RulesOrganisationCode}");
        }

        var recorded = stored with
        {
            Outcome = allocation.RulesOutcome,
            ReceivingOrganisationCode = allocation.RulesOrganisationCode,
            Provisional = allocation.RulesProvisional,
            RulesetVersion = allocation.RulesetVersion,
            RulesetHash = allocation.RulesetHash,
        };
        var facts = StoredDecisions.Facts(allocation.FactsJson);
        if (facts is null)
        {
            problems.Add("the stored facts cannot be read, so the decision cannot be re-run");
        }

        if (ownRuleset is null)
        {
            problems.Add($"ruleset {allocation.RulesetVersion} ({allocation.RulesetHash}) is neither loaded nor stored, so the decision cannot be re-run under it");
        }

        RerunView? Rerun(Ruleset? ruleset)
        {
            if (ruleset is null || facts is null)
            {
                return null;
            }

            var decision = ruleset.Decide(facts, area) with { RulesetHash = ruleset == ownRuleset ? allocation.RulesetHash : ruleset.Hash };
            return new RerunView(
                decision.RulesetVersion, decision.RulesetHash, decision.Outcome, decision.ReceivingOrganisationCode, decision.Provisional,
                recorded.DiffersFrom(decision), decision.FiredRules, decision.MissingFacts, recorded.Differences(decision));
        }

        var isOverride = allocation.IsOverride || allocation.ToOrganisationCode != allocation.RulesOrganisationCode;
        return new ConsistencyItem(
            allocation.Id,
            allocation.Crn.Value,
            allocation.AreaCode,
            allocation.ProposedAt,
            allocation.State,
            allocation.ToOrganisationCode,
            isOverride,
            allocation.OverrideJustification,
            new StoredDecisionView(recorded.Outcome, recorded.ReceivingOrganisationCode, recorded.Provisional, recorded.RulesetVersion, recorded.RulesetHash, recorded.FiredRules),
            Rerun(ownRuleset),
            Rerun(against),
            problems);
    }
}
