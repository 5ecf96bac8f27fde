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
}

/// <summary>A command that changes a versioned resource and honours If-Match.</summary>
public interface IVersionedCommand
{
    long? ExpectedVersion { get; }
}

/// <summary>A page of results with an opaque cursor to the next page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
