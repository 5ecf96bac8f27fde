using CaseTransfer.Domain.Common;

namespace CaseTransfer.Application.Webhooks;

/// <summary>
/// An organisation's request to be told of events by HTTP POST to its callback address. Its secrets are kept protected
/// (<see cref="WebhookSecrets"/>); after a rotation the previous secret keeps signing beside the new one until
/// <see cref="PreviousSecretValidUntil"/>, so the subscriber can switch without missing a message.
/// </summary>
public sealed class WebhookSubscription
{
    public const int CallbackUrlMaxLength = 2_000;
    public const int DescriptionMaxLength = 500;
    public const int EventTypeMaxLength = 100;
    public const int MaxEventTypes = 50;
    public const string AllEvents = "*";

    private WebhookSubscription()
    {
    }

    public WebhookSubscription(
        Guid id, string organisationCode, string callbackUrl, IReadOnlyList<string> eventTypes, string? description,
        string protectedSecret, Guid? startAfter, string createdBy, DateTimeOffset now)
    {
        Id = id;
        OrganisationCode = organisationCode;
        CallbackUrl = callbackUrl;
        EventTypes = eventTypes;
        Description = description;
        ProtectedSecret = protectedSecret;
        FannedOutAfter = startAfter;
        CreatedBy = createdBy;
        CreatedAt = now;
        Enabled = true;
        Version = 1;
    }

    public Guid Id { get; private set; }
    public string OrganisationCode { get; private set; } = null!;
    public string CallbackUrl { get; private set; } = null!;
    public IReadOnlyList<string> EventTypes { get; private set; } = [];
    public string? Description { get; private set; }
    public string ProtectedSecret { get; private set; } = null!;
    public string? ProtectedPreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretValidUntil { get; private set; }
    public DateTimeOffset? SecretRotatedAt { get; private set; }
    public bool Enabled { get; private set; }
    public string? DisabledReason { get; private set; }
    public DateTimeOffset? DisabledAt { get; private set; }
    public string CreatedBy { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The outbox position up to which events have been turned into deliveries for this subscription. Set at creation
    /// to the newest event then, so a subscription hears of events from its creation onward only. Moved by the
    /// dispatcher alone, with a conditional update, so two dispatchers never fan out the same events twice.
    /// </summary>
    public Guid? FannedOutAfter { get; private set; }

    public long Version { get; private set; }

    public bool Wants(string eventType) => EventTypes.Any(t => t == AllEvents || t == eventType);

    /// <summary>The new secret signs from now on; the current one beside it until <paramref name="overlapUntil"/>.</summary>
    public void RotateSecret(string protectedSecret, DateTimeOffset now, DateTimeOffset overlapUntil)
    {
        ProtectedPreviousSecret = ProtectedSecret;
        PreviousSecretValidUntil = overlapUntil;
        ProtectedSecret = protectedSecret;
        SecretRotatedAt = now;
        Version++;
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        if (!Enabled)
        {
            throw new DomainRuleViolation("subscription-already-disabled", $"The subscription {Id} is already disabled.");
        }

        Enabled = false;
        DisabledReason = reason;
        DisabledAt = now;
        Version++;
    }

    public void Enable()
    {
        if (Enabled)
        {
            throw new DomainRuleViolation("subscription-already-enabled", $"The subscription {Id} is already enabled.");
        }

        Enabled = true;
        DisabledReason = null;
        DisabledAt = null;
        Version++;
    }
}

public enum WebhookDeliveryState
{
    Pending,
    Delivered,
    DeadLettered,
}

/// <summary>
/// One event to be sent to one subscription. Claimed by one dispatcher at a time (<see cref="ClaimedBy"/> until
/// <see cref="ClaimedUntil"/>): a dispatcher that dies mid-batch leaves its claims to expire, and the deliveries are
/// sent again, so each is sent at least once.
/// </summary>
public sealed class WebhookDelivery
{
    public const int ClaimedByMaxLength = 200;
    public const int LastErrorMaxLength = 500;

    private WebhookDelivery()
    {
    }

    public WebhookDelivery(Guid id, Guid subscriptionId, long outboxSequence, Guid eventId, string eventType, string? crn, DateTimeOffset now)
    {
        Id = id;
        SubscriptionId = subscriptionId;
        OutboxSequence = outboxSequence;
        EventId = eventId;
        EventType = eventType;
        Crn = crn;
        State = WebhookDeliveryState.Pending;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public Guid Id { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public long OutboxSequence { get; private set; }

    /// <summary>The outbox message's id: the <c>webhook-id</c>, the same on every attempt, by which receivers deduplicate.</summary>
    public Guid EventId { get; private set; }
    public string EventType { get; private set; } = null!;
    public string? Crn { get; private set; }
    public WebhookDeliveryState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }
    public string? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedUntil { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public DateTimeOffset? DeadLetteredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
