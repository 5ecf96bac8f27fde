using CaseTransfer.Domain.Common;

namespace CaseTransfer.Domain.SubjectAccess;

/// <summary>Which of the person's identifiers a subject access request names them by.</summary>
public enum SubjectIdentifierType
{
    Crn,
    PncId,
    NomsNumber,
}

public enum SubjectAccessState
{
    /// <summary>Accepted; waiting for a worker to claim it.</summary>
    Queued,

    /// <summary>A worker is gathering the records, section by section (progress counts them).</summary>
    Gathering,

    /// <summary>The bundle is stored and may be downloaded until it expires.</summary>
    Ready,

    Failed,
}

/// <summary>One section of the bundle as a worker gathers it: records gathered of the total found.</summary>
public sealed record SubjectAccessSectionProgress(string Section, int Gathered, int Total);

/// <summary>The files of a bundle as stored: each with its store key, SHA-256 (hex) and length.</summary>
public sealed record SubjectAccessBundleFile(string StorageKey, string Sha256, long Length);

/// <summary>
/// A subject access request (UK GDPR art. 15, DPA 2018 s.45): everything the service holds on one person over a
/// period, gathered by a background worker into one bundle (JSON and PDF) that is kept for a set number of days and
/// then deleted. A worker claims the request by its version and holds it under a lease, so two instances never gather
/// one request at once, and a request whose worker died is taken up again once its lease has run out.
/// </summary>
public sealed class SubjectAccessRequest
{
    public const int ReferenceMaxLength = 100;
    public const int MaxAttempts = 3;
    public const string AuditResourceType = "subject-access-request";

    private SubjectAccessRequest()
    {
    }

    public Guid Id { get; private set; }
    public SubjectIdentifierType IdentifierType { get; private set; }
    public string IdentifierValue { get; private set; } = null!;

    /// <summary>The one case the identifier names, found when the request was accepted.</summary>
    public Guid CaseId { get; private set; }
    public string Crn { get; private set; } = null!;
    public DateOnly? From { get; private set; }
    public DateOnly? To { get; private set; }

    /// <summary>The request's own reference: the data protection officer's ticket.</summary>
    public string Reference { get; private set; } = null!;
    public SubjectAccessState State { get; private set; }
    public string RequestedBy { get; private set; } = null!;
    public string RequestedByOrganisation { get; private set; } = null!;
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? Failure { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? LeaseUntil { get; private set; }

    /// <summary>Per section, as JSON (<see cref="SubjectAccessSectionProgress"/>): what a reader polls while the worker gathers.</summary>
    public string ProgressJson { get; private set; } = "[]";

    public string? JsonKey { get; private set; }
    public string? JsonSha256 { get; private set; }
    public long? JsonLength { get; private set; }
    public string? PdfKey { get; private set; }
    public string? PdfSha256 { get; private set; }
    public long? PdfLength { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>When the background cleanup removed the expired bundle's files from the store.</summary>
    public DateTimeOffset? BundleDeletedAt { get; private set; }

    public long Version { get; private set; }

    public SubjectAccessPeriod Period => new(From, To);

    public IReadOnlyList<SubjectAccessSectionProgress> Progress =>
        System.Text.Json.JsonSerializer.Deserialize<List<SubjectAccessSectionProgress>>(ProgressJson) ?? [];

    public static SubjectAccessRequest Queue(
        Guid id,
        SubjectIdentifierType identifierType,
        string identifierValue,
        Guid caseId,
        string crn,
        SubjectAccessPeriod period,
        string reference,
        string requestedBy,
        string requestedByOrganisation,
        DateTimeOffset at)
    {
        if (SubjectAccessPeriod.Problems(period.From, period.To, London.DateOf(at)) is [var (field, message), ..])
        {
            throw new DomainRuleViolation("subject-access-period-invalid", $"{field} {message}.");
        }

        if (string.IsNullOrWhiteSpace(reference) || reference.Length > ReferenceMaxLength)
        {
            throw new DomainRuleViolation("subject-access-reference-invalid", $"A reference is required, at most {ReferenceMaxLength} characters.");
        }

        return new SubjectAccessRequest
        {
            Id = id,
            IdentifierType = identifierType,
            IdentifierValue = identifierValue,
            CaseId = caseId,
            Crn = crn,
            From = period.From,
            To = period.To,
            Reference = reference,
            State = SubjectAccessState.Queued,
            RequestedBy = requestedBy,
            RequestedByOrganisation = requestedByOrganisation,
            RequestedAt = at,
            Version = 1,
        };
    }

    /// <summary>Whether a worker may take the request up now: queued, or gathering under a lease that has run out (its worker died).</summary>
    public bool IsClaimable(DateTimeOffset now) =>
        State == SubjectAccessState.Queued || (State == SubjectAccessState.Gathering && LeaseUntil <= now);

    /// <summary>
    /// Takes the request for one worker until <paramref name="leaseUntil"/>. Saved under the version check, so of two
    /// workers claiming at once exactly one has it. A request abandoned <see cref="MaxAttempts"/> times fails.
    /// </summary>
    public void Claim(DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        if (!IsClaimable(now))
        {
            throw new DomainRuleViolation("subject-access-not-claimable", $"The request is {State} and held by a worker until {LeaseUntil:O}.");
        }

        Attempts++;
        Version++;
        if (Attempts > MaxAttempts)
        {
            Fail($"Gathering was abandoned {MaxAttempts} times.", now);
            return;
        }

        State = SubjectAccessState.Gathering;
        StartedAt ??= now;
        LeaseUntil = leaseUntil;
        ProgressJson = "[]";
    }

    /// <summary>Records how far gathering has got, and extends the worker's lease; a worker that lost its claim fails on saving.</summary>
    public void ReportProgress(IReadOnlyList<SubjectAccessSectionProgress> progress, DateTimeOffset leaseUntil)
    {
        EnsureGathering();
        if (progress.Any(p => p.Gathered < 0 || p.Gathered > p.Total))
        {
            throw new DomainRuleViolation("subject-access-overcounted", "A section cannot have gathered more records than it has.");
        }

        ProgressJson = System.Text.Json.JsonSerializer.Serialize(progress);
        LeaseUntil = leaseUntil;
        Version++;
    }

    /// <summary>The bundle is stored: it may be downloaded for <paramref name="retention"/> from now.</summary>
    public void Complete(SubjectAccessBundleFile json, SubjectAccessBundleFile pdf, DateTimeOffset now, TimeSpan retention)
    {
        EnsureGathering();
        if (retention <= TimeSpan.Zero)
        {
            throw new DomainRuleViolation("subject-access-retention-invalid", "A bundle is kept for at least a day.");
        }

        if (Progress.Any(p => p.Gathered != p.Total))
        {
            throw new DomainRuleViolation("subject-access-incomplete", "Every record of every section must be gathered before the bundle is ready.");
        }

        (JsonKey, JsonSha256, JsonLength) = (json.StorageKey, json.Sha256, json.Length);
        (PdfKey, PdfSha256, PdfLength) = (pdf.StorageKey, pdf.Sha256, pdf.Length);
        State = SubjectAccessState.Ready;
        CompletedAt = now;
        ExpiresAt = now + retention;
        LeaseUntil = null;
        Version++;
    }

    /// <summary>
    /// Gathering failed (the database or the store gave an error): the request is left to be taken up again at
    /// <paramref name="retryAt"/>, gathered afresh from the start; on its last attempt (<see cref="MaxAttempts"/>) it
    /// fails with <paramref name="why"/> instead, so the officer sees the error rather than waiting for ever.
    /// </summary>
    public void RetryLater(string why, DateTimeOffset now, DateTimeOffset retryAt)
    {
        EnsureGathering();
        if (Attempts >= MaxAttempts)
        {
            Fail(why, now);
            return;
        }

        LeaseUntil = retryAt;
        Version++;
    }

    public void Fail(string why, DateTimeOffset now)
    {
        if (State is SubjectAccessState.Ready or SubjectAccessState.Failed)
        {
            throw new DomainRuleViolation("subject-access-finished", $"The request is already {State}.");
        }

        State = SubjectAccessState.Failed;
        Failure = why.Length > 2000 ? why[..2000] : why;
        CompletedAt = now;
        LeaseUntil = null;
        Version++;
    }

    public bool IsExpired(DateTimeOffset now) => State == SubjectAccessState.Ready && ExpiresAt <= now;

    /// <summary>The bundle may be downloaded: ready, not expired, not yet removed.</summary>
    public bool BundleAvailable(DateTimeOffset now) => State == SubjectAccessState.Ready && !IsExpired(now) && BundleDeletedAt is null;

    /// <summary>410 Gone rather than a download: the bundle expired (and is, or is about to be, deleted from the store).</summary>
    public void EnsureBundleAvailable(DateTimeOffset now)
    {
        if (State != SubjectAccessState.Ready)
        {
            throw new DomainRuleViolation("subject-access-bundle-not-ready", $"The request is {State}: its bundle is not ready.");
        }

        if (!BundleAvailable(now))
        {
            throw new SubjectAccessBundleGoneException(Id, ExpiresAt!.Value);
        }
    }

    /// <summary>The cleanup removed the files of an expired bundle.</summary>
    public void BundleDeleted(DateTimeOffset now)
    {
        if (!IsExpired(now))
        {
            throw new DomainRuleViolation("subject-access-bundle-not-expired", "Only an expired bundle is deleted.");
        }

        BundleDeletedAt ??= now;
        Version++;
    }

    private void EnsureGathering()
    {
        if (State != SubjectAccessState.Gathering)
        {
            throw new DomainRuleViolation("subject-access-not-gathering", $"The request is {State}, not Gathering.");
        }
    }
}

/// <summary>A bundle past its expiry: answered 410 Gone.</summary>
public sealed class SubjectAccessBundleGoneException(Guid id, DateTimeOffset expiredAt)
    : Exception($"The bundle of subject access request {id} expired at {expiredAt:O} and has been deleted; ask again for a new one.");

/// <summary>
/// The period a subject access request covers, as London days, both ends inclusive and either open. A record belongs
/// to it by the instant it was made (recorded, proposed, requested, shared, uploaded, consulted).
/// </summary>
public sealed record SubjectAccessPeriod(DateOnly? From, DateOnly? To)
{
    public DateTimeOffset? Start => From is { } from ? London.StartOf(from) : null;

    /// <summary>The instant after the period: the start of the day after <see cref="To"/>.</summary>
    public DateTimeOffset? End => To is { } to ? London.StartOf(to.AddDays(1)) : null;

    public bool Contains(DateTimeOffset at) => (Start is not { } start || at >= start) && (End is not { } end || at < end);

    /// <summary>What is wrong with a period, as (field, message): <c>to</c> in the future, or <c>from</c> after <c>to</c>.</summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(DateOnly? from, DateOnly? to, DateOnly today)
    {
        var problems = new List<(string, string)>();
        if (to > today)
        {
            problems.Add(("to", $"must not be after today ({today:yyyy-MM-dd})"));
        }

        if (from > today)
        {
            problems.Add(("from", $"must not be after today ({today:yyyy-MM-dd})"));
        }
        else if (from > to)
        {
            problems.Add(("from", "must not be after to"));
        }

        return problems;
    }
}
