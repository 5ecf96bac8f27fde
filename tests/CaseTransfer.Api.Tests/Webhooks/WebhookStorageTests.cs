using System.Net;
using System.Net.Http.Json;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Webhooks;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Webhooks;

/// <summary>
/// What webhooks leave in the database: no subscription secret in clear anywhere, not even in the stored answer an
/// Idempotency-Key replays (which still shows the secret, once more, to the caller who asked); and delivered rows
/// removed after the retention period while dead letters stay. Runs once per engine.
/// </summary>
public abstract class WebhookStorageTests(WebhookApp app)
{
    private readonly WebhookScenario _scenario = new(app);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string key)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Every text the database holds about idempotent answers and subscriptions, to search for a secret.</summary>
    private Task<List<string>> StoredTextsAsync() => app.InDatabaseAsync(async db =>
    {
        var texts = await db.IdempotencyRecords.AsNoTracking().Select(r => r.ResponseJson ?? "").ToListAsync(Ct);
        texts.AddRange(await db.WebhookSubscriptions.AsNoTracking().Select(s => s.ProtectedSecret + " " + (s.ProtectedPreviousSecret ?? "") + " " + (s.Description ?? "")).ToListAsync(Ct));
        texts.AddRange(await db.AuditEntries.AsNoTracking().Select(e => e.Summary ?? "").ToListAsync(Ct));
        return texts;
    });

    [Fact]
    public async Task A_subscription_secret_is_never_stored_in_clear_yet_an_idempotent_replay_shows_it_again()
    {
        var admin = _scenario.Admin(NpsNorthWest);
        var key = $"subscribe-{Guid.NewGuid():N}";
        var body = new { callbackUrl = "https://partner.example/hooks", eventTypes = new[] { "*" }, description = "idempotent" };

        var (status, created) = await SendAsync(admin, HttpMethod.Post, "/api/v1/subscriptions", body, key);
        Assert.Equal(HttpStatusCode.Created, status);
        var secret = System.Text.Json.JsonDocument.Parse(created).RootElement.GetProperty("secret").GetString()!;
        var id = System.Text.Json.JsonDocument.Parse(created).RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith(WebhookSecrets.Prefix, secret, StringComparison.Ordinal);

        // In the database: the stored answer is there, encrypted; the secret nowhere in clear.
        var stored = await app.InDatabaseAsync(db => db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == key).Select(r => r.ResponseJson).SingleAsync(Ct));
        Assert.StartsWith(StoredResponses.ProtectedPrefix, stored, StringComparison.Ordinal);
        var texts = await StoredTextsAsync();
        Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains(secret[WebhookSecrets.Prefix.Length..], StringComparison.Ordinal));

        // The replay answers as the first time did, secret included.
        var (replayStatus, replayed) = await SendAsync(admin, HttpMethod.Post, "/api/v1/subscriptions", body, key);
        Assert.Equal(HttpStatusCode.Created, replayStatus);
        Assert.Equal(secret, System.Text.Json.JsonDocument.Parse(replayed).RootElement.GetProperty("secret").GetString());
        Assert.Equal(id, System.Text.Json.JsonDocument.Parse(replayed).RootElement.GetProperty("id").GetString());

        // Rotation likewise: the new secret is nowhere in clear, and its replay shows it.
        var rotateKey = $"rotate-{Guid.NewGuid():N}";
        var (rotated, rotation) = await SendAsync(admin, HttpMethod.Post, $"/api/v1/subscriptions/{id}/rotate-secret", null, rotateKey);
        Assert.Equal(HttpStatusCode.OK, rotated);
        var newSecret = System.Text.Json.JsonDocument.Parse(rotation).RootElement.GetProperty("secret").GetString()!;
        texts = await StoredTextsAsync();
        Assert.DoesNotContain(texts, t => t.Contains(newSecret, StringComparison.Ordinal) || t.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains(newSecret[WebhookSecrets.Prefix.Length..], StringComparison.Ordinal));
        var (_, rotationReplay) = await SendAsync(admin, HttpMethod.Post, $"/api/v1/subscriptions/{id}/rotate-secret", null, rotateKey);
        Assert.Equal(newSecret, System.Text.Json.JsonDocument.Parse(rotationReplay).RootElement.GetProperty("secret").GetString());

        // An answer without a secret is stored as it is.
        var disableKey = $"disable-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, $"/api/v1/subscriptions/{id}/disable", null, disableKey)).Status);
        var plain = await app.InDatabaseAsync(db => db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == disableKey).Select(r => r.ResponseJson).SingleAsync(Ct));
        Assert.StartsWith("{", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivered_rows_are_removed_after_the_retention_period_and_dead_letters_are_kept()
    {
        var (id, _, receiver) = await _scenario.SubscribedReceiverAsync(NpsNorthWest);
        await using var _1 = receiver;
        var subscription = Guid.Parse(id);
        var crns = new[] { await _scenario.CaseWithEventsAsync(1), await _scenario.CaseWithEventsAsync(1) };
        var expected = await _scenario.AudibleEventsAsync(NpsNorthWest, crns);
        await _scenario.DispatchUntilAsync(() => receiver.Receiver.Received.Count(r => r.Crn is not null && crns.Contains(r.Crn)) >= expected.Count);

        Task<List<WebhookDelivery>> RowsAsync() => app.InDatabaseAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscription).ToListAsync(Ct));
        var rows = await RowsAsync();
        Assert.Equal(expected.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(WebhookDeliveryState.Delivered, r.State));

        // One of them stands for a dead letter (as after the whole schedule): it must outlive the retention.
        var deadId = rows[0].Id;
        var deliveredAt = rows.Max(r => r.DeliveredAt!.Value);
        await app.InDatabaseAsync(db => db.WebhookDeliveries.Where(d => d.Id == deadId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, WebhookDeliveryState.DeadLettered).SetProperty(d => d.DeadLetteredAt, d => d.DeliveredAt)
            .SetProperty(d => d.DeliveredAt, (DateTimeOffset?)null), Ct));

        // Within the retention (7 days by default) a pass keeps them all.
        app.Clock.Set(deliveredAt + TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await app.RunWebhookPassAsync();
        Assert.Equal(expected.Count, (await RowsAsync()).Count);

        // After it, the delivered go; the dead letter stays, and is still listed.
        app.Clock.Set(deliveredAt + TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await app.RunWebhookPassAsync();
        var left = await RowsAsync();
        Assert.Equal([deadId], left.Select(r => r.Id));
        var failures = await (await _scenario.Admin(NpsNorthWest).GetAsync($"/api/v1/subscriptions/{id}/failures", Ct)).ReadJsonAsync();
        Assert.Single(failures["items"]!.AsArray());

        // Redelivered, it is sent and delivered again, and then it too goes after the retention.
        (await _scenario.Admin(NpsNorthWest).PostAsJsonAsync($"/api/v1/subscriptions/{id}/redeliver", new { deliveryIds = new[] { deadId } }, Ct)).EnsureSuccessStatusCode();
        var before = receiver.Receiver.Attempts;
        await _scenario.DispatchUntilAsync(() => receiver.Receiver.Attempts > before);
        Assert.Equal(WebhookDeliveryState.Delivered, (await RowsAsync()).Single().State);
        app.Clock.Set(app.Clock.GetUtcNow() + TimeSpan.FromDays(8));
        await app.RunWebhookPassAsync();
        Assert.Empty(await RowsAsync());
    }
}

public sealed class WebhookStorageTestsOnSqlite(SqliteWebhookApp app) : WebhookStorageTests(app), IClassFixture<SqliteWebhookApp>;

public sealed class WebhookStorageTestsOnPostgres(PostgresWebhookApp app) : WebhookStorageTests(app), IClassFixture<PostgresWebhookApp>;
