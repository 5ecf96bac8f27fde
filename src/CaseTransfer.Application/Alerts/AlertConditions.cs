using System.Linq.Expressions;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Alerts;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Disputes;
using CaseTransfer.Domain.Documents;
using CaseTransfer.Domain.Escalations;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Sharing;

namespace CaseTransfer.Application.Alerts;

/// <summary>
/// One row a condition's query yields: an alert that should be open. A class with settable members (not a record)
/// so that EF can compose over the projection (filter it, correlate it) in SQL. Date-based kinds give the date
/// (<see cref="Date"/>); the instant it was missed is London's, computed in <see cref="ToFinding"/>.
/// </summary>
public sealed class AlertCandidate
{
    public string Kind { get; init; } = null!;
    public Guid CaseId { get; init; }
    public Crn Crn { get; init; }
    public Guid SubjectId { get; init; }
    public string OrganisationCode { get; init; } = null!;
    public AlertAudience Audience { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public DateOnly? Date { get; init; }

    public AlertFinding ToFinding() => Date is { } date
        ? new(Kind, CaseId, Crn, SubjectId, OrganisationCode, Audience, AlertPolicy.MissedAt(date), AlertPolicy.MissedAt(date))
        : new(Kind, CaseId, Crn, SubjectId, OrganisationCode, Audience, Since!.Value, Deadline);
}

/// <summary>What a pass evaluates conditions at: the instant, the limits, and (an incremental pass) the cases that changed.</summary>
public sealed record AlertScope(DateTimeOffset Now, AlertPolicy Policy, IReadOnlyList<Guid>? CaseIds)
{
    public DateOnly Today => AlertPolicy.Today(Now);

    /// <summary><paramref name="rows"/> about the scope's cases only (all of them on a full pass).</summary>
    public IQueryable<T> Of<T>(IQueryable<T> rows, Expression<Func<T, Guid>> caseId)
    {
        if (CaseIds is null)
        {
            return rows;
        }

        var ids = CaseIds;
        Expression<Func<Guid, bool>> inScope = id => ids.Contains(id);
        var body = new Replace(inScope.Parameters[0], caseId.Body).Visit(inScope.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(body, caseId.Parameters));
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>
/// An alert kind as a set-based condition: a query yielding every alert of one kind and audience that should be open
/// now, over the scope's cases. The job raises what it yields and has no open alert, and clears open alerts of the
/// kind and audience it no longer yields. To add a kind: name it in <see cref="AlertKinds"/>, write its condition here,
/// and register it in <see cref="AlertConditions.All"/>.
/// </summary>
public interface IAlertCondition
{
    string Kind { get; }
    AlertAudience Audience { get; }
    IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope);
}

public static class AlertConditions
{
    public static readonly IReadOnlyList<IAlertCondition> All =
    [
        new EscalationRequiredCondition(AlertAudience.Everyone),
        new EscalationRequiredCondition(AlertAudience.Managers),
        new EscalationAcknowledgementOverdueCondition(),
        new EscalationDecisionOverdueCondition(),
        new AllocationDecisionOverdueCondition(),
        new CaseQuietCondition(),
        new RequirementNotStartedCondition(),
        new OrderPastEndCondition(),
        new DisputeStageOverdueCondition(),
        new InformationRequestOverdueCondition(),
        new DocumentInfectedCondition(),
    ];
}

/// <summary>
/// A provider holds a case the rules keep with the NPS and has no escalation open: for the provider and the NPS region
/// covering the case. Raised again, to managers on both sides, once it has gone unanswered for
/// <c>Escalation:EscalationRequiredReraiseHours</c>.
/// </summary>
public sealed class EscalationRequiredCondition(AlertAudience audience) : IAlertCondition
{
    public string Kind => AlertKinds.EscalationRequired;
    public AlertAudience Audience => audience;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var required = scope.Of(db.Cases, c => c.Id)
            .Where(c => c.EscalationRequiredSince != null && c.HolderOrganisationCode == c.EscalationRequiredOf
                && !db.Escalations.Any(e => e.OpenCaseId == c.Id));
        if (audience == AlertAudience.Managers)
        {
            var before = scope.Policy.ReraiseBefore(scope.Now);
            required = required.Where(c => c.EscalationRequiredSince < before);
        }

        var kind = Kind;
        var provider = required.Select(c => new AlertCandidate
        {
            Kind = kind, CaseId = c.Id, Crn = c.Crn, SubjectId = c.Id, OrganisationCode = c.HolderOrganisationCode, Audience = audience,
            Since = c.EscalationRequiredSince, Deadline = null, Date = null,
        });
        var region = required.Join(db.Areas, c => c.AreaCode, a => a.Code, (c, a) => new AlertCandidate
        {
            Kind = kind, CaseId = c.Id, Crn = c.Crn, SubjectId = c.Id, OrganisationCode = a.NpsRegionCode, Audience = audience,
            Since = c.EscalationRequiredSince, Deadline = null, Date = null,
        });
        return provider.Concat(region);
    }
}

/// <summary>An emergency escalation the NPS region has not acknowledged by its deadline.</summary>
public sealed class EscalationAcknowledgementOverdueCondition : IAlertCondition
{
    public string Kind => AlertKinds.EscalationAcknowledgementOverdue;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (now, kind) = (scope.Now, Kind);
        return scope.Of(db.Escalations, e => e.CaseId)
            .Where(e => e.State == EscalationState.Requested && e.AcknowledgeBy != null && e.AcknowledgeBy < now)
            .Select(e => new AlertCandidate
            {
                Kind = kind, CaseId = e.CaseId, Crn = e.Crn, SubjectId = e.Id, OrganisationCode = e.NpsRegionCode, Audience = AlertAudience.Everyone,
                Since = e.AcknowledgeBy, Deadline = e.AcknowledgeBy, Date = null,
            });
    }
}

/// <summary>A standard escalation the NPS region has not decided by its deadline.</summary>
public sealed class EscalationDecisionOverdueCondition : IAlertCondition
{
    public string Kind => AlertKinds.EscalationDecisionOverdue;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (now, kind) = (scope.Now, Kind);
        return scope.Of(db.Escalations, e => e.CaseId)
            .Where(e => (e.State == EscalationState.Requested || e.State == EscalationState.Acknowledged) && e.DecideBy != null && e.DecideBy < now)
            .Select(e => new AlertCandidate
            {
                Kind = kind, CaseId = e.CaseId, Crn = e.Crn, SubjectId = e.Id, OrganisationCode = e.NpsRegionCode, Audience = AlertAudience.Everyone,
                Since = e.DecideBy, Deadline = e.DecideBy, Date = null,
            });
    }
}

/// <summary>An allocation sent to a provider that has not accepted or rejected it by its deadline.</summary>
public sealed class AllocationDecisionOverdueCondition : IAlertCondition
{
    public string Kind => AlertKinds.AllocationDecisionOverdue;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (now, kind) = (scope.Now, Kind);
        return scope.Of(db.Allocations, a => a.CaseId)
            .Where(a => a.State == AllocationState.Proposed && a.DueBy != null && a.DueBy < now)
            .Join(db.Cases, a => a.CaseId, c => c.Id, (a, c) => new AlertCandidate
            {
                Kind = kind, CaseId = a.CaseId, Crn = c.Crn, SubjectId = a.Id, OrganisationCode = a.ToOrganisationCode, Audience = AlertAudience.Everyone,
                Since = a.DueBy, Deadline = a.DueBy, Date = null,
            });
    }
}

/// <summary>No audited write on the case for <c>Alerts:CaseQuietDays</c>: for its holder.</summary>
public sealed class CaseQuietCondition : IAlertCondition
{
    public string Kind => AlertKinds.CaseQuiet;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (before, kind) = (scope.Policy.QuietBefore(scope.Now), Kind);
        return scope.Of(db.Cases, c => c.Id)
            .Where(c => c.LastAuditedWriteAt < before)
            .Select(c => new AlertCandidate
            {
                Kind = kind, CaseId = c.Id, Crn = c.Crn, SubjectId = c.Id, OrganisationCode = c.HolderOrganisationCode, Audience = AlertAudience.Everyone,
                Since = c.LastAuditedWriteAt, Deadline = null, Date = null,
            });
    }
}

/// <summary>A requirement whose expected start date has passed (London's date) and that has not started: for the case's holder.</summary>
public sealed class RequirementNotStartedCondition : IAlertCondition
{
    public string Kind => AlertKinds.RequirementNotStarted;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (today, kind) = (scope.Today, Kind);
        return scope.Of(db.Cases, c => c.Id)
            .SelectMany(
                c => c.Requirements.Where(r => r.StartedOn == null && r.StartDate != null && r.StartDate < today),
                (c, r) => new AlertCandidate
                {
                    Kind = kind, CaseId = c.Id, Crn = c.Crn, SubjectId = r.Id, OrganisationCode = c.HolderOrganisationCode, Audience = AlertAudience.Everyone,
                    Since = null, Deadline = null, Date = r.StartDate,
                });
    }
}

/// <summary>An order past its expected end date (London's date) and still held: for its holder.</summary>
public sealed class OrderPastEndCondition : IAlertCondition
{
    public string Kind => AlertKinds.OrderPastEnd;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (today, kind) = (scope.Today, Kind);
        return scope.Of(db.Cases, c => c.Id)
            .Where(c => c.Sentence.ExpectedEndDate != null && c.Sentence.ExpectedEndDate < today)
            .Select(c => new AlertCandidate
            {
                Kind = kind, CaseId = c.Id, Crn = c.Crn, SubjectId = c.Id, OrganisationCode = c.HolderOrganisationCode, Audience = AlertAudience.Everyone,
                Since = null, Deadline = null, Date = c.Sentence.ExpectedEndDate,
            });
    }
}

/// <summary>
/// An open dispute whose stage passed its time limit, for both parties: a Local stage the sweep moved up by lapse (since
/// it moved; the deadline is the Senior stage's), or a stage past its limit now (a Senior one, which nothing moves
/// further, or a Local one the sweep has not reached yet; since and deadline are the limit). Clears when the dispute
/// is resolved. One row per dispute and party, so the alert stays one alert as the dispute goes from one to the other.
/// </summary>
public sealed class DisputeStageOverdueCondition : IAlertCondition
{
    public string Kind => AlertKinds.DisputeStageOverdue;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (now, kind) = (scope.Now, Kind);
        var overdue = scope.Of(db.Disputes, d => d.CaseId)
            .Where(d => d.Stage != DisputeStage.Resolved && (d.StageReachedBy == DisputeStageCause.Lapse || (d.StageDueBy != null && d.StageDueBy < now)));
        IQueryable<AlertCandidate> To(bool nps) => overdue.Select(d => new AlertCandidate
        {
            Kind = kind, CaseId = d.CaseId, Crn = d.Crn, SubjectId = d.Id, OrganisationCode = nps ? d.NpsOrganisationCode : d.ProviderCode,
            Audience = AlertAudience.Everyone, Since = d.StageDueBy < now ? d.StageDueBy : d.StageEnteredAt, Deadline = d.StageDueBy, Date = null,
        });
        return To(nps: true).Concat(To(nps: false));
    }
}

/// <summary>
/// A request for information still open past the end of its due date: for the organisation asked, which must answer
/// it, and for the one asking, which may need to chase it or act without it.
/// </summary>
public sealed class InformationRequestOverdueCondition : IAlertCondition
{
    public string Kind => AlertKinds.InformationRequestOverdue;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var (now, kind) = (scope.Now, Kind);
        var overdue = scope.Of(db.InformationRequests, r => r.CaseId).Where(r => r.State == InformationRequestState.Requested && r.DueBy <= now);
        IQueryable<AlertCandidate> To(bool addressee) => overdue.Select(r => new AlertCandidate
        {
            Kind = kind, CaseId = r.CaseId, Crn = r.Crn, SubjectId = r.Id, OrganisationCode = addressee ? r.AddresseeOrganisationCode : r.RequesterOrganisationCode,
            Audience = AlertAudience.Everyone, Since = r.DueBy, Deadline = r.DueBy, Date = null,
        });
        return To(addressee: true).Concat(To(addressee: false));
    }
}

/// <summary>
/// A document the malware scanner found infected, for the organisation that uploaded it (which alone sees it), since
/// the verdict. It holds for good, so it is never cleared by the service; once a person resolves it, it is not raised
/// again (same since).
/// </summary>
public sealed class DocumentInfectedCondition : IAlertCondition
{
    public string Kind => AlertKinds.DocumentInfected;
    public AlertAudience Audience => AlertAudience.Everyone;

    public IQueryable<AlertCandidate> Find(IAppDbContext db, AlertScope scope)
    {
        var kind = Kind;
        return scope.Of(db.Documents, d => d.CaseId)
            .Where(d => d.ScanStatus == ScanStatus.Infected)
            .Select(d => new AlertCandidate
            {
                Kind = kind, CaseId = d.CaseId, Crn = d.Crn, SubjectId = d.Id, OrganisationCode = d.OwnerOrganisationCode, Audience = AlertAudience.Everyone,
                Since = d.ScannedAt, Deadline = null, Date = null,
            });
    }
}
