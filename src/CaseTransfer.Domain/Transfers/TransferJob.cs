using CaseTransfer.Domain.Identifiers;

namespace CaseTransfer.Domain.Transfers;

public enum TransferJobState
{
    /// <summary>Accepted; every case to move is listed as a pending item; waiting for the effective instant or a worker.</summary>
    Scheduled,
    Running,
    Completed,
    Failed,
}

public enum TransferItemOutcome
{
    Pending,
    Moved,
    Skipped,
}

/// <summary>
/// A bulk transfer of every case held by one organisation (optionally in one area) to another at an effective
/// instant, worked through in the background. The cases are listed as items when the job is accepted, and each item
/// records its outcome in the same transaction as the move, so a restart resumes exactly where it stopped and the
/// report accounts for every case.
/// </summary>
public sealed class TransferJob
{
    private TransferJob()
    {
    }

    public Guid Id { get; private set; }
    public string FromOrganisationCode { get; private set; } = null!;
    public string? AreaCode { get; private set; }
    public string ToOrganisationCode { get; private set; } = null!;
    public DateTimeOffset EffectiveAt { get; private set; }
    public string Reason { get; private set; } = null!;
    public TransferJobState State { get; private set; }
    public int Total { get; private set; }
    public int Moved { get; private set; }
    public int Skipped { get; private set; }

    /// <summary>Who asked, copied from the request so the per-case audit entries name them, not the background worker.</summary>
    public string RequestedBy { get; private set; } = null!;
    public string RequestedByName { get; private set; } = null!;
    public string RequestedByOrganisation { get; private set; } = null!;
    public string? ClientId { get; private set; }
    public string TraceId { get; private set; } = null!;
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? Failure { get; private set; }
    public long Version { get; private set; }

    public static TransferJob Schedule(
        Guid id,
        string fromOrganisationCode,
        string? areaCode,
        string toOrganisationCode,
        DateTimeOffset effectiveAt,
        string reason,
        int total,
        string requestedBy,
        string requestedByName,
        string requestedByOrganisation,
        string? clientId,
        string traceId,
        DateTimeOffset at) => new()
        {
            Id = id,
            FromOrganisationCode = fromOrganisationCode,
            AreaCode = areaCode,
            ToOrganisationCode = toOrganisationCode,
            EffectiveAt = effectiveAt,
            Reason = reason,
            State = TransferJobState.Scheduled,
            Total = total,
            RequestedBy = requestedBy,
            RequestedByName = requestedByName,
            RequestedByOrganisation = requestedByOrganisation,
            ClientId = clientId,
            TraceId = traceId,
            RequestedAt = at,
            Version = 1,
        };
}

/// <summary>One case of a bulk transfer and what happened to it.</summary>
public sealed class TransferJobItem
{
    public const int SkipReasonMaxLength = 300;

    private TransferJobItem()
    {
    }

    public TransferJobItem(Guid jobId, Guid caseId, Crn crn)
    {
        JobId = jobId;
        CaseId = caseId;
        Crn = crn;
        Outcome = TransferItemOutcome.Pending;
    }

    public Guid JobId { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public TransferItemOutcome Outcome { get; private set; }
    public string? SkipReason { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }
}
