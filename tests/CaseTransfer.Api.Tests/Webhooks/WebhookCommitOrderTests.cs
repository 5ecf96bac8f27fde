using CaseTransfer.Api.Tests.Events;
using CaseTransfer.Api.Tests.Infrastructure;
using Npgsql;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Webhooks;

/// <summary>
/// On PostgreSQL a transaction may commit long after later ones: its event still reaches the subscriber, because
/// fan-out reads the outbox as the events feed does, never moving its mark past a transaction still running.
/// </summary>
public sealed class WebhookCommitOrderTests(PostgresWebhookApp app) : IClassFixture<PostgresWebhookApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_whose_transaction_commits_late_still_reaches_the_subscriber()
    {
        var scenario = new WebhookScenario(app);
        var (_, _, receiver) = await scenario.SubscribedReceiverAsync(NpsNorthWest);
        await using var _ = receiver;
        var heldCrn = await CreateCaseAsync(scenario.NpsAllocator());

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        var held = Guid.CreateVersion7();
        await EventFeedCommitOrderTests.InsertEventAsync(connection, transaction, held, heldCrn);

        // Later events commit and passes run (in real time, well past any wait for a hole) while the held one is open.
        var laterCrn = await scenario.CaseWithEventsAsync(1);
        for (var i = 0; i < 5; i++)
        {
            await app.RunWebhookPassAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }

        Assert.DoesNotContain(receiver.Receiver.Received, r => r.WebhookId == held.ToString());
        await transaction.CommitAsync(Ct);

        await scenario.DispatchUntilAsync(() => receiver.Receiver.Received.Any(r => r.WebhookId == held.ToString())
            && receiver.Receiver.Received.Any(r => r.Crn == laterCrn));
        Assert.Contains(receiver.Receiver.Received, r => r.WebhookId == held.ToString());
        Assert.Equal(0, receiver.Receiver.Duplicates);
    }
}
