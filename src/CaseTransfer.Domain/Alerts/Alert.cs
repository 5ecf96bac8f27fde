using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Alerts;

public enum AlertState
{
    /// <summary>Raised; nobody has said they are on it.</summary>
    Open,

    /// <summary>Someone of the organisation has it in hand; the condition may still hold.</summary>
    Acknowledged,

    /// <summary>Closed: by a person, or by the service when its condition cleared.</summary>
    Resolved,
}

/// <summary>Who in the organisation must act: anyone who works the case, or its managers (an alert raised again after a deadline passed).</summary>
public enum AlertAudience
{
    Everyone,
    Managers,
}

/// <summary>
/// What one alert condition found: a case, the thing it is about (the case, an escalation, an allocation, a
/// requirement), the organisation that must act, since when, and the deadline it concerns. Two findings with the same
/// <see cref="Key"/> are the same condition: it never has two open alerts.
/// </summary>
public sealed record AlertFinding(
    string Kind,
    Guid CaseId,
    Crn Crn,
    Guid SubjectId,
    string OrganisationCode,
    AlertAudience Audience,
    DateTimeOffset Since,
    DateTimeOffset? Deadline)
{
    public (string Kind, Guid SubjectId, string OrganisationCode, AlertAudience Audience) Key => (Kind, SubjectId, OrganisationCode, Audience);
}

/// <summary>
/// Something an organisation must act on about a case, raised by the service when a condition holds (see
/// <see cref="AlertKinds"/>) and closed by it when the condition clears. Open -> Acknowledged -> Resolved, or
/// Open -> Resolved. The same condition never has two open alerts: kind, subject, organisation and audience are unique
/// among unresolved alerts, in the database too.
/// </summary>
public sealed class Alert : AggregateRoot
{
    public const int WhyMaxLength = 500;

    /// <summary>The actor the service records for what it does by itself (raising, clearing).</summary>
    public const string SystemActor = "system";

    private Alert()
    {
    }

    public Guid Id { get; private set; }
    public string Kind { get; private set; } = null!;
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }

    /// <summary>What the alert is about: the case itself, or its escalation, allocation or requirement.</summary>
    public Guid SubjectId { get; private set; }

    public string OrganisationCode { get; private set; } = null!;
    public AlertAudience Audience { get; private set; }
    public string Why { get; private set; } = null!;

    /// <summary>Since when the condition holds (the deadline that passed, the last write on a quiet case...).</summary>
    public DateTimeOffset Since { get; private set; }

    /// <summary>The deadline the alert concerns, where there is one.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    public DateTimeOffset RaisedAt { get; private set; }
    public AlertState State { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public string? ResolvedBy { get; private set; }

    /// <summary>Null while unresolved: the unique key of open alerts is filtered on it.</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Resolved by the service because the condition cleared, not by a person.</summary>
    public bool ClearedBySystem { get; private set; }

    public long Version { get; private set; }

    public bool IsResolved => State == AlertState.Resolved;

    /// <summary>Raises the alert for a condition found at <paramref name="at"/>.</summary>
    public static Alert Raise(Guid id, AlertFinding finding, AlertPolicy policy, DateTimeOffset at)
    {
        var alert = new Alert
        {
            Id = id,
            Kind = finding.Kind,
            CaseId = finding.CaseId,
            Crn = finding.Crn,
            SubjectId = finding.SubjectId,
            OrganisationCode = finding.OrganisationCode,
            Audience = finding.Audience,
            Why = AlertKinds.Why(finding, policy),
            Since = finding.Since,
            Deadline = finding.Deadline,
            RaisedAt = at,
            State = AlertState.Open,
            Version = 1,
        };
        alert.Raise(new AlertEvent("raised", $"Alert raised: {alert.Why}", alert, at));
        return alert;
    }

    /// <summary>Someone of the organisation has it in hand.</summary>
    public void Acknowledge(string by, DateTimeOffset at)
    {
        EnsureNotResolved("acknowledge");
        if (State == AlertState.Acknowledged)
        {
            throw new DomainRuleViolation("alert-already-acknowledged", "The alert was already acknowledged.");
        }

        State = AlertState.Acknowledged;
        AcknowledgedBy = by;
        AcknowledgedAt = at;
        Version++;
        Raise(new AlertEvent("acknowledged", "Alert acknowledged", this, at));
    }

    /// <summary>A person closes the alert: dealt with. Should its condition still hold, the service raises it again.</summary>
    public void Resolve(string by, DateTimeOffset at)
    {
        EnsureNotResolved("resolve");
        Close(by, at, bySystem: false);
        Raise(new AlertEvent("resolved", "Alert resolved", this, at));
    }

    /// <summary>The service closes the alert: its condition no longer holds.</summary>
    public void Clear(DateTimeOffset at)
    {
        EnsureNotResolved("clear");
        Close(SystemActor, at, bySystem: true);
        Raise(new AlertEvent("cleared", "Alert cleared: its condition no longer holds", this, at));
    }

    private void Close(string by, DateTimeOffset at, bool bySystem)
    {
        State = AlertState.Resolved;
        ResolvedBy = by;
        ResolvedAt = at;
        ClearedBySystem = bySystem;
        Version++;
    }

    private void EnsureNotResolved(string action)
    {
        if (State == AlertState.Resolved)
        {
            throw new DomainRuleViolation("alert-resolved", $"Cannot {action} an alert that was already resolved.");
        }
    }
}

/// <summary><c>case-transfer.alert.{raised,acknowledged,resolved,cleared}</c>: references and facts, no personal data.</summary>
public sealed record AlertEvent(
    string Change,
    string Description,
    string Crn,
    Guid AlertId,
    string Kind,
    string Organisation,
    AlertAudience Audience,
    AlertState State,
    DateTimeOffset Since,
    DateTimeOffset? Deadline,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    IEnumerable<string> IDomainEvent.Parties => [Organisation];
    bool IDomainEvent.PartiesOnly => true;

    public AlertEvent(string change, string description, Alert alert, DateTimeOffset at)
        : this(change, description, alert.Crn.Value, alert.Id, alert.Kind, alert.OrganisationCode, alert.Audience, alert.State, alert.Since, alert.Deadline, at)
    {
    }

    public string EventType => $"case-transfer.alert.{Change}";
    string? IDomainEvent.Crn => Crn;
}
