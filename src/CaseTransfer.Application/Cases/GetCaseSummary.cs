using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.VictimLiaison;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Cases;

/// <summary>
/// The whole picture of a case in one request: who holds it, its risk, its key dates, what is pending. An organisation
/// that no longer holds the case but has a grant of it in force (a provider in its handover period) reads it too, and
/// is told until when (<see cref="CaseSummary.ReadOnlyUntil"/>).
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetCaseSummary(string Crn) : IQuery<CaseSummary>, ICaseMessage, IConsultation
{
    public AuditFacts Consulted(object result)
    {
        var summary = (CaseSummary)result;
        return new(AuditOperation.Consultation, nameof(GetCaseSummary), Crn, "case", Crn, summary.Version,
            summary.ReadOnlyThrough is { } through ? $"case summary, through {through}" : "case summary");
    }
}

public sealed record PersonName(string FirstName, string? MiddleNames, string LastName);

public sealed record OrganisationRef(string Code, string Name);

public sealed record Holder(string Code, string Name, DateTimeOffset Since);

public sealed record OfficerRef(Guid Id, string StaffCode, string Name, string Grade, DateTimeOffset Since);

public sealed record SentenceView(
    string Type,
    DateOnly SentenceDate,
    DateOnly? StartDate,
    DateOnly? ExpectedEndDate,
    DateOnly? ReleaseDate,
    DateOnly? LicenceEndDate);

public sealed record KeyDates(
    DateOnly SentenceDate,
    DateOnly? StartDate,
    DateOnly? ExpectedEndDate,
    DateOnly? NextReleaseDate,
    DateOnly? LicenceEndDate,
    DateOnly? NextRequirementEndDate);

public sealed record RequirementView(Guid Id, RequirementType Type, DateOnly? StartDate, DateOnly? ExpectedEndDate);

/// <summary>One piece of open work on the case: its kind (allocation, escalation, dispute, alert) and where to read it.</summary>
public sealed record PendingItem(string Kind, string Href);

/// <summary>Anything awaiting action on the case: its open allocation and escalation, its open disputes, and the caller's organisation's unresolved alerts (one item each); information requests add to it as they arrive.</summary>
public sealed record Pending(int Total, IReadOnlyList<PendingItem> Items)
{
    /// <summary>The open work of each kind there is: a kind with nothing open (a null id) is left out.</summary>
    public static Pending Of(params (string Kind, string Resource, Guid? Id)[] open)
    {
        List<PendingItem> items = [.. open.Where(o => o.Id is not null).Select(o => new PendingItem(o.Kind, $"/api/v1/{o.Resource}/{o.Id}"))];
        return new Pending(items.Count, items);
    }
}

public sealed record CaseLinks(string Self, string RiskAssessments, string Holders, string Tiers);

/// <summary>The tier the allocation rules last computed for the case (the assessor's own tier is in the current risk).</summary>
public sealed record ComputedTier(string? Tier, bool Provisional, IReadOnlyList<string> MissingFacts, string RulesetVersion, string RulesetHash, DateTimeOffset ComputedAt);

/// <summary>
/// What the NPS victim liaison unit asks of the case's holder: the contact reference to quote to the unit and the
/// conditions in force. Never the victim's own details, which only the unit reads.
/// </summary>
public sealed record VictimLiaisonSummary(string? ContactReference, IReadOnlyList<VictimConditionView> Conditions);

public sealed record CaseSummary(
    string Crn,
    PersonName Name,
    IReadOnlyList<OtherNameView> OtherNames,
    DateOnly DateOfBirth,
    string? PncId,
    string? NomsNumber,
    OrganisationRef Area,
    Holder Holder,
    OfficerRef? ResponsibleOfficer,
    RiskAssessmentView? CurrentRisk,
    SentenceView Sentence,
    KeyDates KeyDates,
    IReadOnlyList<RequirementView> Requirements,
    Pending Pending,
    long Version,
    CaseLinks Links,
    ComputedTier? ComputedTier,
    DateTimeOffset? ReadOnlyUntil,
    VictimLiaisonSummary? VictimLiaison)
{
    /// <summary>For the consultation entry: how a caller that does not hold the case read it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? ReadOnlyThrough { get; init; }
}

public sealed class GetCaseSummaryValidator : AbstractValidator<GetCaseSummary>
{
    public GetCaseSummaryValidator() => RuleFor(q => q.Crn).MustBeCrn();
}

public sealed class GetCaseSummaryHandler(IAppDbContext db, CaseAccess access, ICaller caller, TimeProvider clock) : IQueryHandler<GetCaseSummary, CaseSummary>
{
    public async ValueTask<CaseSummary> Handle(GetCaseSummary query, CancellationToken cancellationToken)
    {
        var organisation = caller.OrganisationCode;

        // Who may read it is asked once; the picture's queries (split, one per collection) then find the case by its id
        // rather than each asking again, which a reader through a share paid for in every one of them.
        var caseId = await access.GetReadableIdAsync(query.Crn, cancellationToken);
        var (codes, _) = await access.VisibilityAsync(cancellationToken);
        var reaching = await access.SharesReachingCallerAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var row = await db.Cases.AsNoTracking()
            .Where(c => c.Id == caseId)
            .Select(c => new
            {
                Case = c,

                // A reader that does not hold the case reads it read-only, until its latest grant or live share ends.
                GrantedUntil = codes.Contains(c.HolderOrganisationCode) ? null : db.CaseAccessGrants
                    .Where(g => g.CaseId == c.Id && codes.Contains(g.OrganisationCode) && g.From <= now && g.Until > now)
                    .Max(g => (DateTimeOffset?)g.Until),
                SharedUntil = codes.Contains(c.HolderOrganisationCode) ? null : reaching.Where(s => s.CaseId == c.Id)
                    .Max(s => (DateTimeOffset?)s.ExpiresAt),
                Area = db.Areas.Where(a => a.Code == c.AreaCode).Select(a => new OrganisationRef(a.Code, a.Name)).First(),
                HolderName = db.Organisations.Where(o => o.Code == c.HolderOrganisationCode).Select(o => o.Name).First(),
                Officer = db.Practitioners.Where(p => p.Id == c.ResponsibleOfficerId).Select(p => new { p.Id, p.StaffCode, p.Name, p.Grade }).FirstOrDefault(),
                OfficerSince = c.Holdings.Where(h => h.To == null).Select(h => (DateTimeOffset?)h.From).FirstOrDefault(),
                Requirements = c.Requirements.OrderBy(r => r.StartDate).ThenBy(r => r.Type).ToList(),
                OtherNames = db.CaseOtherNames.Where(o => o.CaseId == c.Id).OrderBy(o => o.RecordedAt).ThenBy(o => o.Id).ToList(),
                OpenAllocation = db.Allocations.Where(a => a.OpenCaseId == c.Id).Select(a => (Guid?)a.Id).FirstOrDefault(),
                OpenEscalation = db.Escalations.Where(e => e.OpenCaseId == c.Id).Select(e => (Guid?)e.Id).FirstOrDefault(),

                // A case may have more than one open dispute (one about an allocation, another about an escalation).
                OpenDisputes = db.Disputes.Where(d => d.OpenCaseId == c.Id).OrderBy(d => d.Id).Select(d => d.Id).ToList(),

                // The caller's organisation's unresolved alerts on the case: another organisation's are not its to act on.
                OpenAlerts = db.Alerts.Where(a => a.CaseId == c.Id && a.ResolvedAt == null && a.OrganisationCode == organisation)
                    .OrderBy(a => a.Id).Select(a => a.Id).ToList(),

                // What the victim liaison unit asks of the holder; the victims' own details are not the holder's to read.
                VictimContactReference = db.VictimLiaisonRecords.Where(r => r.CaseId == c.Id).Select(r => r.ContactReference).FirstOrDefault(),
                VictimConditions = db.VictimConditions.Where(v => v.CaseId == c.Id && v.EndedAt == null).OrderBy(v => v.StartsOn).ThenBy(v => v.Id).ToList(),
            })
            .AsSplitQuery()
            .SingleAsync(cancellationToken);

        // Newest assessment by date assessed, then by when recorded: a late-entered older assessment does not replace a newer one.
        var current = await db.RiskAssessments.AsNoTracking()
            .Where(a => a.CaseId == row.Case.Id)
            .NewestFirst()
            .FirstOrDefaultAsync(cancellationToken);

        var tier = await db.CaseTiers.AsNoTracking()
            .Where(t => t.CaseId == row.Case.Id)
            .OrderByDescending(t => t.ComputedAt).ThenByDescending(t => t.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var computed = tier is null ? null : CaseTiering.Assessment(tier);

        var c = row.Case;

        var sight = ReadOnlySight.Of(row.GrantedUntil, row.SharedUntil);
        var s = c.Sentence;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var self = $"/api/v1/cases/{c.Crn.Value}";
        return new CaseSummary(
            c.Crn.Value,
            new PersonName(c.FirstName, c.MiddleNames, c.LastName),
            [.. row.OtherNames.Select(OtherNameView.From)],
            c.DateOfBirth,
            c.PncId?.Value,
            c.NomsNumber?.Value,
            row.Area,
            new Holder(c.HolderOrganisationCode, row.HolderName, c.HeldSince),
            row.Officer is null ? null : new OfficerRef(row.Officer.Id, row.Officer.StaffCode, row.Officer.Name, row.Officer.Grade.ToString(), row.OfficerSince ?? c.HeldSince),
            current is null ? null : RiskAssessmentView.From(c.Crn.Value, current, c.Version),
            new SentenceView(s.Type.ToString(), s.SentenceDate, s.StartDate, s.ExpectedEndDate, s.ReleaseDate, s.LicenceEndDate),
            new KeyDates(
                s.SentenceDate,
                s.StartDate,
                s.ExpectedEndDate,
                s.NextReleaseDate(today),
                s.LicenceEndDate,
                row.Requirements.Where(r => r.ExpectedEndDate >= today).Min(r => r.ExpectedEndDate)),
            [.. row.Requirements.Select(r => new RequirementView(r.Id, r.Type, r.StartDate, r.ExpectedEndDate))],

            // A share shows its recipients the case's summary, not the work between the organisations that hold it.
            sight is { ThroughSharesOnly: true }
                ? Pending.Of()
                : Pending.Of([
                    ("allocation", "allocations", row.OpenAllocation),
                    ("escalation", "escalations", row.OpenEscalation),
                    .. row.OpenDisputes.Select(id => ("dispute", "disputes", (Guid?)id)),
                    .. row.OpenAlerts.Select(id => ("alert", "alerts", (Guid?)id))]),
            c.Version,
            new CaseLinks(self, $"{self}/risk-assessments", $"{self}/holders", $"{self}/tiers"),
            computed is null ? null : new ComputedTier(computed.Tier, computed.Provisional, computed.MissingFacts, computed.RulesetVersion, computed.RulesetHash, tier!.ComputedAt),
            sight?.Until,

            // Victim liaison conditions are for the holder to act on, not for a share's recipients.
            sight is { ThroughSharesOnly: true } ? null :
            VictimLiaisonOf(row.VictimContactReference, row.VictimConditions, today))
        {
            ReadOnlyThrough = sight switch
            {
                null => null,
                { ThroughSharesOnly: true } => "a live share",
                _ => "a read-only access grant",
            },
        };
    }

    /// <summary>Null when the unit asks nothing of the holder: no contact reference and no condition in force.</summary>
    private static VictimLiaisonSummary? VictimLiaisonOf(string? contactReference, IEnumerable<Domain.VictimLiaison.VictimCondition> conditions, DateOnly today)
    {
        List<VictimConditionView> current = [.. conditions.Where(v => v.CurrentOn(today)).Select(v => VictimConditionView.From(v, today))];
        return contactReference is null && current.Count == 0 ? null : new VictimLiaisonSummary(contactReference, current);
    }
}
