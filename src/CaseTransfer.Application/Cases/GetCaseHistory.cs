using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>Every risk assessment recorded on the case, newest first. Readable through an access grant, as the summary is.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetRiskAssessments(string Crn) : IQuery<IReadOnlyList<RiskAssessmentView>>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result) =>
        new(AuditOperation.Consultation, nameof(GetRiskAssessments), Crn, "risk-assessments", Crn, null, $"{((IReadOnlyList<RiskAssessmentView>)result).Count} risk assessments");
}

/// <summary>Every organisation and responsible officer that has held the case, oldest first. Readable through an access grant, as the summary is.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetCaseHolders(string Crn) : IQuery<IReadOnlyList<HoldingView>>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result) =>
        new(AuditOperation.Consultation, nameof(GetCaseHolders), Crn, "holders", Crn, null, "holding history");
}

public sealed record HoldingView(
    OrganisationRef Organisation,
    Guid? ResponsibleOfficerId,
    string? ResponsibleOfficerName,
    DateTimeOffset From,
    DateTimeOffset? To,
    string Reason);

public sealed class GetRiskAssessmentsValidator : AbstractValidator<GetRiskAssessments>
{
    public GetRiskAssessmentsValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed class GetCaseHoldersValidator : AbstractValidator<GetCaseHolders>
{
    public GetCaseHoldersValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed class GetRiskAssessmentsHandler(IAppDbContext db, CaseAccess access)
    : IQueryHandler<GetRiskAssessments, IReadOnlyList<RiskAssessmentView>>
{
    public async ValueTask<IReadOnlyList<RiskAssessmentView>> Handle(GetRiskAssessments query, CancellationToken cancellationToken)
    {
        var caseId = await access.GetHistoryReadableIdAsync(query.Crn, cancellationToken);
        var version = await db.Cases.Where(c => c.Id == caseId).Select(c => c.Version).SingleAsync(cancellationToken);
        var assessments = await db.RiskAssessments.AsNoTracking()
            .Where(a => a.CaseId == caseId)
            .NewestFirst()
            .ToListAsync(cancellationToken);
        return [.. assessments.Select(a => RiskAssessmentView.From(query.Crn, a, version))];
    }
}

public sealed class GetCaseHoldersHandler(IAppDbContext db, CaseAccess access) : IQueryHandler<GetCaseHolders, IReadOnlyList<HoldingView>>
{
    public async ValueTask<IReadOnlyList<HoldingView>> Handle(GetCaseHolders query, CancellationToken cancellationToken)
    {
        var caseId = await access.GetHistoryReadableIdAsync(query.Crn, cancellationToken);
        return await db.CaseHoldings.AsNoTracking()
            .Where(h => h.CaseId == caseId)
            .OrderBy(h => h.From)
            .Select(h => new HoldingView(
                db.Organisations.Where(o => o.Code == h.OrganisationCode).Select(o => new OrganisationRef(o.Code, o.Name)).First(),
                h.ResponsibleOfficerId,
                db.Practitioners.Where(p => p.Id == h.ResponsibleOfficerId).Select(p => p.Name).FirstOrDefault(),
                h.From,
                h.To,
                h.Reason))
            .ToListAsync(cancellationToken);
    }
}
