using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>What a provider needs to decide on a case it does not hold yet: who, where, how risky, what sentence.</summary>
public sealed record AllocationCaseView(
    string Crn,
    PersonName Name,
    DateOnly DateOfBirth,
    OrganisationRef Area,
    string? Tier,
    RoshLevel? RiskOfSeriousHarm,
    SentenceType SentenceType);

public sealed record AllocationApproval(string ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>The actions open on the allocation in its current state (who may take them is for the server to say).</summary>
public sealed record AllocationLinks(
    string Self,
    string Case,
    string? Approve,
    string? Refuse,
    string? Accept,
    string? Reject,
    string? Withdraw);

/// <summary>
/// An allocation as both sides see it: the case, the proposal, the rules' decision it was made against (every rule
/// evaluated with the facts it read, the ruleset version and hash), whether it is an override, its approval, its
/// deadline and its outcome.
/// </summary>
public sealed record AllocationView(
    Guid Id,
    AllocationCaseView Case,
    string FromOrganisation,
    string ToOrganisation,
    AllocationReason Reason,
    string? ReasonText,
    AllocationDecision Decision,
    bool IsOverride,
    string? OverrideJustification,
    AllocationApproval? Approval,
    string ProposedBy,
    DateTimeOffset ProposedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? DueBy,
    bool Overdue,
    AllocationState State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    AllocationRejectionReason? RejectionReason,
    string? DecisionText,
    Guid? ResponsibleOfficerId,
    long Version,
    AllocationLinks Links) : ICaseWorkflowView
{
    [JsonIgnore]
    public string ResourceType => "allocation";

    [JsonIgnore]
    public string? ChangeSummary { get; init; }
}

/// <summary>
/// A workflow object about one case (an allocation, an escalation) as the audit log names it: its id and version are
/// the resource's, its case gives the CRN. Implemented explicitly, so none of it is part of the JSON.
/// </summary>
public interface ICaseWorkflowView : IAuditedResult
{
    Guid Id { get; }
    long Version { get; }
    AllocationCaseView Case { get; }

    string IAuditedResult.ResourceId => Id.ToString();

    long? IAuditedResult.ResourceVersion => Version;

    string? IAuditedResult.Crn => Case.Crn;

    /// <summary>The consultation entry for reading it with <paramref name="action"/>.</summary>
    AuditFacts Consulted(string action) => new(AuditOperation.Consultation, action, Case.Crn, ResourceType, Id.ToString(), Version, ResourceType);
}

/// <summary>Builds allocation views with the case facts a provider needs, a page at a time (two queries per page).</summary>
public sealed class AllocationViews(IAppDbContext db, TimeProvider clock)
{
    /// <summary>The view after a change, with the audit entry's summary of it (states and codes, no free text).</summary>
    public async Task<AllocationView> ChangedAsync(Allocation allocation, AllocationState? before, CancellationToken cancellationToken) =>
        WithChange(await ForAsync(allocation, cancellationToken), allocation, before);

    /// <summary>
    /// The view after a change, built from the case as the handler already read it in this transaction (a change
    /// to an allocation does not change the case's name, area, tier, risk or sentence), so nothing is read again.
    /// </summary>
    public AllocationView Changed(Allocation allocation, AllocationState? before, AllocationCaseView @case) =>
        WithChange(Build(allocation, @case, clock.GetUtcNow()), allocation, before);

    /// <summary>The case part of a view from a loaded case, its area's name and its current risk (as the case summary reads it).</summary>
    public static AllocationCaseView CaseView(Case @case, string areaName, RiskFacts? risk) => CaseView(@case, areaName, risk?.Tier, risk?.Rosh);

    /// <summary>The case part of a view from a loaded case, its area's name and the tier and RoSH of its current risk assessment.</summary>
    public static AllocationCaseView CaseView(Case @case, string areaName, string? riskTier, RoshLevel? rosh) => new(
        @case.Crn.Value,
        new PersonName(@case.FirstName, @case.MiddleNames, @case.LastName),
        @case.DateOfBirth,
        new OrganisationRef(@case.AreaCode, areaName),
        @case.Tier ?? riskTier,
        rosh,
        @case.Sentence.Type);

    private static AllocationView WithChange(AllocationView view, Allocation allocation, AllocationState? before) => view with
    {
        ChangeSummary = $"state: {before?.ToString() ?? "none"} -> {allocation.State}; toOrganisation: {allocation.ToOrganisationCode}; override: {allocation.IsOverride}",
    };

    public async Task<AllocationView> ForAsync(Allocation allocation, CancellationToken cancellationToken) =>
        (await ForAsync([allocation], cancellationToken))[0];

    public async Task<IReadOnlyList<AllocationView>> ForAsync(IReadOnlyList<Allocation> allocations, CancellationToken cancellationToken)
    {
        var cases = await CaseViewsAsync(db, [.. allocations.Select(a => a.CaseId)], cancellationToken);
        var now = clock.GetUtcNow();
        return [.. allocations.Select(a => Build(a, cases[a.CaseId].View, now))];
    }

    /// <summary>
    /// The case part of a view for each case, by id, with the case's version, a page at a time (two queries): what a
    /// workflow's other side needs to decide on a case it does not hold (an allocation's provider, an escalation's NPS region).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, (AllocationCaseView View, long Version)>> CaseViewsAsync(
        IAppDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var caseIds = ids.Distinct().ToList();
        var cases = await db.Cases.AsNoTracking()
            .Where(c => caseIds.Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                c.Crn,
                c.FirstName,
                c.MiddleNames,
                c.LastName,
                c.DateOfBirth,
                c.Tier,
                c.Version,
                SentenceType = c.Sentence.Type,
                Area = db.Areas.Where(a => a.Code == c.AreaCode).Select(a => new OrganisationRef(a.Code, a.Name)).First(),
            })
            .ToDictionaryAsync(c => c.Id, cancellationToken);

        // The current risk of each case, as the case summary reads it.
        var assessments = await db.RiskAssessments.AsNoTracking().Where(r => caseIds.Contains(r.CaseId)).ToListAsync(cancellationToken);
        var current = assessments.GroupBy(r => r.CaseId).ToDictionary(g => g.Key, g => g.NewestFirst().First().Facts);

        return cases.Values.ToDictionary(c => c.Id, c =>
        {
            var risk = current.GetValueOrDefault(c.Id);
            return (new AllocationCaseView(
                c.Crn.Value, new PersonName(c.FirstName, c.MiddleNames, c.LastName), c.DateOfBirth, c.Area, c.Tier ?? risk?.Tier, risk?.Rosh, c.SentenceType), c.Version);
        });
    }

    private static AllocationView Build(Allocation a, AllocationCaseView @case, DateTimeOffset now) => new(
        a.Id,
        @case,
        a.FromOrganisationCode,
        a.ToOrganisationCode,
        a.Reason,
        a.ReasonText,
        StoredDecisions.Decision(a.DecisionJson)!,
        a.IsOverride,
        a.OverrideJustification,
        a.ApprovedBy is { } by ? new AllocationApproval(by, a.ApprovedAt!.Value) : null,
        a.ProposedBy,
        a.ProposedAt,
        a.SentAt,
        a.DueBy,
        a.IsOverdue(now),
        a.State,
        a.DecidedBy,
        a.DecidedAt,
        a.RejectionReason,
        a.DecisionText,
        a.ResponsibleOfficerId,
        a.Version,
        LinksFor(a, @case.Crn));

    private static AllocationLinks LinksFor(Allocation a, string crn)
    {
        var self = $"/api/v1/allocations/{a.Id}";
        string? If(bool open, string action) => open ? $"{self}/{action}" : null;
        var awaiting = a.State == AllocationState.AwaitingApproval;
        var proposed = a.State == AllocationState.Proposed;
        return new AllocationLinks(
            self,
            $"/api/v1/cases/{crn}",
            If(awaiting, "approve"),
            If(awaiting, "refuse"),
            If(proposed, "accept"),
            If(proposed, "reject"),
            If(a.IsOpen, "withdraw"));
    }
}
