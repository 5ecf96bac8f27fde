using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Auditing;

/// <summary>
/// For a subject access request: every consultation and disclosure of one person's data — who, which
/// organisation, when, why and to whom — answered by the organisation that holds the case.
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.Auditor)]
public sealed record GetDisclosureLog(string Crn) : IQuery<IReadOnlyList<DisclosureLogEntry>>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation, nameof(GetDisclosureLog), Crn, "disclosure-log", Crn, null,
        $"{((IReadOnlyList<DisclosureLogEntry>)result).Count} entries");
}

public sealed record DisclosureLogEntry(
    DateTimeOffset OccurredAt,
    AuditOperation Operation,
    string Action,
    string ActorUserId,
    string ActorUserName,
    string ActorOrganisation,
    string? ClientId,
    string? ResourceType,
    string? Justification,
    string? Recipients);

public sealed class GetDisclosureLogValidator : AbstractValidator<GetDisclosureLog>
{
    public GetDisclosureLogValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed class GetDisclosureLogHandler(IAppDbContext db, CaseAccess access) : IQueryHandler<GetDisclosureLog, IReadOnlyList<DisclosureLogEntry>>
{
    public async ValueTask<IReadOnlyList<DisclosureLogEntry>> Handle(GetDisclosureLog query, CancellationToken cancellationToken)
    {
        await access.GetVisibleIdAsync(query.Crn, cancellationToken);
        var crn = (Crn?)Crn.Parse(query.Crn);
        return await DisclosureLog.Entries(db, crn)
            .OrderBy(e => e.Sequence)
            .Select(e => new DisclosureLogEntry(
                e.OccurredAt, e.Operation, e.Action, e.ActorUserId, e.ActorUserName, e.ActorOrganisation, e.ClientId, e.ResourceType, e.Justification, e.Recipients))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>The one definition of a person's disclosure log: every consultation and disclosure of their case, for the log's endpoint and for a subject access bundle.</summary>
public static class DisclosureLog
{
    public static IQueryable<AuditEntry> Entries(IAppDbContext db, Crn? crn) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.Crn == crn && (e.Operation == AuditOperation.Consultation || e.Operation == AuditOperation.Disclosure));
}
