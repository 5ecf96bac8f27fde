using System.Collections.Concurrent;
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

/// <summary>Names this instance's dispatcher in its claims.</summary>
public sealed class WebhookDispatcherIdentity
{
    public string Name { get; } = Limit($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    private static string Limit(string name) => name.Length <= 150 ? name : name[^150..];
}

/// <summary>What a pass did.</summary>
public sealed record WebhookPassResult(int FannedOut, int Claimed, int Delivered, int Failed, int DeadLettered, int NotAttempted);

/// <summary>
/// Delivers events to subscriptions, safe beside other instances on one database. A pass (1) fans out: for each enabled
/// subscription, the events after its mark (<see cref="WebhookSubscription.FannedOutAfter"/>) that it wants and whose
/// audience holds its organisation (or that concern no case), read as the events feed reads them (<see cref="EventFeed"/>:
/// in an order where an event that commits late never sorts behind what was already read, so none is passed over),
/// become delivery rows, and the mark moves, with a
/// conditional update in the same transaction, so two dispatchers never both do it; (2) claims due deliveries with a
/// conditional update (a delivery no live claim holds), taking of each case only the oldest delivery still pending for
/// the subscription, so a subscriber hears of a case's events in order: event n+1 waits until n is delivered or
/// dead-lettered; (3) sends them, subscribers in parallel, each subscriber's in order; (4) records each outcome,
/// conditional on the claim still being ours. A dispatcher that dies leaves its claims to expire, and the next pass
/// sends them again: each delivery is sent at least once, and receivers deduplicate by <c>webhook-id</c>.
/// </summary>
public sealed class WebhookDispatcher(
    IAppDbContext db,
    IWebhookSender sender,
    WebhookSecrets secrets,
    WebhookOptions options,
    WebhookDispatcherIdentity identity,
    EventFeed feed,
    EventFeedOptions urls,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
{
    public async Task<WebhookPassResult> RunAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var fannedOut = await FanOutAsync(cancellationToken);
        var claim = $"{identity.Name}:{Guid.NewGuid():N}";
        var claimed = await ClaimAsync(claim, cancellationToken);
        if (claimed.Count == 0)
        {
            return new WebhookPassResult(fannedOut, 0, 0, 0, 0, 0);
        }

        var outcomes = new ConcurrentBag<(Claimed Delivery, WebhookSendResult Result)>();
        await Parallel.ForEachAsync(
            claimed.GroupBy(c => c.SubscriptionId),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelSubscribers, CancellationToken = cancellationToken },
            async (subscriber, ct) =>
            {
                var stopped = false;
                foreach (var delivery in subscriber.OrderBy(d => d.OutboxSequence))
                {
                    // After a failure the rest of this subscriber's batch waits for the next pass unsent (no attempt
                    // used): a subscriber that is down costs one timeout per pass, not one per delivery.
                    var result = stopped
                        ? new WebhookSendResult(WebhookOutcome.NotAttempted, null, null)
                        : await sender.SendAsync(new WebhookMessage(delivery.SubscriptionId, delivery.CallbackUrl, delivery.EventId, delivery.Payload, delivery.Secrets), ct);
                    outcomes.Add((delivery, result));
                    stopped |= result.Outcome != WebhookOutcome.Delivered;
                }
            });

        var counts = new Dictionary<WebhookOutcome, int>();
        var dead = 0;
        foreach (var (delivery, result) in outcomes)
        {
            counts[result.Outcome] = counts.GetValueOrDefault(result.Outcome) + 1;
            dead += await RecordAsync(delivery, result, claim, cancellationToken) ? 1 : 0;
        }

        var pass = new WebhookPassResult(
            fannedOut, claimed.Count, counts.GetValueOrDefault(WebhookOutcome.Delivered),
            counts.GetValueOrDefault(WebhookOutcome.Failed) + counts.GetValueOrDefault(WebhookOutcome.Gone), dead, counts.GetValueOrDefault(WebhookOutcome.NotAttempted));
        logger.LogInformation(
            "Webhook pass: {FannedOut} fanned out, {Delivered} delivered, {Failed} failed, {DeadLettered} dead-lettered, {NotAttempted} held back",
            pass.FannedOut, pass.Delivered, pass.Failed, pass.DeadLettered, pass.NotAttempted);
        return pass;
    }

    private async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Enabled).ToListAsync(cancellationToken);
        var total = 0;
        foreach (var subscription in subscriptions)
        {
            var mark = subscription.FannedOutAfter;
            var marker = EventAudience.Marker(subscription.OrganisationCode);
            var taken = await feed.ReadAsync(mark, marker, null, options.FanOutBatchSize, cancellationToken);
            if (taken.Count == 0)
            {
                continue;
            }

            var now = clock.GetUtcNow();
            var wanted = taken.Where(m => subscription.Wants(m.EventType))
                .Select(m => new WebhookDelivery(Guid.CreateVersion7(now), subscription.Id, m.Sequence, m.Id, m.EventType, m.Crn, now))
                .ToList();
            Guid? to = taken[^1].Id;
            var strategy = db.Database.CreateExecutionStrategy();
            var added = await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var moved = await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id && s.FannedOutAfter == mark)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.FannedOutAfter, to), ct);
                if (moved != 1)
                {
                    return 0; // Another dispatcher fanned these out first.
                }

                db.WebhookDeliveries.AddRange(wanted);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return wanted.Count;
            }, cancellationToken);
            db.ChangeTracker.Clear();
            total += added;
        }

        return total;
    }

    private sealed record Claimed(Guid Id, Guid SubscriptionId, long OutboxSequence, Guid EventId, int Attempts, string CallbackUrl, string Payload, IReadOnlyList<string> Secrets);

    private async Task<List<Claimed>> ClaimAsync(string claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + TimeSpan.FromSeconds(options.ClaimSeconds);
        var deliveries = db.WebhookDeliveries;
        var pending = WebhookDeliveryState.Pending;
        var due = await deliveries
            .Where(d => d.State == pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now)
                && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled)
                && !(d.Crn != null && deliveries.Any(e => e.SubscriptionId == d.SubscriptionId && e.Crn == d.Crn && e.State == pending && e.OutboxSequence < d.OutboxSequence)))
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
        await deliveries.Where(d => due.Contains(d.Id) && d.State == pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedBy, claim).SetProperty(d => d.ClaimedUntil, until), cancellationToken);
        var rows = await (
                from d in deliveries.AsNoTracking()
                where d.ClaimedBy == claim
                join s in db.WebhookSubscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
                join o in db.OutboxMessages.AsNoTracking() on d.OutboxSequence equals o.Sequence
                select new { d.Id, d.SubscriptionId, d.OutboxSequence, d.EventId, d.Attempts, s.CallbackUrl, o.Payload, s.ProtectedSecret, s.ProtectedPreviousSecret, s.PreviousSecretValidUntil })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new Claimed(
            r.Id, r.SubscriptionId, r.OutboxSequence, r.EventId, r.Attempts, r.CallbackUrl, urls.AbsoluteEnvelope(r.Payload),
            r.ProtectedPreviousSecret is { } previous && r.PreviousSecretValidUntil > now
                ? [secrets.Unprotect(r.ProtectedSecret), secrets.Unprotect(previous)]
                : [secrets.Unprotect(r.ProtectedSecret)]))];
    }

    /// <summary>Records one outcome if the claim is still ours; true when the delivery was dead-lettered.</summary>
    private async Task<bool> RecordAsync(Claimed delivery, WebhookSendResult result, string claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mine = db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.ClaimedBy == claim);
        var error = result.Error is { Length: > WebhookDelivery.LastErrorMaxLength } e ? e[..WebhookDelivery.LastErrorMaxLength] : result.Error;
        switch (result.Outcome)
        {
            case WebhookOutcome.Delivered:
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.State, WebhookDeliveryState.Delivered).SetProperty(d => d.DeliveredAt, now)
                    .SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.LastAttemptAt, now)
                    .SetProperty(d => d.LastStatusCode, result.StatusCode).SetProperty(d => d.LastError, (string?)null)
                    .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
                return false;
            case WebhookOutcome.NotAttempted:
                var later = now + TimeSpan.FromSeconds(options.CircuitBreakSeconds);
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.NextAttemptAt, d => d.NextAttemptAt > later ? d.NextAttemptAt : later)
                    .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
                return false;
        }

        if (result.Outcome == WebhookOutcome.Gone)
        {
            await db.WebhookSubscriptions.Where(s => s.Id == delivery.SubscriptionId && s.Enabled)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Enabled, false).SetProperty(x => x.DisabledAt, now)
                    .SetProperty(x => x.DisabledReason, "The subscriber answered 410 Gone").SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
            logger.LogWarning("Webhook subscription {Subscription} disabled: the subscriber answered 410 Gone", delivery.SubscriptionId);
        }

        var attempts = delivery.Attempts + 1;
        if (WebhookSchedule.After(attempts, result.RetryAfter, Random.Shared) is { } wait)
        {
            var next = now + wait;
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastAttemptAt, now).SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LastStatusCode, result.StatusCode).SetProperty(d => d.LastError, error)
                .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
            return false;
        }

        var recorded = await mine.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, WebhookDeliveryState.DeadLettered).SetProperty(d => d.DeadLetteredAt, now)
            .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.LastStatusCode, result.StatusCode).SetProperty(d => d.LastError, error)
            .SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
        if (recorded == 1)
        {
            logger.LogWarning("Webhook delivery {Delivery} of event {Event} dead-lettered after {Attempts} attempts", delivery.Id, delivery.EventId, attempts);
        }

        return recorded == 1;
    }
}
