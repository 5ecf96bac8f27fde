using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Application.Auditing;

/// <summary>What one audit entry says beyond who, when and from where (which the trail fills in).</summary>
public sealed record AuditFacts(
    AuditOperation Operation,
    string Action,
    string? Crn = null,
    string? ResourceType = null,
    string? ResourceId = null,
    long? ResourceVersion = null,
    string? Summary = null,
    string? Justification = null,
    string? Recipients = null);

/// <summary>
/// The one place audit entries are made: the caller, organisation, client and trace id always come from the
/// request, never from the message, so no handler can write an entry in someone else's name.
/// </summary>
public sealed class AuditTrail(IAppDbContext db, ICaller caller, IRequestContext request, TimeProvider clock)
{
    /// <summary>Stages the entry in the request's unit of work, to commit with the change it describes.</summary>
    public AuditEntry Record(AuditFacts facts)
    {
        var entry = Describe(facts);
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>The entry for the current caller and request, not yet staged anywhere; at <paramref name="at"/>, or now.</summary>
    public AuditEntry Describe(AuditFacts facts, DateTimeOffset? at = null)
    {
        var now = at ?? clock.GetUtcNow();
        var entry = new AuditEntry(
            Guid.CreateVersion7(now),
            now,
            facts.Operation,
            facts.Action,
            caller.UserId,
            caller.UserName,
            caller.OrganisationCode,
            caller.ClientId,
            request.TraceId,
            facts.Crn is { } crn ? Crn.Parse(crn) : null,
            facts.ResourceType,
            facts.ResourceId,
            facts.ResourceVersion,
            facts.Summary,
            facts.Justification,
            facts.Recipients);
        return entry;
    }
}

/// <summary>
/// Writes consultation entries, which have no change of their own to commit with. The returned task completes only
/// once the entry is durably committed and fails if it could not be: a read answers after it, so a read that cannot
/// be logged is refused.
/// </summary>
public interface IConsultationLog
{
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken);
}
