namespace CaseTransfer.Application.SubjectAccess;

/// <summary>The <c>SubjectAccess</c> configuration section.</summary>
public sealed class SubjectAccessOptions
{
    public const string Section = "SubjectAccess";

    /// <summary>Days a ready bundle may be downloaded; then the cleanup deletes it from the document store.</summary>
    public int BundleRetentionDays { get; set; } = 30;

    /// <summary>How often the worker looks for queued requests and expired bundles; 0 switches it off (tests drive <see cref="SubjectAccessGatherer"/>).</summary>
    public int PollIntervalMilliseconds { get; set; } = 2_000;

    /// <summary>How long a worker's claim on a request lasts without progress; a request whose worker died is taken up again after it.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>After a gathering error, the wait before the request is taken up again, times its attempts so far.</summary>
    public int RetrySeconds { get; set; } = 60;

    /// <summary>Records read per query while gathering; progress is saved after each page.</summary>
    public int PageSize { get; set; } = 1_000;

    public TimeSpan Retention => TimeSpan.FromDays(BundleRetentionDays);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public TimeSpan RetryDelay => TimeSpan.FromSeconds(RetrySeconds);
}
