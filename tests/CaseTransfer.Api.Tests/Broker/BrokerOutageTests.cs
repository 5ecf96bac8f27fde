using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Broker;

/// <summary>
/// The broker stopped while the publisher runs, and started again on the same data: the service goes on serving,
/// readiness says Degraded then Healthy, events made meanwhile wait in the outbox, and every event arrives at least
/// once, in order per case by first arrival, once the consumer drops what it has seen (by message id). A node of the
/// class's own, so no other test loses its broker. Runs once per engine.
/// </summary>
public abstract class BrokerOutageTests(BrokerApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_broker_stopped_mid_run_and_started_again_loses_no_event()
    {
        app.RequireBroker();
        var queue = await BrokerQueue.BindAsync(app);
        var queueName = queue.Name;
        var crns = new List<string>();

        // The publisher runs throughout, as the background service would (passes of 4 events), failing while the
        // broker is away.
        using var stop = new CancellationTokenSource();
        var failedPasses = 0;
        var publisher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await app.RunBrokerPassAsync();
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failedPasses);
                }

                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        for (var i = 0; i < 4; i++)
        {
            crns.Add(await app.CaseWithEventsAsync(2));
        }

        Assert.Equal("Healthy", await app.ReadinessAsync());
        await queue.CloseAsync();
        await Task.Run(app.Node.Stop, Ct);

        // Without the broker: commands are served, readiness is Degraded (200: the instance still serves), and events wait.
        for (var i = 0; i < 3; i++)
        {
            crns.Add(await app.CaseWithEventsAsync(2));
        }

        var ready = await app.AnonymousClient().GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync(Ct));
        await Task.Delay(500, Ct);
        Assert.True(failedPasses > 0, "passes fail while the broker is away");
        Assert.Contains(await app.EventsAboutAsync(crns), e => !e.Published);

        await Task.Run(app.Node.StartAgain, Ct);
        crns.Add(await app.CaseWithEventsAsync(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await app.EventsAboutAsync(crns)).Any(e => !e.Published) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        await stop.CancelAsync();
        await publisher;
        Assert.Equal("Healthy", await app.ReadinessAsync());

        var expected = await app.EventsAboutAsync(crns);
        Assert.All(expected, e => Assert.True(e.Published));
        await using var reopened = await BrokerQueue.ReopenAsync(app, queueName);
        var received = (await reopened.DrainAsync()).Where(r => r.Crn is not null && crns.Contains(r.Crn)).ToList();
        Assert.Equal(expected.Select(e => e.Id).Order(), received.Select(r => r.MessageId).Distinct().Order());
        BrokerPublishingTests.AssertInOrderPerCase(received, expected);
    }
}

public sealed class SqliteBrokerOutageTests(SqliteOutageBrokerApp app) : BrokerOutageTests(app), IClassFixture<SqliteOutageBrokerApp>;

public sealed class PostgresBrokerOutageTests(PostgresOutageBrokerApp app) : BrokerOutageTests(app), IClassFixture<PostgresOutageBrokerApp>;

/// <summary>
/// Two instances of the service on one PostgreSQL database, both publishing while commands make events: each event is
/// published by one of them only (claims with SKIP LOCKED), and each case's events arrive in order.
/// </summary>
public sealed class TwoPublishersTests(PostgresTwoPublishersApp app) : IClassFixture<PostgresTwoPublishersApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_on_one_database_never_both_publish_an_event_and_keep_each_cases_order()
    {
        app.RequireBroker();
        await using var second = new ConfiguredApp(app, app.BrokerSettings);
        await app.PublishAllAsync();
        await using var queue = await BrokerQueue.BindAsync(app);
        var crns = new List<string>();
        var done = false;
        var published = new int[2];
        var heldBack = new int[2];

        // Each instance publishes until the commands are done and every event about their cases is published. An empty
        // pass alone does not say that: on PostgreSQL a pass sees only what committed below the oldest transaction still
        // running, and the other instance may hold a claim. The deadline only stops a broken publisher looping forever.
        var deadline = Stopwatch.StartNew();
        async Task RunAsync(int index, Func<Task<CaseTransfer.Application.Broker.BrokerPassResult>> pass)
        {
            while (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                var finished = Volatile.Read(ref done);
                var result = await pass();
                published[index] += result.Published;
                heldBack[index] += result.HeldBack;
                if (finished && result.Claimed == 0 && result.HeldBack == 0 && (await app.EventsAboutAsync(crns)).All(e => e.Published))
                {
                    return;
                }
            }
        }

        var first = Task.Run(() => RunAsync(0, app.RunBrokerPassAsync), Ct);
        var other = Task.Run(() => RunAsync(1, async () =>
        {
            await using var scope = second.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Broker.OutboxPublisher>().RunAsync(Ct);
        }), Ct);

        // Commands on both instances, while both publish.
        for (var i = 0; i < 8; i++)
        {
            crns.Add(await app.CaseWithEventsAsync(2));
            var nps = second.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);
            var crn = await CreateCaseAsync(nps);
            (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), Ct)).EnsureSuccessStatusCode();
            crns.Add(crn);
        }

        Volatile.Write(ref done, true);
        await Task.WhenAll(first, other);

        var expected = await app.EventsAboutAsync(crns);
        Assert.All(expected, e => Assert.True(e.Published));
        var received = (await queue.DrainAsync()).Where(r => r.Crn is not null && crns.Contains(r.Crn)).ToList();
        Assert.Equal(expected.Select(e => e.Id).Order(), received.Select(r => r.MessageId).Order());
        Assert.Equal(received.Count, received.Select(r => r.MessageId).Distinct().Count());
        BrokerPublishingTests.AssertInOrderPerCase(received, expected);
        TestContext.Current.TestOutputHelper?.WriteLine($"published by the first instance {published[0]}, by the second {published[1]}; held back for order {heldBack[0]} / {heldBack[1]}");
    }
}
