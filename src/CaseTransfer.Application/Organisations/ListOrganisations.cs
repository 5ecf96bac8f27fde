using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Workload;
using CaseTransfer.Domain.Organisations;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Organisations;

/// <summary>The organisations on both sides of the divide, with the areas each covers. Public reference data.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Auditor, Roles.Admin, Roles.PartnerSystem)]
public sealed record ListOrganisations : IQuery<IReadOnlyList<OrganisationView>>;

public sealed record AreaView(string Code, string Name, string NpsRegionCode, string ProviderCode);

public sealed record OrganisationView(string Code, string Name, OrganisationKind Kind, string? ParentCode, string? Owner, IReadOnlyList<AreaView> Areas);

/// <summary>
/// The practitioners of an organisation with their workload figures. Only that organisation's own staff (or the NPS)
/// may list them. <see cref="Available"/> keeps those under 100% of capacity, least loaded first.
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Admin)]
public sealed record ListPractitioners(string OrganisationCode, bool? Available = null) : IQuery<IReadOnlyList<PractitionerView>>;

/// <param name="AvailableHours">Contracted hours less reductions; they scale the grade's target points.</param>
/// <param name="CaseloadCount">Cases the practitioner is responsible officer for.</param>
/// <param name="Points">The caseload's workload points (by tier and type, from the weightings in force today).</param>
/// <param name="AvailablePoints">The grade's target points scaled by available over contracted hours.</param>
/// <param name="CapacityPercent">Points over available points, as a percentage to one place.</param>
public sealed record PractitionerView(
    Guid Id,
    string StaffCode,
    string Name,
    string OrganisationCode,
    Grade Grade,
    decimal ContractedHours,
    decimal AvailableHours,
    int CaseloadCount,
    int Points,
    decimal AvailablePoints,
    decimal CapacityPercent);

public sealed class ListPractitionersValidator : AbstractValidator<ListPractitioners>
{
    public ListPractitionersValidator() =>
        RuleFor(q => q.OrganisationCode).NotEmpty().WithMessage("is required").MaximumLength(Organisation.CodeMaxLength);
}

public sealed class ListOrganisationsHandler(IAppDbContext db) : IQueryHandler<ListOrganisations, IReadOnlyList<OrganisationView>>
{
    public async ValueTask<IReadOnlyList<OrganisationView>> Handle(ListOrganisations query, CancellationToken cancellationToken)
    {
        var organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Code).ToListAsync(cancellationToken);
        var areas = await db.Areas.AsNoTracking().OrderBy(a => a.Code).ToListAsync(cancellationToken);
        return [.. organisations.Select(o => new OrganisationView(
            o.Code,
            o.Name,
            o.Kind,
            o.ParentCode,
            o.Owner,
            [.. areas.Where(a => a.ProviderCode == o.Code || a.NpsRegionCode == o.Code).Select(a => new AreaView(a.Code, a.Name, a.NpsRegionCode, a.ProviderCode))]))];
    }
}

public sealed class ListPractitionersHandler(IAppDbContext db, CaseAccess access, ICaller caller, Caseloads caseloads) : IQueryHandler<ListPractitioners, IReadOnlyList<PractitionerView>>
{
    public async ValueTask<IReadOnlyList<PractitionerView>> Handle(ListPractitioners query, CancellationToken cancellationToken)
    {
        var own = caller.OrganisationCode;
        var target = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Code == query.OrganisationCode, cancellationToken)
            ?? throw new NotFoundException("Organisation", query.OrganisationCode);
        var callerIsNps = (await access.CallerOrganisationAsync(cancellationToken))?.IsNps == true;

        // Staff lists are personal data: a provider sees its own staff; the NPS, which allocates, sees everyone's.
        if (target.Code != own && target.ParentCode != own && !callerIsNps)
        {
            throw new NotFoundException("Organisation", query.OrganisationCode);
        }

        var practitioners = await db.Practitioners.AsNoTracking()
            .Where(p => p.OrganisationCode == target.Code)
            .OrderBy(p => p.Name).ThenBy(p => p.StaffCode)
            .ToListAsync(cancellationToken);
        var model = await caseloads.ModelAsync(cancellationToken);
        var figures = await caseloads.OfAsync(model, practitioners, caseloads.Today, cancellationToken);
        var views = practitioners.Select(p => (Practitioner: p, Caseload: figures[p.Id]));
        if (query.Available == true)
        {
            views = views.Where(v => v.Caseload.CapacityPercent < 100m).OrderBy(v => v.Caseload.CapacityPercent);
        }

        return [.. views.Select(v => new PractitionerView(
            v.Practitioner.Id,
            v.Practitioner.StaffCode,
            v.Practitioner.Name,
            v.Practitioner.OrganisationCode,
            v.Practitioner.Grade,
            v.Practitioner.ContractedHours,
            v.Practitioner.EffectiveAvailableHours,
            v.Caseload.CaseCount,
            v.Caseload.Points,
            v.Caseload.AvailablePoints,
            v.Caseload.CapacityPercent))];
    }
}
