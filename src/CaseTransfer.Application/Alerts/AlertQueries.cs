using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Alerts;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Alerts;

public sealed record AlertLinks(string Self, string Case, string? Subject);

/// <summary>An alert as the organisation that must act sees it.</summary>
/// <param name="SubjectId">What the alert is about: the case, or its escalation, allocation or requirement.</param>
/// <param name="Audience">Who in the organisation must act: Everyone, or Managers (raised again after a deadline passed).</param>
/// <param name="Since">Since when the condition holds.</param>
/// <param name="Deadline">The deadline the alert concerns, where there is one.</param>
/// <param name="ClearedBySystem">Resolved by the service because its condition cleared.</param>
public sealed record AlertView(
    Guid Id,
    string Kind,
    string Crn,
    Guid SubjectId,
    string Organisation,
    AlertAudience Audience,
    AlertState State,
    string Why,
    DateTimeOffset Since,
    DateTimeOffset? Deadline,
    DateTimeOffset RaisedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    bool ClearedBySystem,
    long Version,
    AlertLinks Links) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "alert";

    [JsonIgnore]
    public string ResourceId => Id.ToString();

    [JsonIgnore]
    public long? ResourceVersion => Version;

    [JsonIgnore]
    string? IAuditedResult.Crn => Crn;

    [JsonIgnore]
    public string? ChangeSummary { get; init; }

    public static AlertView Of(Alert a) => new(
        a.Id, a.Kind, a.Crn.Value, a.SubjectId, a.OrganisationCode, a.Audience, a.State, a.Why, a.Since, a.Deadline, a.RaisedAt,
        a.AcknowledgedBy, a.AcknowledgedAt, a.ResolvedBy, a.ResolvedAt, a.ClearedBySystem, a.Version,
        new AlertLinks($"/api/v1/alerts/{a.Id}", $"/api/v1/cases/{a.Crn.Value}", SubjectLink(a)));

    private static string? SubjectLink(Alert a) => a.Kind switch
    {
        AlertKinds.EscalationAcknowledgementOverdue or AlertKinds.EscalationDecisionOverdue => $"/api/v1/escalations/{a.SubjectId}",
        AlertKinds.AllocationDecisionOverdue => $"/api/v1/allocations/{a.SubjectId}",
        AlertKinds.DocumentInfected => $"/api/v1/documents/{a.SubjectId}",
        _ => null,
    };

    public AuditFacts Consulted(string action) => new(AuditOperation.Consultation, action, Crn, ResourceType, Id.ToString(), Version, ResourceType);
}

/// <summary>Who sees an alert: the organisation that must act on it, and no one else (404, as for a case they cannot see).</summary>
public sealed class AlertAccess(IAppDbContext db, ICaller caller)
{
    public IQueryable<Alert> Visible() => db.Alerts.Where(a => a.OrganisationCode == caller.OrganisationCode);

    public async Task<Alert> GetVisibleAsync(Guid id, CancellationToken cancellationToken) =>
        await Visible().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException("Alert", id.ToString());

    /// <summary>Tracked, for an action: 404 when not the caller's organisation's, 403 for a managers' alert and a caller who is not one, 412 when stale.</summary>
    public async Task<Alert> GetForChangeAsync(Guid id, IfMatch? expectedVersion, CancellationToken cancellationToken)
    {
        var alert = await Visible().SingleOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException("Alert", id.ToString());
        if (alert.Audience == AlertAudience.Managers && !Roles.Managers.Any(caller.Roles.Contains))
        {
            throw new ForbiddenException("This alert was raised to managers: only a manager acknowledges or resolves it.");
        }

        IfMatch.Ensure(expectedVersion, "alert", alert.Version);
        return alert;
    }
}

/// <summary>One alert of the caller's organisation. Reading it is logged: it names a case.</summary>
[Authorise(Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record GetAlert(Guid Id) : IQuery<AlertView>, IConsultation
{
    public AuditFacts Consulted(object result) => ((AlertView)result).Consulted(nameof(GetAlert));
}

public sealed class GetAlertValidator : AbstractValidator<GetAlert>
{
    public GetAlertValidator() => RuleFor(q => q.Id).NotEmpty().WithMessage("is required");
}

public sealed class GetAlertHandler(AlertAccess access) : IQueryHandler<GetAlert, AlertView>
{
    public async ValueTask<AlertView> Handle(GetAlert query, CancellationToken cancellationToken) =>
        AlertView.Of(await access.GetVisibleAsync(query.Id, cancellationToken));
}

/// <summary>What the caller's organisation must act on, oldest first, filtered by kind, case and state; each page read is logged.</summary>
[Authorise(Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem)]
public sealed record ListAlerts(string? Kind, string? Crn, AlertState? State, int? Limit, string? Cursor) : IQuery<Page<AlertView>>, IConsultation
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation,
        nameof(ListAlerts),
        Crn is not null && Domain.Identifiers.Crn.IsValid(Crn) ? Crn : null,
        "alerts",
        null,
        null,
        $"{((Page<AlertView>)result).Items.Count} alerts; filters: {string.Join(", ", Filters())}");

    private IEnumerable<string> Filters()
    {
        if (Kind is not null) yield return $"kind={Kind}";
        if (Crn is not null) yield return "crn";
        if (State is not null) yield return $"state={State}";
    }
}

public sealed class ListAlertsValidator : AbstractValidator<ListAlerts>
{
    public ListAlertsValidator()
    {
        RuleFor(q => q.Kind).Must(k => k is null || AlertKinds.All.Contains(k)).WithMessage($"must be one of {string.Join(", ", AlertKinds.All)}");
        RuleFor(q => q.Crn).Must(c => c is null || Crn.IsValid(c)).WithMessage($"must match {Crn.Pattern}");
        RuleFor(q => q.Limit).InclusiveBetween(1, ListAlerts.MaxLimit).WithMessage($"must be from 1 to {ListAlerts.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage("is not a cursor this service issued");
    }
}

public sealed class ListAlertsHandler(AlertAccess access) : IQueryHandler<ListAlerts, Page<AlertView>>
{
    public async ValueTask<Page<AlertView>> Handle(ListAlerts query, CancellationToken cancellationToken)
    {
        var alerts = access.Visible().AsNoTracking();
        if (query.Kind is { } kind)
        {
            alerts = alerts.Where(a => a.Kind == kind);
        }

        if (query.Crn is not null)
        {
            var crn = Crn.Parse(query.Crn);
            alerts = alerts.Where(a => a.Crn == crn);
        }

        if (query.State is { } state)
        {
            alerts = alerts.Where(a => a.State == state);
        }

        if (query.Cursor is not null)
        {
            var after = Guid.Parse(query.Cursor);
            alerts = alerts.Where(a => a.Id.CompareTo(after) > 0);
        }

        // Ids are UUID v7, so their order is the order alerts were raised.
        var limit = query.Limit ?? ListAlerts.DefaultLimit;
        var page = await alerts.OrderBy(a => a.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(limit).Select(AlertView.Of).ToList();
        return new Page<AlertView>(items, page.Count > limit ? items[^1].Id.ToString() : null);
    }
}

/// <summary>An action on one alert (see <see cref="AlterationCommand"/>).</summary>
public abstract record AlertAction(Guid Id, IfMatch? ExpectedVersion) : AlterationCommand(ExpectedVersion), ICommand<AlertView>;

public abstract class AlertActionValidator<T> : AbstractValidator<T>
    where T : AlertAction
{
    protected AlertActionValidator() => RuleFor(c => c.Id).NotEmpty().WithMessage("is required");
}

/// <summary>The one shape of an alert action: find it for the caller's organisation, check its version, act, answer the new view.</summary>
public sealed class AlertChanges(AlertAccess access, ICaller caller, TimeProvider clock)
{
    public async Task<AlertView> ApplyAsync(AlertAction action, Action<Alert, string, DateTimeOffset> change, CancellationToken cancellationToken)
    {
        var alert = await access.GetForChangeAsync(action.Id, action.ExpectedVersion, cancellationToken);
        var before = alert.State;
        change(alert, caller.UserId, clock.GetUtcNow());
        return AlertView.Of(alert) with { ChangeSummary = $"alert {alert.Kind}; state: {before} -> {alert.State}" };
    }
}

[Authorise(Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin)]
public sealed record AcknowledgeAlert(Guid Id, IfMatch? ExpectedVersion) : AlertAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "alert acknowledged";
}

public sealed class AcknowledgeAlertValidator : AlertActionValidator<AcknowledgeAlert>;

public sealed class AcknowledgeAlertHandler(AlertChanges changes) : ICommandHandler<AcknowledgeAlert, AlertView>
{
    public async ValueTask<AlertView> Handle(AcknowledgeAlert command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, (alert, by, at) => alert.Acknowledge(by, at), cancellationToken);
}

[Authorise(Roles.CaseManager, Roles.EscalationDecider, Roles.Allocator, Roles.Manager, Roles.TeamManager, Roles.HeadOfService, Roles.Admin)]
public sealed record ResolveAlert(Guid Id, IfMatch? ExpectedVersion) : AlertAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "alert resolved";
}

public sealed class ResolveAlertValidator : AlertActionValidator<ResolveAlert>;

public sealed class ResolveAlertHandler(AlertChanges changes) : ICommandHandler<ResolveAlert, AlertView>
{
    public async ValueTask<AlertView> Handle(ResolveAlert command, CancellationToken cancellationToken) =>
        await changes.ApplyAsync(command, (alert, by, at) => alert.Resolve(by, at), cancellationToken);
}
