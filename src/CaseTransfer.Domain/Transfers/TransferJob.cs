using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Common;
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

/// <summary>What a worker reads about one listed case before deciding whether the job may move it.</summary>
public sealed record TransferCandidate(
    int Sequence,
    Guid CaseId,
    Crn Crn,
    string? HolderOrganisationCode,
    long Version,
    int OpenHoldings,
    DateTimeOffset? OpenHoldingFrom,
    bool HasOpenAllocation,
    bool HasOpenEscalation,
    bool HasOpenDispute = false);

/// <summary>
/// A bulk transfer of every case held by one organisation (optionally in one area) to another at an effective
/// instant, worked through in the background. The cases are listed as items when the job is accepted, and each item
/// records its outcome in the same transaction as the move, so a restart resumes exactly where it stopped and the
/// report accounts for every case.
/// </summary>
public sealed class TransferJob
{
    public const int ReasonMaxLength = 500;
    public const string AuditAction = "BulkTransfer";

    /// <summary>How far in the past an effective instant may be: the caller's clock may lag ours a little.</summary>
    public static readonly TimeSpan ClockSkewTolerance = TimeSpan.FromMinutes(5);

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

    /// <summary>Optimistic concurrency version. Every batch claims the job by incrementing it, so two workers never work one batch.</summary>
    public long Version { get; private set; }

    public int Pending => Total - Moved - Skipped;

    public bool IsFinished => State is TransferJobState.Completed or TransferJobState.Failed;

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
        DateTimeOffset at)
    {
        if (fromOrganisationCode == toOrganisationCode)
        {
            throw new DomainRuleViolation("transfer-to-same-organisation", "A transfer must move cases to another organisation.");
        }

        if (effectiveAt < at - ClockSkewTolerance)
        {
            throw new DomainRuleViolation("transfer-effective-in-past", "A transfer cannot take effect in the past.");
        }

        return new TransferJob
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

    /// <summary>A worker may take the job up once it is accepted or running and its effective instant has come.</summary>
    public bool IsDue(DateTimeOffset now) => !IsFinished && EffectiveAt <= now;

    public void Start(DateTimeOffset at)
    {
        if (State != TransferJobState.Scheduled)
        {
            throw new DomainRuleViolation("transfer-not-scheduled", $"The transfer is {State}, not Scheduled.");
        }

        if (at < EffectiveAt)
        {
            throw new DomainRuleViolation("transfer-not-yet-effective", "The transfer cannot start before its effective instant.");
        }

        State = TransferJobState.Running;
        StartedAt = at;
        Version++;
    }

    /// <summary>Claims the next batch: the version check on saving lets exactly one worker (of any instance) have it.</summary>
    public void ClaimBatch()
    {
        EnsureRunning();
        Version++;
    }

    /// <summary>Counts a batch whose outcomes were committed with it; completes the job once every item is accounted for.</summary>
    public void RecordBatch(int moved, int skipped, DateTimeOffset at)
    {
        EnsureRunning();
        EnsureBatchFits(moved, skipped);
        Moved += moved;
        Skipped += skipped;
        if (Pending == 0)
        {
            Complete(at);
        }
    }

    /// <summary>A batch may account for no more items than are still pending (transfer-overcounted).</summary>
    public void EnsureBatchFits(int moved, int skipped)
    {
        if (moved < 0 || skipped < 0 || moved + skipped > Pending)
        {
            throw new DomainRuleViolation(
                "transfer-overcounted", $"A batch of {moved} moved and {skipped} skipped is more than the {Pending} items still pending.");
        }
    }

    public void Complete(DateTimeOffset at)
    {
        EnsureRunning();
        if (Pending != 0)
        {
            throw new DomainRuleViolation("transfer-items-unaccounted", $"{Pending} of the {Total} cases are not yet accounted for.");
        }

        State = TransferJobState.Completed;
        CompletedAt = at;
        Version++;
    }

    /// <summary>Gives up: the items already moved stay moved (each committed with its audit entry and event); the rest stay pending.</summary>
    public void Fail(string why, DateTimeOffset at)
    {
        if (IsFinished)
        {
            throw new DomainRuleViolation("transfer-finished", $"The transfer is already {State}.");
        }

        State = TransferJobState.Failed;
        Failure = why.Length > 2000 ? why[..2000] : why;
        CompletedAt = at;
        Version++;
    }

    /// <summary>
    /// Why the job must leave this case where it is, or null when it may move it. Moving it would otherwise break
    /// the one invariant: the old holding closes at the effective instant, so it must have begun by then.
    /// </summary>
    public string? SkipReason(TransferCandidate candidate)
    {
        if (candidate.HolderOrganisationCode != FromOrganisationCode)
        {
            return TransferSkipReasons.NoLongerHeld(FromOrganisationCode);
        }

        if (candidate.HasOpenAllocation)
        {
            return TransferSkipReasons.OpenAllocation;
        }

        if (candidate.HasOpenEscalation)
        {
            return TransferSkipReasons.OpenEscalation;
        }

        if (candidate.HasOpenDispute)
        {
            return TransferSkipReasons.OpenDispute;
        }

        if (candidate.OpenHoldings != 1 || candidate.OpenHoldingFrom is not { } from)
        {
            return TransferSkipReasons.NotOneOpenHolding;
        }

        return from > EffectiveAt ? TransferSkipReasons.HoldingBeganAfterEffectiveInstant : null;
    }

    /// <summary>The holding the case starts under the new holder, at the effective instant; no responsible officer yet.</summary>
    public CaseHolding NewHolding(Guid holdingId, Guid caseId) =>
        new(holdingId, caseId, ToOrganisationCode, null, EffectiveAt, $"Bulk transfer {Id}");

    public CaseHolderChanged HolderChanged(Crn crn) => new(crn.Value, FromOrganisationCode, ToOrganisationCode, EffectiveAt);

    /// <summary>
    /// The case's own entry: moving it is a disclosure (DPA 2018 s.62) to the new holder, made by the person who asked
    /// for the transfer, under the request's trace id.
    /// </summary>
    public AuditEntry AuditEntryFor(Guid entryId, Crn crn, long newCaseVersion, DateTimeOffset at) => new(
        entryId,
        at,
        AuditOperation.Disclosure,
        AuditAction,
        RequestedBy,
        RequestedByName,
        RequestedByOrganisation,
        ClientId,
        TraceId,
        crn,
        "case",
        crn.Value,
        newCaseVersion,
        $"holder: {FromOrganisationCode} -> {ToOrganisationCode}; transfer job {Id}",
        Reason,
        ToOrganisationCode);

    private void EnsureRunning()
    {
        if (State != TransferJobState.Running)
        {
            throw new DomainRuleViolation("transfer-not-running", $"The transfer is {State}, not Running.");
        }
    }
}

/// <summary>Why a case was left where it was. One sentence per rule (the same for every case of a job), so a report groups them.</summary>
public static class TransferSkipReasons
{
    public const string OpenAllocation = "an allocation of the case is open; decide or withdraw it, then move the case";
    public const string OpenEscalation = "an escalation of the case is open; decide or withdraw it, then move the case";
    public const string OpenDispute = "a dispute about the case is open; the case stays with its holder until the dispute is resolved";
    public const string NotOneOpenHolding = "the case does not have exactly one open holding to close";
    public const string HoldingBeganAfterEffectiveInstant = "the case's current holding began after the effective instant";

    public static string NoLongerHeld(string from) => $"the case is no longer held by {from}";
}

/// <summary>One case of a bulk transfer and what happened to it.</summary>
public sealed class TransferJobItem
{
    public const int SkipReasonMaxLength = 300;

    private TransferJobItem()
    {
    }

    public TransferJobItem(Guid jobId, int sequence, Guid caseId, Crn crn)
    {
        JobId = jobId;
        Sequence = sequence;
        CaseId = caseId;
        Crn = crn;
        Outcome = TransferItemOutcome.Pending;
    }

    public Guid JobId { get; private set; }

    /// <summary>The item's place in the job (1..Total): batches take pending items in this order, and pages follow it.</summary>
    public int Sequence { get; private set; }
    public Guid CaseId { get; private set; }
    public Crn Crn { get; private set; }
    public TransferItemOutcome Outcome { get; private set; }
    public string? SkipReason { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }
}
