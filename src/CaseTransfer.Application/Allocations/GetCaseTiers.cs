using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Allocations;

/// <summary>Every tier computed for the case, newest first, each with its working and the ruleset that computed it.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem, Roles.Manager)]
public sealed record GetCaseTiers(string Crn) : IQuery<IReadOnlyList<CaseTierView>>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result) =>
        new(AuditOperation.Consultation, nameof(GetCaseTiers), Crn, "tiers", Crn, null, $"{((IReadOnlyList<CaseTierView>)result).Count} tier computations");
}

/// <summary>One computation of the tier: when, from which risk assessment, under which ruleset, and how.</summary>
public sealed record CaseTierView(Guid Id, DateTimeOffset ComputedAt, Guid? RiskAssessmentId, TierAssessment Assessment);

public sealed class GetCaseTiersValidator : AbstractValidator<GetCaseTiers>
{
    public GetCaseTiersValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed class GetCaseTiersHandler(IAppDbContext db, CaseAccess access) : IQueryHandler<GetCaseTiers, IReadOnlyList<CaseTierView>>
{
    public async ValueTask<IReadOnlyList<CaseTierView>> Handle(GetCaseTiers query, CancellationToken cancellationToken)
    {
        var caseId = await access.GetVisibleIdAsync(query.Crn, cancellationToken);
        var rows = await db.CaseTiers.AsNoTracking()
            .Where(t => t.CaseId == caseId)
            .OrderByDescending(t => t.ComputedAt).ThenByDescending(t => t.Id)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new CaseTierView(r.Id, r.ComputedAt, r.RiskAssessmentId, CaseTiering.Assessment(r)))];
    }
}
