using System.Collections.Concurrent;
using System.Globalization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.Broker;

/// <summary>
/// One event as a broker carries it: its id, type and time, the envelope partners get from webhooks and the feed, and
/// the organisations that may hear of it (null: anyone, for an event about no case).
/// </summary>
public sealed record BrokerMessage(Guid Id, string EventType, DateTimeOffset OccurredAt, string Body, IReadOnlyList<string>? Audience);

/// <summary>A message broker (Infrastructure: RabbitMQ).</summary>
public interface IBrokerPublisher
{
    /// <summary>Makes sure there is a channel to the broker, opening one if need be; throws when the broker cannot be reached.</summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Publishes one message on the channel <see cref="ConnectAsync"/> opened. Completes when the broker confirms it has
    /// taken the message; throws when the broker refuses it (nack), the channel fails, or <paramref name="cancellationToken"/>
    /// ends the wait first.
    /// </summary>
    Task PublishAsync(BrokerMessage message, CancellationToken cancellationToken);
}

/// <summary>What a pass did: events claimed, confirmed by the broker, not confirmed (left for the next pass), and held back for order.</summary>
public sealed record BrokerPassResult(int Claimed, int Published, int Unconfirmed, int HeldBack);

/// <summary>
/// Publishes every stored event to the broker, at least once and in order per case, safe beside other instances on one
/// database. A pass (1) connects first, so while the broker is down nothing is claimed and events just wait; (2) claims a
/// batch of unpublished events in the events feed's order (<see cref="EventFeed"/>: on PostgreSQL only below the oldest
/// transaction still running, so an event that commits late is never passed over), each not under another live claim,
/// in a short transaction: on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so two publishers never take the same
/// event; on SQL Server with <c>UPDLOCK, READPAST</c>; on SQLite under its single writer's lock. Of each case it keeps
/// only the events before the case's first unpublished event it did not take (held by another publisher, or skipped
/// as locked), so no publisher can send a case's event n+1 while n is anyone else's to send. (3) Publishes the case's
/// events one after another, each once the broker has confirmed the one before (cases, and events of no case, side by
/// side): a nack or a lost channel stops that case's chain there, so its later events are never sent ahead of an
/// earlier one. (4) Marks <see cref="OutboxMessage.PublishedAt"/> on exactly the confirmed events, and releases the
/// rest for the next pass. A publisher that dies mid-batch leaves its claim to lapse (<see cref="BrokerOptions.ClaimSeconds"/>)
/// and another publishes the events again: consumers deduplicate by message id.
/// </summary>
public sealed class OutboxPublisher(
    IAppDbContext db,
    IBrokerPublisher broker,
    BrokerOptions options,
    ServiceInstance identity,
    EventFeedOptions urls,
    TimeProvider clock,
    ILogger<OutboxPublisher> logger)
{
    private const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private const string SqlServer = "Microsoft.EntityFrameworkCore.SqlServer";

    public async Task<BrokerPassResult> RunAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await broker.ConnectAsync(cancellationToken);
        var claim = $"{identity.Name}:{Guid.NewGuid():N}";
        var started = clock.GetTimestamp();
        var (claimed, heldBack) = await ClaimAsync(claim, cancellationToken);
        var claimedAt = clock.GetTimestamp();
        if (claimed.Count == 0)
        {
            return new BrokerPassResult(0, 0, 0, heldBack);
        }

        var confirmed = new ConcurrentBag<long>();
        Exception? firstFailure = null;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(TimeSpan.FromSeconds(options.ConfirmTimeoutSeconds));
            await Task.WhenAll(Chains(claimed).Select(async chain =>
            {
                foreach (var row in chain)
                {
                    try
                    {
                        await broker.PublishAsync(Message(row), wait.Token);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref firstFailure, e, null);
                        return; // The case's later events wait for this one.
                    }

                    confirmed.Add(row.Sequence);
                }
            }));
        }

        // Recorded whatever happens to the pass's token: what the broker confirmed is published.
        var sentAt = clock.GetTimestamp();
        var published = confirmed.ToArray();
        var unconfirmed = claimed.Select(c => c.Sequence).Except(published).ToArray();
        var now = clock.GetUtcNow();
        if (published.Length > 0)
        {
            await db.OutboxMessages.Where(o => published.Contains(o.Sequence))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.PublishedAt, now)
                    .SetProperty(o => o.ClaimedBy, (string?)null).SetProperty(o => o.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
        }

        if (unconfirmed.Length > 0)
        {
            await db.OutboxMessages.Where(o => unconfirmed.Contains(o.Sequence) && o.ClaimedBy == claim)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedBy, (string?)null).SetProperty(o => o.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            logger.LogWarning(
                "Broker pass: {Unconfirmed} of {Claimed} events not confirmed, left for the next pass: {Reason}",
                unconfirmed.Length, claimed.Count, firstFailure?.Message);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pass = new BrokerPassResult(claimed.Count, published.Length, unconfirmed.Length, heldBack);
        logger.LogInformation(
            "Broker pass: {Published} published, {Unconfirmed} unconfirmed, {HeldBack} held back (claim {ClaimMs:F0} ms, publish {PublishMs:F0} ms, mark {MarkMs:F0} ms)",
            pass.Published, pass.Unconfirmed, pass.HeldBack,
            clock.GetElapsedTime(started, claimedAt).TotalMilliseconds, clock.GetElapsedTime(claimedAt, sentAt).TotalMilliseconds, clock.GetElapsedTime(sentAt).TotalMilliseconds);
        return pass;
    }

    /// <summary>Each case's events in order, one chain per case; an event about no case is a chain of its own.</summary>
    private static IEnumerable<List<Candidate>> Chains(List<Candidate> claimed) =>
        claimed.Where(c => c.Crn is null).Select(c => new List<Candidate> { c })
            .Concat(claimed.Where(c => c.Crn is not null).GroupBy(c => c.Crn).Select(g => g.ToList()));

    private BrokerMessage Message(Candidate row) => new(
        row.Id, row.EventType, row.OccurredAt, urls.AbsoluteEnvelope(row.Payload),
        row.Audience?.Split('|', StringSplitOptions.RemoveEmptyEntries));

    private async Task<(List<Candidate> Claimed, int HeldBack)> ClaimAsync(string claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + TimeSpan.FromSeconds(options.ClaimSeconds);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            // SQLite: BeginTransaction is BEGIN IMMEDIATE, the write lock, so no other publisher claims meanwhile.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var candidates = await CandidatesAsync(now, ct);
            if (candidates.Count == 0)
            {
                return (candidates, 0);
            }

            var firstNotMine = await FirstUnpublishedNotTakenAsync(candidates, ct);
            var kept = candidates.Where(c => c.Crn is null || !firstNotMine.TryGetValue(c.Crn, out var first) || c.Position.CompareTo(first) < 0).ToList();
            var sequences = kept.Select(c => c.Sequence).ToArray();
            if (sequences.Length > 0)
            {
                await db.OutboxMessages.Where(o => sequences.Contains(o.Sequence))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedBy, claim).SetProperty(o => o.ClaimedUntil, until), ct);
            }

            await transaction.CommitAsync(ct);
            return (kept, candidates.Count - kept.Count);
        }, cancellationToken);
    }

    /// <summary>Unpublished events under no live claim, oldest first in the feed's order, locked where the engine locks rows.</summary>
    private async Task<List<Candidate>> CandidatesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var limit = options.BatchSize;
        switch (db.Database.ProviderName)
        {
            case Postgres:
                return await db.Database.SqlQuery<Candidate>($"""
                    SELECT "Sequence", "TransactionId"::text AS "TransactionId", "Id", "EventType", "OccurredAt", "Crn", "Payload", "Audience"
                    FROM "OutboxMessages"
                    WHERE "PublishedAt" IS NULL AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                      AND "TransactionId" < pg_snapshot_xmin(pg_current_snapshot())
                    ORDER BY "TransactionId", "Sequence"
                    LIMIT {limit}
                    FOR UPDATE SKIP LOCKED
                    """).ToListAsync(ct);
            case SqlServer:
                return await db.Database.SqlQuery<Candidate>($"""
                    SELECT TOP ({limit}) [Sequence], CAST(NULL AS nvarchar(20)) AS [TransactionId], [Id], [EventType], [OccurredAt], [Crn], [Payload], [Audience]
                    FROM [OutboxMessages] WITH (UPDLOCK, READPAST, ROWLOCK)
                    WHERE [PublishedAt] IS NULL AND ([ClaimedUntil] IS NULL OR [ClaimedUntil] < {now})
                    ORDER BY [Sequence]
                    """).ToListAsync(ct);
            default:
                return await db.OutboxMessages.AsNoTracking()
                    .Where(o => o.PublishedAt == null && (o.ClaimedUntil == null || o.ClaimedUntil < now))
                    .OrderBy(o => o.Sequence)
                    .Take(limit)
                    .Select(o => new Candidate
                    {
                        Sequence = o.Sequence, Id = o.Id, EventType = o.EventType, OccurredAt = o.OccurredAt, Crn = o.Crn, Payload = o.Payload, Audience = o.Audience,
                    })
                    .ToListAsync(ct);
        }
    }

    /// <summary>For each case among <paramref name="candidates"/>, where its first unpublished event that is not one of them stands.</summary>
    private async Task<Dictionary<string, (ulong, long)>> FirstUnpublishedNotTakenAsync(List<Candidate> candidates, CancellationToken ct)
    {
        var crns = candidates.Where(c => c.Crn is not null).Select(c => c.Crn!).Distinct().ToArray();
        if (crns.Length == 0)
        {
            return [];
        }

        var mine = candidates.Select(c => c.Sequence).ToArray();
        if (db.Database.ProviderName == Postgres)
        {
            var rows = await db.Database.SqlQuery<Candidate>($"""
                SELECT DISTINCT ON ("Crn") "Sequence", "TransactionId"::text AS "TransactionId", "Crn",
                       "Id", "EventType", "OccurredAt", '' AS "Payload", NULL AS "Audience"
                FROM "OutboxMessages"
                WHERE "Crn" = ANY({crns}) AND "PublishedAt" IS NULL AND NOT ("Sequence" = ANY({mine}))
                ORDER BY "Crn", "TransactionId", "Sequence"
                """).ToListAsync(ct);
            return rows.ToDictionary(r => r.Crn!, r => r.Position);
        }

        var firsts = await db.OutboxMessages.AsNoTracking()
            .Where(o => o.Crn != null && crns.Contains(o.Crn) && o.PublishedAt == null && !mine.Contains(o.Sequence))
            .GroupBy(o => o.Crn)
            .Select(g => new { Crn = g.Key, First = g.Min(o => o.Sequence) })
            .ToListAsync(ct);
        return firsts.ToDictionary(f => f.Crn!, f => (0UL, f.First));
    }

    private sealed class Candidate
    {
        public long Sequence { get; init; }

        /// <summary>PostgreSQL's xid8 as text (the feed's order is TransactionId then Sequence); null elsewhere.</summary>
        public string? TransactionId { get; init; }

        public Guid Id { get; init; }
        public string EventType { get; init; } = null!;
        public DateTimeOffset OccurredAt { get; init; }
        public string? Crn { get; init; }
        public string Payload { get; init; } = null!;
        public string? Audience { get; init; }

        public (ulong, long) Position => (TransactionId is null ? 0UL : ulong.Parse(TransactionId, CultureInfo.InvariantCulture), Sequence);
    }
}
