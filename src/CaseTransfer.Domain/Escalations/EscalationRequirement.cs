using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Organisations;

namespace CaseTransfer.Domain.Escalations;

/// <summary>
/// The rules that allocate also escalate: a provider holds the case, and the ruleset in force, reading the case's
/// current risk, keeps such a case with the NPS. The provider must escalate it to <see cref="NpsRegion"/>.
/// </summary>
/// <param name="FiredRules">The rules that keep the case with the NPS, each with the facts it read.</param>
/// <param name="RiskAssessmentId">The current risk assessment, whose facts the rules read.</param>
/// <param name="OpenEscalationId">The case's open escalation, if one is already under way.</param>
public sealed record EscalationRequirement(
    string Crn,
    string Provider,
    string NpsRegion,
    Guid RiskAssessmentId,
    IReadOnlyList<RuleEvaluation> FiredRules,
    string RulesetVersion,
    string RulesetHash,
    Guid? OpenEscalationId = null)
{
    /// <summary>
    /// Whether escalation is required of <paramref name="holder"/>, the organisation holding <paramref name="case"/>,
    /// given the rules' <paramref name="decision"/> on the facts of its <paramref name="current"/> risk assessment in
    /// its <paramref name="area"/>; null when it is not (the NPS holds the case, or the rules leave it with the provider).
    /// </summary>
    public static EscalationRequirement? Of(Case @case, Organisation holder, Area area, RiskAssessment current, AllocationDecision decision)
    {
        if (holder.Code != @case.HolderOrganisationCode || area.Code != @case.AreaCode || current.CaseId != @case.Id)
        {
            throw new ArgumentException($"The holder, area and assessment must be case {@case.Crn.Value}'s.", nameof(holder));
        }

        return holder.Kind == OrganisationKind.Provider && decision.Outcome == AllocationOutcome.KeepWithNps
            ? new EscalationRequirement(
                @case.Crn.Value,
                holder.Code,
                area.NpsRegionCode,
                current.Id,
                [.. decision.Rules.Where(r => r.Fired)],
                decision.RulesetVersion,
                decision.RulesetHash)
            : null;
    }
}

/// <summary>
/// <c>case-transfer.case.escalation-required</c>: what an alert needs (the case, the provider and the NPS region to
/// alert, when) and why (the rules that fired, the ruleset, the assessment they read), and any escalation already open.
/// </summary>
public sealed record CaseEscalationRequired(
    string Crn,
    string Provider,
    string NpsRegion,
    Guid RiskAssessmentId,
    IReadOnlyList<string> FiredRules,
    string RulesetVersion,
    string RulesetHash,
    Guid? OpenEscalationId,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [Provider, NpsRegion];

    public CaseEscalationRequired(EscalationRequirement requirement, DateTimeOffset at)
        : this(
            requirement.Crn,
            requirement.Provider,
            requirement.NpsRegion,
            requirement.RiskAssessmentId,
            [.. requirement.FiredRules.Select(r => r.RuleId)],
            requirement.RulesetVersion,
            requirement.RulesetHash,
            requirement.OpenEscalationId,
            at)
    {
    }

    public string EventType => "case-transfer.case.escalation-required";
    public string Description => "The allocation rules now keep this provider-held case with the NPS: escalation required";
    string? IDomainEvent.Crn => Crn;
}
