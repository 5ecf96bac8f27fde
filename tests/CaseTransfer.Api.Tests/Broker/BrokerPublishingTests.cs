using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Infrastructure.Broker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace CaseTransfer.Api.Tests.Broker;

/// <summary>
/// Every stored event reaches the broker: on a queue bound to the exchange, with the event type as routing key,
/// persistent, as the envelope partners get from webhooks, with its audience in headers and no CRN outside the
/// envelope, in order per case; an event is marked published only once the broker confirmed it, and one the broker
/// refuses waits for the next pass with its case's later events behind it. Runs once per engine, on the shared node.
/// </summary>
public abstract class BrokerPublishingTests(BrokerApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static void AssertInOrderPerCase(IEnumerable<ReceivedMessage> received, IReadOnlyList<(string Id, string Crn, string EventType, bool Published)> expected)
    {
        foreach (var @case in expected.GroupBy(e => e.Crn))
        {
            var firstArrivals = received.Where(r => r.Crn == @case.Key).Select(r => r.MessageId).Distinct().ToList();
            Assert.Equal(@case.Select(e => e.Id), firstArrivals);
        }
    }

    [Fact]
    public async Task Events_of_real_commands_arrive_on_a_bound_queue_by_event_type_persistent_and_in_order_per_case()
    {
        app.RequireBroker();
        await app.PublishAllAsync();
        await using var all = await BrokerQueue.BindAsync(app);
        await using var assessments = await BrokerQueue.BindAsync(app, "case-transfer.risk-assessment.*");
        var crns = new[] { await app.CaseWithEventsAsync(), await app.CaseWithEventsAsync(1) };
        await app.AllocateToTheProviderAsync(crns[1]);
        var expected = await app.EventsAboutAsync(crns);
        Assert.DoesNotContain(expected, e => e.Published);

        await app.PublishAllAsync();

        var received = (await all.DrainAsync()).Where(r => r.Crn is not null && crns.Contains(r.Crn)).ToList();
        Assert.Equal(expected.Select(e => e.Id).Order(), received.Select(r => r.MessageId).Order());
        AssertInOrderPerCase(received, expected);
        Assert.Contains(received, r => r.RoutingKey == "case-transfer.allocation.accepted");
        foreach (var message in received)
        {
            var stored = expected.Single(e => e.Id == message.MessageId);
            Assert.Equal(stored.EventType, message.RoutingKey);
            Assert.Equal(stored.EventType, message.Properties.Type);
            Assert.Equal(DeliveryModes.Persistent, message.Properties.DeliveryMode);
            Assert.Equal("application/json", message.Properties.ContentType);
            Assert.Equal(stored.EventType, message.Envelope["eventType"]!.GetValue<string>());
            Assert.Equal($"https://case-transfer.example/api/v1/cases/{stored.Crn}", message.Envelope["detailUrl"]!.GetValue<string>());

            // Who may hear of it, for a consumer to filter on; the CRN nowhere but in the envelope.
            var audience = message.Header(RabbitMqPublisher.AudienceHeader)!.Split(',');
            Assert.All(audience, code => Assert.Equal("True", message.Header(RabbitMqPublisher.AudienceHeaderPrefix + code)));
            if (stored.Crn == crns[0])
            {
                Assert.Contains(TestData.NpsNorthWest, audience);
            }

            Assert.DoesNotContain(stored.Crn, message.RoutingKey, StringComparison.Ordinal);
            Assert.All(message.Properties.Headers!, h => Assert.DoesNotContain(stored.Crn, message.Header(h.Key) ?? "", StringComparison.Ordinal));
        }

        // The provider is in the audience of the events once it took the case.
        var afterTransfer = received.Last(r => r.Crn == crns[1]).Header(RabbitMqPublisher.AudienceHeader)!.Split(',');
        Assert.Contains(TestData.CrcGreaterManchester, afterTransfer);

        // A topic binding takes only its events.
        var onlyAssessments = (await assessments.DrainAsync()).Where(r => r.Crn is not null && crns.Contains(r.Crn)).ToList();
        Assert.Equal(3, onlyAssessments.Count);
        Assert.All(onlyAssessments, r => Assert.Equal("case-transfer.risk-assessment.recorded", r.RoutingKey));

        Assert.All(await app.EventsAboutAsync(crns), e => Assert.True(e.Published));
        Assert.Empty(await all.DrainAsync());
    }

    [Fact]
    public async Task An_event_the_broker_refuses_stays_unpublished_and_its_cases_later_events_wait_behind_it()
    {
        app.RequireBroker();
        await app.PublishAllAsync();

        // A queue that holds one message and refuses more: the broker nacks what it cannot take.
        await using var full = await BrokerQueue.BindAsync(app, "#", new Dictionary<string, object?> { ["x-max-length"] = 1, ["x-overflow"] = "reject-publish" });
        var crn = await app.CaseWithEventsAsync(2);
        var expected = await app.EventsAboutAsync([crn]);
        Assert.True(expected.Count >= 3);

        var arrived = new List<ReceivedMessage>();
        for (var i = 0; i < expected.Count; i++)
        {
            var pass = await app.RunBrokerPassAsync();

            // The case's first unpublished event is taken by the queue and confirmed; the next is nacked, and the rest
            // of the case is not sent at all: it waits behind it.
            Assert.Equal(1, pass.Published);
            Assert.Equal(expected.Count - i - 1, pass.Unconfirmed);
            var now = await app.EventsAboutAsync([crn]);
            Assert.Equal(expected.Select((_, k) => k <= i), now.Select(e => e.Published));
            var taken = await full.DrainAsync();
            Assert.Single(taken);
            arrived.AddRange(taken);
        }

        Assert.Equal(0, (await app.RunBrokerPassAsync()).Claimed);
        Assert.Equal(expected.Select(e => e.Id), arrived.Select(r => r.MessageId));
        Assert.Equal(0, await app.InDatabaseAsync(db => Task.FromResult(db.OutboxMessages.Count(o => o.ClaimedBy != null))));
    }

    [Fact]
    public async Task Events_under_a_live_claim_wait_and_a_dead_publishers_lapsed_claim_is_published_again()
    {
        app.RequireBroker();
        await app.PublishAllAsync();
        await using var queue = await BrokerQueue.BindAsync(app);
        var crn = await app.CaseWithEventsAsync(1);
        var expected = await app.EventsAboutAsync([crn]);

        // Another publisher took them and died mid-batch: while its claim lasts they are its.
        Task<int> ClaimAsync(DateTimeOffset until) => app.InDatabaseAsync(db => db.OutboxMessages.Where(o => o.Crn == crn)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedBy, "dead-publisher").SetProperty(o => o.ClaimedUntil, until), Ct));
        Assert.Equal(expected.Count, await ClaimAsync(DateTimeOffset.UtcNow.AddMinutes(5)));
        await app.PublishAllAsync();
        Assert.DoesNotContain(await app.EventsAboutAsync([crn]), e => e.Published);
        Assert.DoesNotContain(await queue.DrainAsync(), r => r.Crn == crn);

        // Its claim lapses: the next pass publishes them, in order.
        await ClaimAsync(DateTimeOffset.UtcNow.AddSeconds(-1));
        await app.PublishAllAsync();
        Assert.All(await app.EventsAboutAsync([crn]), e => Assert.True(e.Published));
        Assert.Equal(expected.Select(e => e.Id), (await queue.DrainAsync()).Where(r => r.Crn == crn).Select(r => r.MessageId));
    }

    [Fact]
    public async Task The_readiness_check_reports_the_broker()
    {
        app.RequireBroker();
        Assert.Equal("Healthy", await app.ReadinessAsync());
    }
}

public sealed class SqliteBrokerPublishingTests(SqliteBrokerApp app) : BrokerPublishingTests(app), IClassFixture<SqliteBrokerApp>;

public sealed class PostgresBrokerPublishingTests(PostgresBrokerApp app) : BrokerPublishingTests(app), IClassFixture<PostgresBrokerApp>;

/// <summary>With no broker configured (the default) the service runs with nothing else: no publisher, no broker in readiness.</summary>
public sealed class NoBrokerTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Without_a_broker_configured_nothing_publishes_and_readiness_is_healthy()
    {
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Null(scope.ServiceProvider.GetService(typeof(CaseTransfer.Application.Broker.OutboxPublisher)));
        Assert.Equal("Healthy", await app.AnonymousClient().GetStringAsync("/health/ready", TestContext.Current.CancellationToken));
    }
}
