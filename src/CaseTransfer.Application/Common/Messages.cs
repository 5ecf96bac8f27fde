using System.Text.Json.Serialization;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;

namespace CaseTransfer.Application.Common;

/// <summary>A message about one case: its CRN is written into the audit entry.</summary>
public interface ICaseMessage
{
    string Crn { get; }
}

/// <summary>A result that names the resource a command created or changed, for the audit entry.</summary>
public interface IAuditedResult
{
    string ResourceType { get; }
    string ResourceId { get; }
    long? ResourceVersion { get; }

    /// <summary>The case the resource is about, for a command addressed by the resource's own id (an allocation).</summary>
    string? Crn => null;

    /// <summary>What changed, as field names with old and new values of non-sensitive fields; no free text.</summary>
    string? ChangeSummary => null;

    /// <summary>For a disclosure whose recipient the handler decides (not the message): who receives the information.</summary>
    string? Recipients => null;

    /// <summary>For a disclosure whose purpose and lawful basis the handler reads (a share being revoked): why it was disclosed.</summary>
    string? Justification => null;
}

/// <summary>A command that changes a versioned resource and honours If-Match.</summary>
public interface IVersionedCommand
{
    /// <summary>The versions If-Match allows the change at; null when there is no condition (no header, or <c>*</c>).</summary>
    IfMatch? ExpectedVersion { get; }
}

/// <summary>
/// An If-Match header as a change sees it (RFC 9110 section 13.1.1): the change goes ahead only when the resource is at
/// one of these versions. Every tag counts: a weak tag (If-Match compares strongly) or one this service never issued
/// names no version, so it never matches and the change is refused like a stale one (412), whatever the tag.
/// </summary>
public sealed record IfMatch(IReadOnlyList<long> Versions)
{
    /// <summary>412 (<see cref="PreconditionFailedException"/>) unless <paramref name="current"/> is a version the header named.</summary>
    public static void Ensure(IfMatch? condition, string resource, long current)
    {
        if (condition is not null && !condition.Versions.Contains(current))
        {
            throw new PreconditionFailedException(condition.Versions.Count == 0
                ? $"The {resource} is at version {current}, and If-Match names no version of it (its ETag is \"{current}\"): it does not match."
                : $"The {resource} is at version {current}, not {string.Join(" or ", condition.Versions)}: it changed since you read it.");
        }
    }
}

/// <summary>
/// An action on one versioned resource (an allocation, an escalation): an alteration that honours If-Match. Any words
/// it carries stay out of the audit summary, which says what was done.
/// </summary>
public abstract record AlterationCommand(IfMatch? ExpectedVersion) : IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public abstract string? AuditSummary { get; }
}

/// <summary>A page of results with an opaque cursor to the next page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Pages
{
    /// <summary>
    /// The page from up to <paramref name="limit"/> + 1 rows read in key order: the extra row only says there is a
    /// next page, whose cursor is the last item's key.
    /// </summary>
    public static Page<TView> Of<TRow, TView>(IReadOnlyList<TRow> rows, int limit, Func<TRow, TView> view, Func<TView, long> key)
    {
        var items = rows.Take(limit).Select(view).ToList();
        return new Page<TView>(items, rows.Count > limit ? key(items[^1]).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
