using System.Text.Json.Nodes;

namespace CaseTransfer.Api.Hosting;

/// <summary>
/// The webhook operations' examples: NPS North West's administrator subscribes its case management system to every
/// event on 1 December 2026, rotates the secret a week later, and finds a risk assessment of X123456 that the system
/// refused through the whole schedule.
/// </summary>
public sealed partial class OpenApiExamples
{
    private const string SubscriptionId = "0193c1d2-7a8b-7c3d-9e4f-01234567aaaa";

    private static readonly Dictionary<string, (string? Request, string Response)> WebhookExamples = new()
    {
        ["CreateSubscription"] = (
            """{"callbackUrl":"https://cms.nps-nw.example/case-transfer/events","eventTypes":["*"],"description":"Case management system"}""",
            Subscription(s => s["secret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
        ["ListSubscriptions"] = (null, new JsonArray(JsonNode.Parse(Subscription(_ => { })) ).ToJsonString()),
        ["GetSubscription"] = (null, Subscription(_ => { })),
        ["RotateSubscriptionSecret"] = (null, Subscription(s =>
        {
            s["secret"] = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
            s["secretRotatedAt"] = "2026-12-08T09:00:00Z";
            s["previousSecretValidUntil"] = "2026-12-09T09:00:00Z";
            s["version"] = 2;
        })),
        ["DisableSubscription"] = (null, Subscription(s =>
        {
            s["enabled"] = false;
            s["disabledReason"] = "Disabled by nw-admin-01";
            s["disabledAt"] = "2026-12-08T09:00:00Z";
            s["version"] = 2;
            s["links"]!["disable"] = null;
            s["links"]!["enable"] = $"/api/v1/subscriptions/{SubscriptionId}/enable";
        })),
        ["EnableSubscription"] = (null, Subscription(s => s["version"] = 3)),
        ["ListSubscriptionFailures"] = (null,
            """{"items":[{"id":"0193c1d2-7a8b-7c3d-9e4f-01234567bbbb","eventId":"0193c1d2-7a8b-7c3d-9e4f-01234567cccc","eventType":"case-transfer.risk-assessment.recorded","crn":"X123456","createdAt":"2026-12-01T10:15:30Z","attempts":11,"lastStatusCode":500,"lastError":"500 Internal Server Error","lastAttemptAt":"2026-12-03T10:20:11Z","deadLetteredAt":"2026-12-03T10:20:11Z"}],"nextCursor":null}"""),
        ["Redeliver"] = (
            """{"deliveryIds":["0193c1d2-7a8b-7c3d-9e4f-01234567bbbb"]}""",
            $$"""{"subscriptionId":"{{SubscriptionId}}","redelivered":1}"""),
    };

    /// <summary>The subscription as made (without its secret), changed by <paramref name="change"/>, as JSON.</summary>
    private static string Subscription(Action<JsonObject> change)
    {
        var self = $"/api/v1/subscriptions/{SubscriptionId}";
        var subscription = new JsonObject
        {
            ["id"] = SubscriptionId,
            ["organisation"] = "NPS-NW",
            ["callbackUrl"] = "https://cms.nps-nw.example/case-transfer/events",
            ["eventTypes"] = new JsonArray("*"),
            ["description"] = "Case management system",
            ["enabled"] = true,
            ["disabledReason"] = null,
            ["disabledAt"] = null,
            ["createdAt"] = "2026-12-01T09:00:00Z",
            ["createdBy"] = "nw-admin-01",
            ["secretRotatedAt"] = null,
            ["previousSecretValidUntil"] = null,
            ["secret"] = null,
            ["version"] = 1,
            ["links"] = new JsonObject
            {
                ["self"] = self,
                ["failures"] = $"{self}/failures",
                ["rotateSecret"] = $"{self}/rotate-secret",
                ["disable"] = $"{self}/disable",
                ["enable"] = null,
                ["redeliver"] = $"{self}/redeliver",
            },
        };
        change(subscription);
        return subscription.ToJsonString();
    }
}
