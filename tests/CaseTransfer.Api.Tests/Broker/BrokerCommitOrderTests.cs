using System.Net.Http.Json;
using CaseTransfer.Api.Tests.Events;
using Npgsql;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Broker;

/// <summary>
/// On PostgreSQL a transaction may commit long after later ones: its event is still published, and its case's later
/// event, committed meanwhile, waits behind it, because the publisher reads the outbox as the events feed does.
/// </summary>
public sealed class BrokerCommitOrderTests(PostgresBrokerApp app) : IClassFixture<PostgresBrokerApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_whose_transaction_commits_late_is_published_and_its_cases_later_event_waits_for_it()
    {
        app.RequireBroker();
        await using var queue = await BrokerQueue.BindAsync(app);
        var nps = app.NpsAllocator();
        var heldCrn = await CreateCaseAsync(nps);
        await app.PublishAllAsync();

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        var held = Guid.CreateVersion7();
        await EventFeedCommitOrderTests.InsertEventAsync(connection, transaction, held, heldCrn);

        // Later events commit, one of them about the held event's case, and passes run while the held one is open.
        var laterCrn = await app.CaseWithEventsAsync(1);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{heldCrn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            await app.RunBrokerPassAsync();
        }

        var before = await queue.DrainAsync();
        Assert.DoesNotContain(before, r => r.MessageId == held.ToString());
        Assert.DoesNotContain(before, r => r.Crn == heldCrn && r.RoutingKey == "case-transfer.risk-assessment.recorded");
        await transaction.CommitAsync(Ct);

        await app.PublishAllAsync();
        var after = (await queue.DrainAsync()).Where(r => r.Crn == heldCrn).Select(r => r.RoutingKey).ToList();
        Assert.Equal(["case-transfer.case.held-open", "case-transfer.risk-assessment.recorded"], after);
        Assert.All(await app.EventsAboutAsync([heldCrn, laterCrn]), e => Assert.True(e.Published));
    }
}
