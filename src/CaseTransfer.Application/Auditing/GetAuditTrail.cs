using System.Globalization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Organisations;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Auditing;

/// <summary>
/// The audit trail, filtered, oldest first, in pages. The national NPS auditor sees everything; an organisation's
/// auditor sees entries about cases it holds or held and actions by its own staff. Reading it is itself logged.
/// </summary>
[Authorise(Roles.Auditor)]
public sealed record GetAuditTrail(
    string? Crn,
    string? Actor,
    string? Organisation,
    AuditOperation? Operation,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? Limit,
    string? Cursor) : IQuery<Page<AuditEntryView>>, IConsultation
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation,
        nameof(GetAuditTrail),
        Crn is not null && Domain.Identifiers.Crn.IsValid(Crn) ? Crn : null,
        "audit-trail",
        null,
        null,
        $"{((Page<AuditEntryView>)result).Items.Count} entries; filters: {string.Join(", ", Filters())}");

    private IEnumerable<string> Filters()
    {
        if (Crn is not null) yield return "crn";
        if (Actor is not null) yield return "actor";
        if (Organisation is not null) yield return $"organisation={Organisation}";
        if (Operation is not null) yield return $"operation={Operation}";
        if (From is not null) yield return "from";
        if (To is not null) yield return "to";
    }
}

public sealed record AuditEntryView(
    long Sequence,
    Guid Id,
    DateTimeOffset OccurredAt,
    AuditOperation Operation,
    string Action,
    string ActorUserId,
    string ActorUserName,
    string ActorOrganisation,
    string? ClientId,
    string TraceId,
    string? Crn,
    string? ResourceType,
    string? ResourceId,
    long? ResourceVersion,
    string? Summary,
    string? Justification,
    string? Recipients);

public sealed class GetAuditTrailValidator : AbstractValidator<GetAuditTrail>
{
    public GetAuditTrailValidator()
    {
        RuleFor(q => q.Crn).Must(c => c is null || Crn.IsValid(c)).WithMessage($"must match {Crn.Pattern}");
        RuleFor(q => q.Actor).MaximumLength(100).WithMessage("must be at most 100 characters");
        RuleFor(q => q.Organisation).MaximumLength(Organisation.CodeMaxLength).WithMessage($"must be at most {Organisation.CodeMaxLength} characters");
        RuleFor(q => q.To).Must((q, to) => to is null || q.From is null || to >= q.From).WithMessage("must not be before from");
        RuleFor(q => q.Limit).InclusiveBetween(1, GetAuditTrail.MaxLimit).WithMessage($"must be from 1 to {GetAuditTrail.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out _)).WithMessage("is not a cursor this service issued");
    }
}

public sealed class GetAuditTrailHandler(IAppDbContext db, CaseAccess access) : IQueryHandler<GetAuditTrail, Page<AuditEntryView>>
{
    public async ValueTask<Page<AuditEntryView>> Handle(GetAuditTrail query, CancellationToken cancellationToken)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if ((await access.CallerOrganisationAsync(cancellationToken))?.Kind != OrganisationKind.Nps)
        {
            var codes = await access.VisibleHolderCodesAsync(cancellationToken);
            var heldCrns = db.CaseHoldings.Where(h => codes.Contains(h.OrganisationCode))
                .Join(db.Cases, h => h.CaseId, c => c.Id, (h, c) => (Crn?)c.Crn);
            entries = entries.Where(e => codes.Contains(e.ActorOrganisation) || heldCrns.Contains(e.Crn));
        }

        if (query.Crn is not null)
        {
            var crn = (Crn?)Crn.Parse(query.Crn);
            entries = entries.Where(e => e.Crn == crn);
        }

        if (query.Actor is not null)
        {
            entries = entries.Where(e => e.ActorUserId == query.Actor);
        }

        if (query.Organisation is not null)
        {
            entries = entries.Where(e => e.ActorOrganisation == query.Organisation);
        }

        if (query.Operation is { } operation)
        {
            entries = entries.Where(e => e.Operation == operation);
        }

        if (query.From is { } from)
        {
            entries = entries.Where(e => e.OccurredAt >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.OccurredAt < to);
        }

        if (query.Cursor is not null)
        {
            var after = long.Parse(query.Cursor, CultureInfo.InvariantCulture);
            entries = entries.Where(e => e.Sequence > after);
        }

        var limit = query.Limit ?? GetAuditTrail.DefaultLimit;
        return Pages.Of(await entries.OrderBy(e => e.Sequence).Take(limit + 1).ToListAsync(cancellationToken), limit, View, v => v.Sequence);
    }

    public static AuditEntryView View(AuditEntry e) => new(
        e.Sequence, e.Id, e.OccurredAt, e.Operation, e.Action, e.ActorUserId, e.ActorUserName, e.ActorOrganisation, e.ClientId,
        e.TraceId, e.Crn?.Value, e.ResourceType, e.ResourceId, e.ResourceVersion, e.Summary, e.Justification, e.Recipients);
}
