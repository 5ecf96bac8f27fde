using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using WebhookReceiver;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Webhooks;

/// <summary>
/// Webhooks over HTTP, to the sample receiver: an organisation hears, signed, of the events about the cases it sees and
/// of no others; every event arrives, in order per case, through failures, timeouts, an hour's outage and a second
/// dispatcher; what cannot be delivered after the schedule waits in the failures list to be sent again. Runs once per engine.
/// </summary>
public abstract class WebhookDeliveryTests(WebhookApp app)
{
    private readonly WebhookScenario _scenario = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<ReceivedEvent> About(RunningReceiver receiver, IEnumerable<string> crns) =>
        [.. receiver.Receiver.Received.Where(r => r.Crn is not null && crns.Contains(r.Crn))];

    private static void AssertInOrderPerCase(IEnumerable<ReceivedEvent> received, IReadOnlyList<(string Id, string Crn, long Sequence)> expected)
    {
        var sequence = expected.ToDictionary(e => e.Id, e => e.Sequence);
        foreach (var @case in received.GroupBy(r => r.Crn))
        {
            var order = @case.Select(r => sequence[r.WebhookId]).ToList();
            Assert.Equal(order.Order(), order);
        }
    }

    [Fact]
    public async Task A_subscription_hears_signed_events_about_the_cases_its_organisation_sees_and_none_about_others()
    {
        var (id, secret, nps) = await _scenario.SubscribedReceiverAsync(NpsNorthWest);
        var (_, _, provider) = await _scenario.SubscribedReceiverAsync(CrcGreaterManchester);
        await using var _1 = nps;
        await using var _2 = provider;
        var crns = new[] { await _scenario.CaseWithEventsAsync(), await _scenario.CaseWithEventsAsync() };
        var expected = await _scenario.AudibleEventsAsync(NpsNorthWest, crns);

        await _scenario.DispatchUntilAsync(() => About(nps, crns).Count >= expected.Count);

        var received = About(nps, crns);
        Assert.Equal(expected.Select(e => e.Id).Order(), received.Select(r => r.WebhookId).Order());
        Assert.Equal(0, nps.Receiver.BadSignatures);
        AssertInOrderPerCase(received, expected);
        var envelope = JsonNode.Parse(received[0].Payload)!;
        Assert.Equal($"https://case-transfer.example/api/v1/cases/{received[0].Crn}", envelope["detailUrl"]!.GetValue<string>());
        Assert.Empty(About(provider, crns));

        // The secret was shown once: never again, and another organisation does not see the subscription at all.
        var admin = _scenario.Admin(NpsNorthWest);
        var read = await (await admin.GetAsync($"/api/v1/subscriptions/{id}", Ct)).ReadJsonAsync();
        Assert.Null(read["secret"]);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/api/v1/subscriptions", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.Admin(CrcGreaterManchester).GetAsync($"/api/v1/subscriptions/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.Admin(CrcGreaterManchester).PostAsync($"/api/v1/subscriptions/{id}/rotate-secret", null, Ct)).StatusCode);
        var audit = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.ResourceId == id).Select(e => e.Summary).ToListAsync(Ct));
        Assert.NotEmpty(audit);
        Assert.DoesNotContain(audit, s => s != null && s.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_case_transferred_away_stops_its_events_reaching_the_old_holders_subscription()
    {
        var (_, _, nps) = await _scenario.SubscribedReceiverAsync(NpsNorthWest);
        var (_, _, provider) = await _scenario.SubscribedReceiverAsync(CrcGreaterManchester);
        await using var _1 = nps;
        await using var _2 = provider;
        var crn = await _scenario.CaseWithEventsAsync(1);
        await _scenario.TransferToTheProviderAsync(crn);
        (await _scenario.Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        var heardByNps = await _scenario.AudibleEventsAsync(NpsNorthWest, [crn]);
        var heardByProvider = await _scenario.AudibleEventsAsync(CrcGreaterManchester, [crn]);

        await _scenario.DispatchUntilAsync(() => About(nps, [crn]).Count >= heardByNps.Count && About(provider, [crn]).Count >= heardByProvider.Count);

        // The old holder hears of the case up to its leaving (the holder change names it), and nothing after.
        var npsEvents = About(nps, [crn]).Select(r => r.EventType).ToList();
        Assert.Contains("case-transfer.case.holder-changed", npsEvents);
        Assert.DoesNotContain("case-transfer.risk-assessment.recorded", npsEvents.SkipWhile(e => e != "case-transfer.case.holder-changed"));
        Assert.Equal(heardByNps.Count, npsEvents.Count);
        var providerEvents = About(provider, [crn]).Select(r => r.EventType).ToList();
        Assert.Equal(heardByProvider.Select(e => e.Id), About(provider, [crn]).Select(r => r.WebhookId));
        Assert.Contains("case-transfer.allocation.proposed", providerEvents);
        Assert.True(heardByProvider[^1].Sequence > heardByNps[^1].Sequence, "the provider hears of the case after it left the NPS");
    }

    [Fact]
    public async Task A_receiver_that_fails_times_out_and_recovers_at_random_gets_every_event_once_in_order_per_case()
    {
        var (_, _, receiver) = await _scenario.SubscribedReceiverAsync(NpsNorthWest);
        await using var _1 = receiver;
        receiver.Receiver.Mode = ReceiverMode.Flaky;
        receiver.Receiver.SlowAnswer = TimeSpan.FromMilliseconds(1_500);
        var crns = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            crns.Add(await _scenario.CaseWithEventsAsync(2));
        }

        var expected = await _scenario.AudibleEventsAsync(NpsNorthWest, crns);

        await _scenario.DispatchUntilAsync(() => About(receiver, crns).Count >= expected.Count, TimeSpan.FromMinutes(30));

        var received = About(receiver, crns);
        Assert.Equal(expected.Select(e => e.Id).Order(), received.Select(r => r.WebhookId).Order());
        Assert.Equal(received.Count, received.Select(r => r.WebhookId).Distinct().Count());
        AssertInOrderPerCase(received, expected);
        Assert.Equal(0, receiver.Receiver.BadSignatures);
    }

    [Fact]
    public async Task A_subscriber_down_for_an_hour_gets_everything_when_back_and_after_the_whole_schedule_finds_it_in_failures()
    {
        var (id, _, receiver) = await _scenario.SubscribedReceiverAsync(NpsNorthWest, "case-transfer.risk-assessment.recorded");
        await using var _1 = receiver;
        receiver.Receiver.Mode = ReceiverMode.Failing;
        var crns = new[] { await _scenario.CaseWithEventsAsync(2), await _scenario.CaseWithEventsAsync(1) };
        var start = app.Clock.GetUtcNow();

        // An hour of failures: nothing gets through, and nothing is given up on.
        await _scenario.DispatchUntilAsync(() => app.Clock.GetUtcNow() - start > TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        Assert.Empty(About(receiver, crns));
        receiver.Receiver.Mode = ReceiverMode.Healthy;
        await _scenario.DispatchUntilAsync(() => About(receiver, crns).Count >= 3, TimeSpan.FromMinutes(30));
        Assert.All(About(receiver, crns), r => Assert.Equal("case-transfer.risk-assessment.recorded", r.EventType));
        Assert.Equal(3, About(receiver, crns).Count);

        // Down for good: after the last attempt of the schedule (over two days) the deliveries are dead letters.
        receiver.Receiver.Mode = ReceiverMode.Failing;
        var more = await _scenario.CaseWithEventsAsync(2);
        var admin = _scenario.Admin(NpsNorthWest);
        async Task<JsonArray> FailuresAsync() => (await (await admin.GetAsync($"/api/v1/subscriptions/{id}/failures", Ct)).ReadJsonAsync())["items"]!.AsArray();
        var failures = new JsonArray();
        await _scenario.DispatchUntilAsync(() => (failures = FailuresAsync().GetAwaiter().GetResult()).Count >= 2, TimeSpan.FromHours(3));
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f =>
        {
            Assert.Equal(more, f!["crn"]!.GetValue<string>());
            Assert.Equal(WebhookSchedule.MaxAttempts, f["attempts"]!.GetValue<int>());
            Assert.Equal(500, f["lastStatusCode"]!.GetValue<int>());
        });
        Assert.Empty(About(receiver, [more]));

        // Back, and asked to send them again: they arrive, in order.
        receiver.Receiver.Mode = ReceiverMode.Healthy;
        var redelivered = await admin.PostAsJsonAsync($"/api/v1/subscriptions/{id}/redeliver", new { deliveryIds = (Guid[]?)null }, Ct);
        Assert.Equal(2, (await redelivered.ReadJsonAsync())["redelivered"]!.GetValue<int>());
        await _scenario.DispatchUntilAsync(() => About(receiver, [more]).Count >= 2);
        Assert.Empty(await FailuresAsync());
        var sequence = (await _scenario.AudibleEventsAsync(NpsNorthWest, [more])).ToDictionary(e => e.Id, e => e.Sequence);
        var order = About(receiver, [more]).Select(r => sequence[r.WebhookId]).ToList();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task A_subscriber_answering_410_Gone_is_disabled_until_enabled_again()
    {
        var (id, _, receiver) = await _scenario.SubscribedReceiverAsync(NpsNorthWest);
        await using var _1 = receiver;
        receiver.Receiver.Mode = ReceiverMode.Gone;
        var crn = await _scenario.CaseWithEventsAsync(1);
        var admin = _scenario.Admin(NpsNorthWest);

        await _scenario.DispatchUntilAsync(() => receiver.Receiver.Attempts > 0);

        var subscription = await (await admin.GetAsync($"/api/v1/subscriptions/{id}", Ct)).ReadJsonAsync();
        Assert.False(subscription["enabled"]!.GetValue<bool>());
        Assert.Contains("410", subscription["disabledReason"]!.GetValue<string>(), StringComparison.Ordinal);
        var attempts = receiver.Receiver.Attempts;
        await app.RunWebhookPassAsync();
        app.Clock.Set(app.Clock.GetUtcNow() + TimeSpan.FromHours(1));
        await app.RunWebhookPassAsync();
        Assert.Equal(attempts, receiver.Receiver.Attempts);

        receiver.Receiver.Mode = ReceiverMode.Healthy;
        (await admin.PostAsync($"/api/v1/subscriptions/{id}/enable", null, Ct)).EnsureSuccessStatusCode();
        var expected = await _scenario.AudibleEventsAsync(NpsNorthWest, [crn]);
        await _scenario.DispatchUntilAsync(() => About(receiver, [crn]).Count >= expected.Count);
        Assert.Equal(expected.Select(e => e.Id), About(receiver, [crn]).Select(r => r.WebhookId));
    }

    [Fact]
    public async Task A_subscriber_answering_503_is_tried_again_after_its_Retry_After_not_before()
    {
        var (id, _, receiver) = await _scenario.SubscribedReceiverAsync(NpsNorthWest, "case-transfer.case.opened");
        await using var _1 = receiver;
        receiver.Receiver.Mode = ReceiverMode.Unavailable;
        var crn = await _scenario.CaseWithEventsAsync(0);
        for (var i = 0; i < 50 && receiver.Receiver.Attempts == 0; i++)
        {
            await app.RunWebhookPassAsync();
            await Task.Delay(50, Ct);
        }

        var delivery = await app.InDatabaseAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.SubscriptionId == Guid.Parse(id) && d.Crn == crn, Ct));
        Assert.Equal((1, 503), (delivery.Attempts, delivery.LastStatusCode));
        Assert.Equal(TimeSpan.FromSeconds(120), delivery.NextAttemptAt - delivery.LastAttemptAt!.Value);

        receiver.Receiver.Mode = ReceiverMode.Healthy;
        app.Clock.Set(delivery.LastAttemptAt.Value + TimeSpan.FromSeconds(100));
        await app.RunWebhookPassAsync();
        Assert.Empty(About(receiver, [crn]));
        app.Clock.Set(delivery.LastAttemptAt.Value + TimeSpan.FromSeconds(121));
        await app.RunWebhookPassAsync();
        Assert.Single(About(receiver, [crn]));
    }

    [Fact]
    public async Task During_a_secret_rotations_overlap_deliveries_carry_signatures_by_both_secrets()
    {
        var (id, oldSecret, receiver) = await _scenario.SubscribedReceiverAsync(NpsNorthWest);
        await using var _1 = receiver;
        var admin = _scenario.Admin(NpsNorthWest);

        var rotation = await admin.PostAsync($"/api/v1/subscriptions/{id}/rotate-secret", null, Ct);
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var rotated = await rotation.ReadJsonAsync();
        var newSecret = rotated["secret"]!.GetValue<string>();
        Assert.NotEqual(oldSecret, newSecret);
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotNull(rotated["previousSecretValidUntil"]);
        var crn = await _scenario.CaseWithEventsAsync(1);
        await _scenario.DispatchUntilAsync(() => About(receiver, [crn]).Count > 0);

        // The receiver still holds only the old secret and accepts; one that holds only the new one would too.
        var during = About(receiver, [crn])[0];
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.True(Verifies(during, oldSecret));
        Assert.True(Verifies(during, newSecret));

        // After the overlap only the new secret signs.
        receiver.Receiver.Signatures = new SignatureCheck([newSecret]);
        app.Clock.Set(app.Clock.GetUtcNow() + TimeSpan.FromHours(25));
        var later = await _scenario.CaseWithEventsAsync(1);
        await _scenario.DispatchUntilAsync(() => About(receiver, [later]).Count > 0);
        var after = About(receiver, [later])[0];
        Assert.Single(after.Signature.Split(' '));
        Assert.True(Verifies(after, newSecret));
        Assert.False(Verifies(after, oldSecret));
        Assert.Null((await (await admin.GetAsync($"/api/v1/subscriptions/{id}", Ct)).ReadJsonAsync())["previousSecretValidUntil"]);
    }

    /// <summary>Whether a receiver holding only <paramref name="secret"/> accepts the delivery (the sample's check, which uses the library).</summary>
    private static bool Verifies(ReceivedEvent received, string secret) =>
        new SignatureCheck([secret]).IsValid(received.Payload, new HeaderDictionary
        {
            ["webhook-id"] = received.WebhookId,
            ["webhook-timestamp"] = received.Timestamp,
            ["webhook-signature"] = received.Signature,
        });

    [Fact]
    public async Task Two_dispatchers_on_one_database_never_both_send_a_delivery()
    {
        var (_, _, receiver) = await _scenario.SubscribedReceiverAsync(NpsNorthWest);
        await using var _1 = receiver;
        await using var second = app.OnSameDatabase();
        var crns = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            crns.Add(await _scenario.CaseWithEventsAsync(2));
        }

        var expected = await _scenario.AudibleEventsAsync(NpsNorthWest, crns);
        for (var i = 0; i < 40 && About(receiver, crns).Count < expected.Count; i++)
        {
            await Task.WhenAll(app.RunWebhookPassAsync(), second.RunWebhookPassAsync(), app.RunWebhookPassAsync(), second.RunWebhookPassAsync());
        }

        var received = About(receiver, crns);
        Assert.Equal(expected.Count, received.Count);
        Assert.Equal(0, receiver.Receiver.Duplicates);
        Assert.Equal(receiver.Receiver.Received.Count, receiver.Receiver.Attempts);
        AssertInOrderPerCase(received, expected);
    }

    [Fact]
    public async Task A_subscription_needs_an_absolute_callback_address_and_event_types_and_an_administrator()
    {
        var admin = _scenario.Admin(NpsNorthWest);
        var bad = await admin.PostAsJsonAsync("/api/v1/subscriptions", new { callbackUrl = "/relative", eventTypes = Array.Empty<string>() }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var body = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("callbackUrl", body, StringComparison.Ordinal);
        Assert.Contains("eventTypes", body, StringComparison.Ordinal);
        var notAdmin = await _scenario.NpsAllocator().PostAsJsonAsync("/api/v1/subscriptions", new { callbackUrl = "https://example.org/hooks", eventTypes = new[] { "*" } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }
}

public sealed class WebhookDeliveryTestsOnSqlite(SqliteWebhookApp app) : WebhookDeliveryTests(app), IClassFixture<SqliteWebhookApp>;

public sealed class WebhookDeliveryTestsOnPostgres(PostgresWebhookApp app) : WebhookDeliveryTests(app), IClassFixture<PostgresWebhookApp>;
