using CaseTransfer.Domain.Alerts;

namespace CaseTransfer.Application.Alerts;

/// <summary>Settings of the alert job (<c>Alerts:*</c>), checked at start.</summary>
public sealed record AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Seconds between passes; 0 switches the background job off (tests run passes themselves).</summary>
    public int IntervalSeconds { get; init; } = 30;

    /// <summary>Seconds between full passes, which catch what only time changes (a deadline passing, a case going quiet).</summary>
    public int FullPassIntervalSeconds { get; init; } = 300;

    /// <summary>How long the instance running passes holds the lease without renewing it; another instance takes over once it expires.</summary>
    public int LeaseSeconds { get; init; } = 120;

    /// <summary>Days without an audited write before a case is quiet.</summary>
    public int CaseQuietDays { get; init; } = AlertPolicy.DefaultCaseQuietDays;

    /// <summary>Alerts raised or cleared per transaction, and cases per batch of an incremental pass.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>
    /// How far before the last pass's start an incremental pass looks for changed cases: a write stamped just before a
    /// pass began may commit after that pass read (a transaction is longer than an instant).
    /// </summary>
    public int ChangeMarginSeconds { get; init; } = 60;

    public AlertOptions Validate()
    {
        foreach (var (name, value, min) in new[]
        {
            (nameof(IntervalSeconds), IntervalSeconds, 0),
            (nameof(FullPassIntervalSeconds), FullPassIntervalSeconds, 1),
            (nameof(LeaseSeconds), LeaseSeconds, 1),
            (nameof(CaseQuietDays), CaseQuietDays, 1),
            (nameof(BatchSize), BatchSize, 1),
            (nameof(ChangeMarginSeconds), ChangeMarginSeconds, 0),
        })
        {
            if (value < min)
            {
                throw new InvalidOperationException($"{Section}:{name} must be at least {min}, not {value}.");
            }
        }

        return this;
    }
}

/// <summary>
/// The claim that makes the alert job safe beside other instances on one database: one row, taken by a conditional
/// update (held by no one, expired, or already ours), renewed inside every transaction a pass commits, and carrying the
/// pass's high-water marks.
/// </summary>
public sealed class AlertLease
{
    public const string JobName = "alerts";
    public const int HolderMaxLength = 200;

    private AlertLease()
    {
    }

    public AlertLease(string name) => Name = name;

    public string Name { get; private set; } = null!;
    public string? Holder { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>When the last pass began: the next incremental pass reads cases written since (less a margin).</summary>
    public DateTimeOffset? IncrementalMark { get; private set; }

    /// <summary>When the last full pass began.</summary>
    public DateTimeOffset? LastFullPassAt { get; private set; }
}
