using System.Text.Json;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Events;

public sealed record EventIdentifier(string Type, string Value);

public sealed record EventPersonReference(IReadOnlyList<EventIdentifier> Identifiers);

/// <summary>
/// One event of the feed: the envelope a webhook delivers (API conventions, "Events for partner systems") with its
/// <c>detailUrl</c> made absolute, and the event's id, which is the webhook's <c>webhook-id</c> and a cursor to resume after it.
/// </summary>
/// <param name="Id">The event's id: the <c>webhook-id</c> of its webhook deliveries.</param>
/// <param name="Cursor">Where to resume to read the events after this one (<c>after=</c>); today the id itself.</param>
/// <param name="AdditionalInformation">The event's own facts: references and codes, no personal data.</param>
public sealed record FeedEvent(
    Guid Id,
    string Cursor,
    string EventType,
    int Version,
    DateTimeOffset OccurredAt,
    string Description,
    string? DetailUrl,
    EventPersonReference? PersonReference,
    IReadOnlyDictionary<string, JsonElement> AdditionalInformation);

/// <summary>
/// Where the <c>detailUrl</c>s of events point, in the feed and in webhooks alike: <c>Api:PublicBaseUrl</c>, without a
/// trailing slash, or null to leave paths.
/// </summary>
public sealed record EventFeedOptions(string? PublicBaseUrl)
{
    /// <summary>A stored <c>detailUrl</c> (a path) made absolute under <see cref="PublicBaseUrl"/>, when that is set.</summary>
    public string? Absolute(string? detailUrl) =>
        detailUrl is { } path && PublicBaseUrl is { } baseUrl && path.StartsWith('/') ? baseUrl + path : detailUrl;

    /// <summary>
    /// A stored envelope as partners receive it (webhooks, the broker): its <c>detailUrl</c> made absolute by
    /// <see cref="Absolute(string?)"/>, the rest untouched; the envelope itself when there is nothing to change.
    /// </summary>
    public string AbsoluteEnvelope(string payload)
    {
        if (PublicBaseUrl is null || System.Text.Json.Nodes.JsonNode.Parse(payload) is not System.Text.Json.Nodes.JsonObject envelope
            || envelope["detailUrl"]?.GetValue<string>() is not { } path || Absolute(path) is not { } absolute || absolute == path)
        {
            return payload;
        }

        envelope["detailUrl"] = absolute;
        return envelope.ToJsonString(AppJson.Options);
    }
}

/// <summary>
/// The events feed: the stream webhooks deliver, for partners who poll instead. Oldest first, from after a cursor,
/// only the events whose audience (fixed when each was stored, <see cref="EventAudience"/>) includes the caller's
/// organisation, and without gaps when transactions commit out of order (<see cref="EventFeed"/>). Reading it is a
/// consultation: events name cases.
/// </summary>
[Authorise(Roles.Allocator, Roles.CaseManager, Roles.EscalationDecider, Roles.InformationOfficer, Roles.Admin, Roles.PartnerSystem, Roles.Manager)]
public sealed record ReadEvents(string? After, int? Limit, string? EventType) : IQuery<Page<FeedEvent>>, IConsultation
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation,
        nameof(ReadEvents),
        null,
        "events",
        null,
        null,
        $"{((Page<FeedEvent>)result).Items.Count} events; filters: {(EventType is null ? "none" : "eventType")}");
}

public sealed class ReadEventsValidator : AbstractValidator<ReadEvents>
{
    public ReadEventsValidator()
    {
        RuleFor(q => q.After).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage(EventFeed.NotACursor);
        RuleFor(q => q.Limit).InclusiveBetween(1, ReadEvents.MaxLimit).WithMessage($"must be from 1 to {ReadEvents.MaxLimit}");
        RuleFor(q => q.EventType).MaximumLength(100);
    }
}

public sealed class ReadEventsHandler(EventFeed feed, ICaller caller, EventFeedOptions options) : IQueryHandler<ReadEvents, Page<FeedEvent>>
{
    public async ValueTask<Page<FeedEvent>> Handle(ReadEvents query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? ReadEvents.DefaultLimit;
        var after = query.After is null ? (Guid?)null : Guid.Parse(query.After);
        var rows = await feed.ReadAsync(after, EventAudience.Marker(caller.OrganisationCode), query.EventType, limit, cancellationToken);
        var items = rows.Select(r => Item(r.Id, r.Payload)).ToList();

        // Always a cursor to poll from next: the last event served, else where the caller already was. Null only while
        // the caller has read nothing and there is nothing to read: then it polls from the start again.
        return new Page<FeedEvent>(items, items.Count > 0 ? items[^1].Cursor : query.After);
    }

    /// <summary>The stored envelope as an item: it has no id or cursor of its own (the event's id is the outbox row's).</summary>
    private FeedEvent Item(Guid id, string payload)
    {
        var envelope = JsonSerializer.Deserialize<FeedEvent>(payload, AppJson.Options)!;
        return envelope with { Id = id, Cursor = id.ToString(), DetailUrl = options.Absolute(envelope.DetailUrl) };
    }
}

/// <summary>
/// Reads the outbox in the feed's order without gaps. The hazard: a position is taken when a row is inserted, but
/// transactions commit in their own order, so a row with an earlier position can become visible after a reader has
/// moved its cursor past a later one; that reader would never see it. Each engine closes the hazard its own way:
/// <list type="bullet">
/// <item>SQLite has one writer: a transaction holds the write lock from its first insert to its commit, so rows
/// become visible in <c>Sequence</c> order and <c>Sequence</c> alone is the order.</item>
/// <item>PostgreSQL: every row carries <c>TransactionId</c> (xid8, set by a trigger, see the EventsFeed migration) and
/// the order is (<c>TransactionId</c>, <c>Sequence</c>). A read serves only rows whose <c>TransactionId</c> is below
/// the xmin of its own snapshot: every transaction with an id below xmin has ended, so nothing more will ever appear
/// there. A row not visible to a read belongs to a transaction still running, whose id is at least that xmin, so
/// it sorts after everything the read served and the cursor can never have passed it. For order within a case, the
/// trigger sets <c>TransactionId</c> to the greater of the transaction's own id and the highest of the case's
/// earlier events the insert sees (a transaction may have taken its id before a later one that changed the case
/// and committed first); the argument holds, since that is never below the transaction's own id.</item>
/// <item>SQL Server: <c>Sequence</c> order, which is not gap-free (see the README, "Events feed").</item>
/// </list>
/// </summary>
public sealed class EventFeed(IAppDbContext db)
{
    public const string NotACursor = "is not a cursor this service issued";

    private const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// The events after <paramref name="after"/> in the feed's order whose audience holds <paramref name="marker"/>
    /// (<see cref="EventAudience.Marker"/>), or every event when it is null (each row carries its audience, for the
    /// caller to filter: webhook fan-out reads once for several subscriptions).
    /// </summary>
    public async Task<IReadOnlyList<FeedRow>> ReadAsync(Guid? after, string? marker, string? eventType, int limit, CancellationToken cancellationToken)
    {
        if (db.Database.ProviderName == Postgres)
        {
            return await ReadPostgresAsync(after, marker, eventType, limit, cancellationToken);
        }

        var from = 0L;
        if (after is { } id)
        {
            from = await db.OutboxMessages.AsNoTracking().Where(o => o.Id == id).Select(o => (long?)o.Sequence).FirstOrDefaultAsync(cancellationToken)
                ?? throw UnknownCursor();
        }

        return await db.OutboxMessages.AsNoTracking()
            .Where(o => o.Sequence > from && (marker == null || o.Audience == null || o.Audience.Contains(marker)) && (eventType == null || o.EventType == eventType))
            .OrderBy(o => o.Sequence)
            .Take(limit)
            .Select(o => new FeedRow { Id = o.Id, Payload = o.Payload, Sequence = o.Sequence, EventType = o.EventType, Crn = o.Crn, Audience = o.Audience })
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The last event a read now could serve, in the feed's order: where a reader starting now begins (a new webhook
    /// subscription hears of what comes after it). Null when there is none.
    /// </summary>
    public async Task<Guid?> LatestAsync(CancellationToken cancellationToken)
    {
        if (db.Database.ProviderName == Postgres)
        {
            return await db.Database.SqlQuery<Guid?>($"""
                SELECT "Id" AS "Value" FROM "OutboxMessages" WHERE "TransactionId" < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY "TransactionId" DESC, "Sequence" DESC LIMIT 1
                """).FirstOrDefaultAsync(cancellationToken);
        }

        return await db.OutboxMessages.AsNoTracking().OrderByDescending(o => o.Sequence).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<FeedRow>> ReadPostgresAsync(Guid? after, string? marker, string? eventType, int limit, CancellationToken cancellationToken)
    {
        // xid8 travels as text: '0' is below every transaction id, so no cursor means the start.
        var fromTransaction = "0";
        var fromSequence = 0L;
        if (after is { } id)
        {
            var position = await db.Database.SqlQuery<FeedPosition>($"""
                SELECT "TransactionId"::text AS "TransactionId", "Sequence" FROM "OutboxMessages" WHERE "Id" = {id}
                """).FirstOrDefaultAsync(cancellationToken) ?? throw UnknownCursor();
            (fromTransaction, fromSequence) = (position.TransactionId, position.Sequence);
        }

        var type = eventType ?? "";
        var audience = marker ?? "";
        return await db.Database.SqlQuery<FeedRow>($"""
            SELECT "Id", "Payload", "Sequence", "EventType", "Crn", "Audience" FROM "OutboxMessages"
            WHERE "TransactionId" < pg_snapshot_xmin(pg_current_snapshot())
              AND ("TransactionId", "Sequence") > ({fromTransaction}::xid8, {fromSequence})
              AND ({audience} = '' OR "Audience" IS NULL OR strpos("Audience", {audience}) > 0)
              AND ({type} = '' OR "EventType" = {type})
            ORDER BY "TransactionId", "Sequence"
            LIMIT {limit}
            """).ToListAsync(cancellationToken);
    }

    private static ValidationException UnknownCursor() => new([new ValidationFailure("after", NotACursor)]);

    public sealed class FeedRow
    {
        public Guid Id { get; init; }
        public string Payload { get; init; } = null!;
        public long Sequence { get; init; }
        public string EventType { get; init; } = null!;
        public string? Crn { get; init; }

        /// <summary>Who may hear of it (<see cref="OutboxMessage.Audience"/>): null for everyone.</summary>
        public string? Audience { get; init; }

        /// <summary>Whether the organisation of <paramref name="marker"/> may hear of it.</summary>
        public bool HeardBy(string marker) => Audience is null || Audience.Contains(marker, StringComparison.Ordinal);
    }

    private sealed class FeedPosition
    {
        public string TransactionId { get; init; } = null!;
        public long Sequence { get; init; }
    }
}
