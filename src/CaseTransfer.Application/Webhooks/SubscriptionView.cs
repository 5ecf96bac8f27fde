using System.Text.Json.Serialization;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;

namespace CaseTransfer.Application.Webhooks;

/// <summary>
/// A webhook subscription as its organisation's administrators see it. <see cref="Secret"/> is present only in the
/// answer that made it (creation, rotation): it is shown once and never again.
/// </summary>
/// <param name="Secret">The signing secret (<c>whsec_...</c>): only in the answer to creation or rotation; keep it, it is not shown again.</param>
/// <param name="PreviousSecretValidUntil">After a rotation: until when deliveries are also signed with the previous secret.</param>
public sealed record SubscriptionView(
    Guid Id,
    string Organisation,
    string CallbackUrl,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? SecretRotatedAt,
    DateTimeOffset? PreviousSecretValidUntil,
    string? Secret,
    long Version,
    SubscriptionLinks Links) : IAuditedResult, ISecretBearingResult
{
    public static SubscriptionView From(WebhookSubscription s, DateTimeOffset now, string? secret = null, string? changeSummary = null) => new(
        s.Id,
        s.OrganisationCode,
        s.CallbackUrl,
        s.EventTypes,
        s.Description,
        s.Enabled,
        s.DisabledReason,
        s.DisabledAt,
        s.CreatedAt,
        s.CreatedBy,
        s.SecretRotatedAt,
        s.PreviousSecretValidUntil is { } until && until > now ? until : null,
        secret,
        s.Version,
        SubscriptionLinks.For(s))
    {
        ChangeSummary = changeSummary,
    };

    [JsonIgnore]
    public string ResourceType => "webhook-subscription";

    [JsonIgnore]
    public string ResourceId => Id.ToString();

    [JsonIgnore]
    public long? ResourceVersion => Version;

    /// <summary>Kept encrypted when stored for an idempotent replay (<see cref="StoredResponses"/>).</summary>
    [JsonIgnore]
    public bool CarriesSecret => Secret is not null;

    /// <summary>Field names and non-sensitive values only: never the secret.</summary>
    [JsonIgnore]
    public string? ChangeSummary { get; private init; }
}

public sealed record SubscriptionLinks(string Self, string Failures, string RotateSecret, string? Disable, string? Enable, string Redeliver)
{
    public static SubscriptionLinks For(WebhookSubscription s)
    {
        var self = $"/api/v1/subscriptions/{s.Id}";
        return new(self, $"{self}/failures", $"{self}/rotate-secret", s.Enabled ? $"{self}/disable" : null, s.Enabled ? null : $"{self}/enable", $"{self}/redeliver");
    }
}

/// <summary>A delivery given up on after the last attempt of the schedule, with how it last failed.</summary>
/// <param name="EventId">The event's id: the <c>webhook-id</c> every attempt carried.</param>
/// <param name="LastStatusCode">The subscriber's last HTTP status; null when it did not answer (refused, timed out).</param>
/// <param name="LastError">What went wrong on the last attempt, in words.</param>
public sealed record DeliveryFailureView(
    Guid Id,
    Guid EventId,
    string EventType,
    string? Crn,
    DateTimeOffset CreatedAt,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? DeadLetteredAt);

/// <summary>How many dead-lettered deliveries were put back to be sent again.</summary>
public sealed record RedeliveryView(Guid SubscriptionId, int Redelivered) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "webhook-subscription";

    [JsonIgnore]
    public string ResourceId => SubscriptionId.ToString();

    [JsonIgnore]
    public long? ResourceVersion => null;

    [JsonIgnore]
    public string? ChangeSummary => $"redelivered: {Redelivered}";
}
