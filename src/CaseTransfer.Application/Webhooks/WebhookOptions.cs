namespace CaseTransfer.Application.Webhooks;

/// <summary>Settings of webhook delivery (<c>Webhooks:*</c>), checked at start.</summary>
public sealed record WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Milliseconds between dispatcher passes; 0 switches the dispatcher off (tests run passes themselves).</summary>
    public int IntervalMilliseconds { get; init; } = 1_000;

    /// <summary>How long a dispatcher's claim on a batch lasts; a dispatcher that dies mid-batch leaves it to expire and another sends it.</summary>
    public int ClaimSeconds { get; init; } = 120;

    /// <summary>Deliveries of one subscriber claimed at a time.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Events turned into deliveries per subscription at a time.</summary>
    public int FanOutBatchSize { get; init; } = 500;

    /// <summary>Subscribers served at once, each in its own lane (a subscriber that times out holds only its own lane).</summary>
    public int MaxParallelSubscribers { get; init; } = 8;

    /// <summary>Deliveries of one subscriber in flight at once (each of a different case, so order per case holds).</summary>
    public int MaxConcurrentSendsPerSubscriber { get; init; } = 4;

    /// <summary>How long delivered deliveries are kept before the dispatcher removes them; dead letters stay until redelivered.</summary>
    public int DeliveredRetentionDays { get; init; } = 7;

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>How long the previous secret keeps signing beside the new one after a rotation.</summary>
    public int SecretOverlapHours { get; init; } = 24;

    /// <summary>Failures in a row that open a subscriber's circuit; while open its deliveries wait without using attempts.</summary>
    public int CircuitBreakerMinimumThroughput { get; init; } = 5;

    /// <summary>How long an opened circuit stays open.</summary>
    public int CircuitBreakSeconds { get; init; } = 30;

    public WebhookOptions Validate()
    {
        foreach (var (name, value, min) in new[]
        {
            (nameof(IntervalMilliseconds), IntervalMilliseconds, 0),
            (nameof(ClaimSeconds), ClaimSeconds, 1),
            (nameof(BatchSize), BatchSize, 1),
            (nameof(FanOutBatchSize), FanOutBatchSize, 1),
            (nameof(MaxParallelSubscribers), MaxParallelSubscribers, 1),
            (nameof(MaxConcurrentSendsPerSubscriber), MaxConcurrentSendsPerSubscriber, 1),
            (nameof(DeliveredRetentionDays), DeliveredRetentionDays, 1),
            (nameof(TimeoutSeconds), TimeoutSeconds, 1),
            (nameof(SecretOverlapHours), SecretOverlapHours, 0),
            (nameof(CircuitBreakerMinimumThroughput), CircuitBreakerMinimumThroughput, 2),
            (nameof(CircuitBreakSeconds), CircuitBreakSeconds, 1),
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
/// When a failed delivery is tried again: after each failed attempt the next waits the schedule's next step, give or
/// take a tenth (jitter, so a subscriber back from an outage is not hit by every delivery at once); after the last
/// step the delivery is dead-lettered. The steps span a little over two days.
/// </summary>
public static class WebhookSchedule
{
    public static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromHours(24),
    ];

    /// <summary>Attempts in all: the first and one after each step.</summary>
    public static int MaxAttempts => Steps.Length + 1;

    /// <summary>The longest a subscriber's Retry-After is honoured.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    /// <summary>The wait after the <paramref name="attempts"/>th failed attempt, or null when it was the last.</summary>
    public static TimeSpan? After(int attempts, TimeSpan? retryAfter, Random random)
    {
        if (attempts >= MaxAttempts)
        {
            return null;
        }

        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        var step = Steps[Math.Clamp(attempts - 1, 0, Steps.Length - 1)];
        return step * (0.9 + (random.NextDouble() * 0.2));
    }
}
