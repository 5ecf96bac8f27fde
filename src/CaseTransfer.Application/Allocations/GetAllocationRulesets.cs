using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using Mediator;

namespace CaseTransfer.Application.Allocations;

/// <summary>The allocation rulesets the service knows, each by version and content hash, and which is in force. Reference data.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetAllocationRulesets : IQuery<IReadOnlyList<RulesetView>>;

public sealed record RulesetRuleView(string Id, string Description);

public sealed record RulesetView(string Version, string Hash, bool Active, string Title, DateOnly? EffectiveFrom, IReadOnlyList<RulesetRuleView> Rules);

public sealed class GetAllocationRulesetsHandler(RulesetCatalogue catalogue) : IQueryHandler<GetAllocationRulesets, IReadOnlyList<RulesetView>>
{
    public ValueTask<IReadOnlyList<RulesetView>> Handle(GetAllocationRulesets query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<RulesetView>>([.. catalogue.All.Select(r => new RulesetView(
            r.Version,
            r.Hash,
            r == catalogue.Active,
            r.Title,
            r.EffectiveFrom,
            [.. r.Rules.Select(x => new RulesetRuleView(x.Id, x.Description))]))]);
}
