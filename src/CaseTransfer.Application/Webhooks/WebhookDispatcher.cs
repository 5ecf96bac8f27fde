using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

using CaseTransfer.Application.Events;

namespace CaseTransfer.Application.Webhooks;

/// <summary>One POST of one event to one subscriber, signed with every secret in force.</summary>
public sealed record WebhookMessage(Guid SubscriptionId, string CallbackUrl, Guid EventId, string Payload, IReadOnlyList<string> Secrets);

public enum WebhookOutcome
{
    /// <summary>2xx.</summary>
    Delivered,

    /// <summary>Anything else: an error status, no answer in time, no connection.</summary>
    Failed,

    /// <summary>410: the subscriber wants no more; the subscription is disabled.</summary>
    Gone,

    /// <summary>Not sent: the subscriber's circuit is open after repeated failures. No attempt is used.</summary>
    NotAttempted,
}

public sealed record WebhookSendResult(WebhookOutcome Outcome, int? StatusCode, string? Error, TimeSpan? RetryAfter = null);

/// <summary>Sends one message (Infrastructure: Standard Webhooks signatures, a resilient HttpClient).</summary>
public interface IWebhookSender
{
    Task<WebhookSendResult> SendAsync(WebhookMessage message, CancellationToken cancellationToken);
}

/// <summary>What a pass, or one subscriber's step, did.</summary>
public sealed record WebhookPassResult(int FannedOut, int Claimed, int Delivered, int Failed, int DeadLettered, int NotAttempted)
{
    public static readonly WebhookPassResult None = new(0, 0, 0, 0, 0, 0);

    public WebhookPassResult Add(WebhookPassResult other) => new(
        FannedOut + other.FannedOut, Claimed + other.Claimed, Delivered + other.Delivered, Failed + other.Failed,
        DeadLettered + other.DeadLettered, NotAttempted + other.NotAttempted);

    /// <summary>Whether a subscriber's lane should go straight on: it delivered all it claimed.</summary>
    public bool MadeProgress => Claimed > 0 && Delivered == Claimed;
}

/// <summary>
/// Delivers events to subscriptions, safe beside other instances on one database, each subscriber progressing on its
/// own. (1) Fan-out (<see cref="FanOutAsync"/>): for each enabled subscription, the events after its mark
/// (<see cref="WebhookSubscription.FannedOutAfter"/>) that it wants and whose audience holds its organisation (or that
/// concern no case), read as the events feed reads them (<see cref="EventFeed"/>: in an order where an event that
/// commits late never sorts behind what was already read, so none is passed over), become delivery rows, and the mark
/// moves, with a conditional update in the same transaction, so two dispatchers never both do it. (2) Per subscriber
/// (<see cref="DeliverAsync"/>; the background service runs one lane per subscriber with deliveries due, so a subscriber
/// that times out holds back nobody else): a claim of its due deliveries with a conditional update (a delivery no live
/// claim holds), taking of each case only the oldest delivery still pending, so a subscriber hears of a case's events
/// in order: event n+1 waits until n is delivered or dead-lettered; the sends, several at once
/// (<see cref="WebhookOptions.MaxConcurrentSendsPerSubscriber"/>; a batch holds one delivery per case); the outcomes,
/// recorded set-wise (one UPDATE per kind of outcome), conditional on the claim still being ours. A dispatcher that
/// dies leaves its claims to expire, and the next claim sends them again: each delivery is sent at least once, and
/// receivers deduplicate by <c>webhook-id</c>. (3) Delivered rows are removed after
/// <see cref="WebhookOptions.DeliveredRetentionDays"/> (<see cref="PurgeDeliveredAsync"/>); dead letters stay until redelivered.
/// </summary>
public sealed class WebhookDispatcher(
    IAppDbContext db,
    IWebhookSender sender,
    WebhookSecrets secrets,
    WebhookOptions options,
    ServiceInstance identity,
    EventFeed feed,
    EventFeedOptions urls,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
{
    /// <summary>Delivered rows removed per statement by <see cref="PurgeDeliveredAsync"/>.</summary>
    public const int PurgeBatchSize = 1_000;

    /// <summary>
    /// One pass: the fan-out of every enabled subscription, then one batch of each one's due deliveries, one subscriber
    /// after another; then one bounded round of retention. What tests run; the background service runs the same parts
    /// with each subscriber in its own lane (<see cref="DeliverAsync"/>).
    /// </summary>
    public async Task<WebhookPassResult> RunAsync(CancellationToken cancellationToken)
    {
        var pass = WebhookPassResult.None with { FannedOut = (await FanOutAsync(cancellationToken)).Added };
        db.ChangeTracker.Clear();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Enabled).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var subscription in subscriptions)
        {
            pass = pass.Add(await DeliverAsync(subscription, cancellationToken));
        }

        await PurgeDeliveredAsync(cancellationToken);
        return pass;
    }

    /// <summary>
    /// The enabled subscriptions with deliveries due that no live claim holds: one query over the index of pending
    /// deliveries by due time, which the background service asks every tick to start a lane for each.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> SubscriptionsWithDueDeliveriesAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow();
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .Select(d => d.SubscriptionId).Distinct()
            .Where(id => db.WebhookSubscriptions.Any(s => s.Id == id && s.Enabled))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Fan-out for every enabled subscription: the events after its mark (<see cref="WebhookSubscription.FannedOutAfter"/>)
    /// that it wants and whose audience holds its organisation (or that concern no case) become its delivery rows, and its
    /// mark moves, with a conditional update in the same transaction, so two dispatchers never both do it. Subscriptions
    /// at the same mark (the usual case: all caught up) share one read of the feed and one transaction. Returns the rows
    /// added and whether a read came back full (more to fan out straight away).
    /// </summary>
    /// <param name="paused">Subscriptions whose fan-out waits (their subscriber is failing): their mark stays, and they catch up when resumed.</param>
    public async Task<(int Added, bool Full)> FanOutAsync(CancellationToken cancellationToken, IReadOnlyCollection<Guid>? paused = null)
    {
        db.ChangeTracker.Clear();
        // In one order, so that two dispatchers moving several marks in one transaction take their rows in the same order.
        var subscriptions = (await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Enabled).OrderBy(s => s.Id).ToListAsync(cancellationToken))
            .Where(s => paused is null || !paused.Contains(s.Id)).ToList();
        var added = 0;
        var full = false;
        foreach (var group in subscriptions.GroupBy(s => s.FannedOutAfter))
        {
            var mark = group.Key;
            var taken = await feed.ReadAsync(mark, null, null, options.FanOutBatchSize, cancellationToken);
            if (taken.Count == 0)
            {
                continue;
            }

            full |= taken.Count == options.FanOutBatchSize;
            var now = clock.GetUtcNow();
            Guid? to = taken[^1].Id;
            var strategy = db.Database.CreateExecutionStrategy();
            added += await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var rows = new List<WebhookDelivery>();
                foreach (var subscription in group)
                {
                    var moved = await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id && s.FannedOutAfter == mark)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.FannedOutAfter, to), ct);
                    if (moved != 1)
                    {
                        continue; // Another dispatcher fanned these out first (or the subscription changed).
                    }

                    var marker = EventAudience.Marker(subscription.OrganisationCode);
                    var wanted = taken.Where(m => m.HeardBy(marker) && subscription.Wants(m.EventType))
                        .Select(m => new WebhookDelivery(Guid.CreateVersion7(now), subscription.Id, m.Sequence, m.Id, m.EventType, m.Crn, now))
                        .ToList();
                    rows.AddRange(wanted);
                }

                // Without change tracking (binary COPY on PostgreSQL, one prepared INSERT on SQLite): a fan-out of
                // 2,000 events to three subscriptions is 6,000 rows, which SaveChanges took seconds over on a loaded machine.
                await db.InsertManyAsync(rows, ct);
                await transaction.CommitAsync(ct);
                return rows.Count;
            }, cancellationToken);
            db.ChangeTracker.Clear();
        }

        return (added, full);
    }

    /// <summary>One batch of one subscriber's due deliveries: claimed, sent, recorded.</summary>
    public async Task<WebhookPassResult> DeliverAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subscriptionId && s.Enabled, cancellationToken);
        if (subscription is null)
        {
            return WebhookPassResult.None;
        }

        var claim = $"{identity.Name}:{Guid.NewGuid():N}";
        var claimed = await ClaimAsync(subscription, claim, cancellationToken);
        if (claimed.Count == 0)
        {
            return WebhookPassResult.None;
        }

        var now = clock.GetUtcNow();
        var signing = subscription.ProtectedPreviousSecret is { } previous && subscription.PreviousSecretValidUntil > now
            ? new[] { secrets.Unprotect(subscription.ProtectedSecret), secrets.Unprotect(previous) }
            : [secrets.Unprotect(subscription.ProtectedSecret)];

        // Sent several at once: the batch holds one delivery per case (the claim takes only each case's oldest), so no
        // two of one case are in flight together. After a failure nothing more of the batch is sent (no attempt used):
        // a subscriber that is down costs one round of timeouts per batch, not one per delivery.
        var results = new WebhookSendResult?[claimed.Count];
        var stopped = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, claimed.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentSendsPerSubscriber, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                if (Volatile.Read(ref stopped) != 0)
                {
                    results[i] = new WebhookSendResult(WebhookOutcome.NotAttempted, null, null);
                    return;
                }

                var delivery = claimed[i];
                var result = await sender.SendAsync(new WebhookMessage(subscription.Id, subscription.CallbackUrl, delivery.EventId, delivery.Payload, signing), ct);
                results[i] = result;
                if (result.Outcome != WebhookOutcome.Delivered)
                {
                    Interlocked.Exchange(ref stopped, 1);
                }
            });

        var outcomes = claimed.Select((d, i) => (Delivery: d, Result: results[i]!)).ToList();
        var dead = await RecordAsync(subscription.Id, outcomes, claim, cancellationToken);
        int Count(WebhookOutcome o) => outcomes.Count(x => x.Result.Outcome == o);
        var step = new WebhookPassResult(
            0, claimed.Count, Count(WebhookOutcome.Delivered), Count(WebhookOutcome.Failed) + Count(WebhookOutcome.Gone), dead,
            Count(WebhookOutcome.NotAttempted));
        logger.LogInformation(
            "Webhook pass of {Subscription}: {Claimed} claimed, {Delivered} delivered, {Failed} failed, {DeadLettered} dead-lettered, {NotAttempted} held back",
            subscription.Id, step.Claimed, step.Delivered, step.Failed, step.DeadLettered, step.NotAttempted);
        return step;
    }

    /// <summary>
    /// Removes delivered rows older than <see cref="WebhookOptions.DeliveredRetentionDays"/>, <see cref="PurgeBatchSize"/>
    /// per statement, at most <paramref name="maxBatches"/> statements; dead letters and pending rows are kept. The
    /// index on (State, NextAttemptAt) finds them: a delivery is delivered no earlier than it was due.
    /// </summary>
    public async Task<int> PurgeDeliveredAsync(CancellationToken cancellationToken, int maxBatches = 10)
    {
        var before = clock.GetUtcNow() - TimeSpan.FromDays(options.DeliveredRetentionDays);
        var total = 0;
        for (var i = 0; i < maxBatches; i++)
        {
            var removed = await db.WebhookDeliveries
                .Where(d => d.State == WebhookDeliveryState.Delivered && d.NextAttemptAt < before && d.DeliveredAt < before)
                .OrderBy(d => d.NextAttemptAt)
                .Take(PurgeBatchSize)
                .ExecuteDeleteAsync(cancellationToken);
            total += removed;
            if (removed < PurgeBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            logger.LogInformation("Webhook retention: {Removed} delivered deliveries older than {Days} days removed", total, options.DeliveredRetentionDays);
        }

        return total;
    }

    private sealed record Claimed(Guid Id, long OutboxSequence, Guid EventId, int Attempts, string Payload);

    private async Task<List<Claimed>> ClaimAsync(WebhookSubscription subscription, string claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + TimeSpan.FromSeconds(options.ClaimSeconds);
        var deliveries = db.WebhookDeliveries;
        var id = subscription.Id;

        // The subscriber's due deliveries in the order they fell due, by the partial index of pending deliveries
        // (SubscriptionId, NextAttemptAt, OutboxSequence); each case's oldest pending only, which the partial index of
        // pending deliveries by (SubscriptionId, Crn, OutboxSequence) answers with one probe per candidate. The state is written as a
        // constant, not a parameter, so that the partial index's condition is seen to hold.
        var due = await deliveries
            .Where(d => d.SubscriptionId == id && d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now)
                && !(d.Crn != null && deliveries.Any(e => e.SubscriptionId == id && e.Crn == d.Crn && e.State == WebhookDeliveryState.Pending && e.OutboxSequence < d.OutboxSequence)))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.OutboxSequence)
            .Select(d => d.Id)
            .Take(options.BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        // The claim itself: only deliveries still pending and unclaimed are taken, so of two dispatchers that chose the
        // same delivery one takes it (on PostgreSQL the second waits for the first's row lock, then finds it claimed).
        await deliveries.Where(d => due.Contains(d.Id) && d.State == WebhookDeliveryState.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedBy, claim).SetProperty(d => d.ClaimedUntil, until), cancellationToken);
        var rows = await (
                from d in deliveries.AsNoTracking()
                where due.Contains(d.Id) && d.ClaimedBy == claim
                join o in db.OutboxMessages.AsNoTracking() on d.OutboxSequence equals o.Sequence
                select new { d.Id, d.OutboxSequence, d.EventId, d.Attempts, o.Payload })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.OutboxSequence).Select(r => new Claimed(r.Id, r.OutboxSequence, r.EventId, r.Attempts, urls.AbsoluteEnvelope(r.Payload)))];
    }

    /// <summary>
    /// Records a batch's outcomes set-wise, each statement conditional on the claim still being ours: one UPDATE for the
    /// delivered (per status code), one for those held back, one per kind of failure (attempt, status, error, wait);
    /// the dead-lettered likewise. Returns how many were dead-lettered.
    /// </summary>
    private async Task<int> RecordAsync(Guid subscriptionId, List<(Claimed Delivery, WebhookSendResult Result)> outcomes, string claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        IQueryable<WebhookDelivery> Mine(List<Guid> ids) => db.WebhookDeliveries.Where(d => ids.Contains(d.Id) && d.ClaimedBy == claim);

        foreach (var delivered in outcomes.Where(o => o.Result.Outcome == WebhookOutcome.Delivered).GroupBy(o => o.Result.StatusCode))
        {
            var ids = delivered.Select(o => o.Delivery.Id).ToList();
            var status = delivered.Key;
            await Mine(ids).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, WebhookDeliveryState.Delivered).SetProperty(d => d.DeliveredAt, now)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.LastAttemptAt, now)
                .SetProperty(d => d.LastStatusCode, status).SetProperty(d => d.LastError, (string?)null)
                .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
        }

        var heldBack = outcomes.Where(o => o.Result.Outcome == WebhookOutcome.NotAttempted).Select(o => o.Delivery.Id).ToList();
        if (heldBack.Count > 0)
        {
            var later = now + TimeSpan.FromSeconds(options.CircuitBreakSeconds);
            await Mine(heldBack).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.NextAttemptAt, d => d.NextAttemptAt > later ? d.NextAttemptAt : later)
                .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
        }

        if (outcomes.Any(o => o.Result.Outcome == WebhookOutcome.Gone))
        {
            await db.WebhookSubscriptions.Where(s => s.Id == subscriptionId && s.Enabled)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Enabled, false).SetProperty(x => x.DisabledAt, now)
                    .SetProperty(x => x.DisabledReason, "The subscriber answered 410 Gone").SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
            logger.LogWarning("Webhook subscription {Subscription} disabled: the subscriber answered 410 Gone", subscriptionId);
        }

        var dead = 0;
        var failures = outcomes.Where(o => o.Result.Outcome is WebhookOutcome.Failed or WebhookOutcome.Gone)
            .GroupBy(o => (Attempts: o.Delivery.Attempts + 1, o.Result.StatusCode, Error: Truncate(o.Result.Error), o.Result.RetryAfter));
        foreach (var failed in failures)
        {
            var ids = failed.Select(o => o.Delivery.Id).ToList();
            var (attempts, status, error, retryAfter) = failed.Key;
            if (WebhookSchedule.After(attempts, retryAfter, Random.Shared) is { } wait)
            {
                var next = now + wait;
                await Mine(ids).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastAttemptAt, now).SetProperty(d => d.NextAttemptAt, next)
                    .SetProperty(d => d.LastStatusCode, status).SetProperty(d => d.LastError, error)
                    .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
                continue;
            }

            var recorded = await Mine(ids).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, WebhookDeliveryState.DeadLettered).SetProperty(d => d.DeadLetteredAt, now)
                .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastAttemptAt, now)
                .SetProperty(d => d.LastStatusCode, status).SetProperty(d => d.LastError, error)
                .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
            dead += recorded;
            if (recorded > 0)
            {
                logger.LogWarning(
                    "Webhook deliveries of events {Events} dead-lettered after {Attempts} attempts", string.Join(", ", failed.Select(o => o.Delivery.EventId)), attempts);
            }
        }

        return dead;
    }

    private static string? Truncate(string? error) =>
        error is { Length: > WebhookDelivery.LastErrorMaxLength } e ? e[..WebhookDelivery.LastErrorMaxLength] : error;
}
