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
    public AuditEntry Record(AuditFacts facts)
    {
        var now = clock.GetUtcNow();
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
        db.AuditEntries.Add(entry);
        return entry;
    }
}
