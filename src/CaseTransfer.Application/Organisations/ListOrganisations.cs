using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
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

/// <summary>The practitioners of an organisation. Only that organisation's own staff (or the NPS) may list them.</summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.Admin)]
public sealed record ListPractitioners(string OrganisationCode) : IQuery<IReadOnlyList<PractitionerView>>;

public sealed record PractitionerView(Guid Id, string StaffCode, string Name, string OrganisationCode, Grade Grade, decimal ContractedHours);

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

public sealed class ListPractitionersHandler(IAppDbContext db, CaseAccess access, ICaller caller) : IQueryHandler<ListPractitioners, IReadOnlyList<PractitionerView>>
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

        return await db.Practitioners.AsNoTracking()
            .Where(p => p.OrganisationCode == target.Code)
            .OrderBy(p => p.Name).ThenBy(p => p.StaffCode)
            .Select(p => new PractitionerView(p.Id, p.StaffCode, p.Name, p.OrganisationCode, p.Grade, p.ContractedHours))
            .ToListAsync(cancellationToken);
    }
}
