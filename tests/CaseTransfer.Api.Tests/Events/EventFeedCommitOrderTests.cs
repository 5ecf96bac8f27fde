using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Events;

/// <summary>
/// On PostgreSQL transactions commit in their own order, not in the order they took their positions: the feed must
/// still have no gaps, and keep a case's events in the order the case saw them. Transactions are held open on their
/// own connections, as a slow command's would be. (SQLite has one writer, so there commit order is insert order.)
/// </summary>
public sealed class EventFeedCommitOrderTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Partner() => app.ClientFor(NpsNorthWest, "nw-partner", Roles.PartnerSystem);

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    /// <summary>Begins a transaction that stores an event about <paramref name="crn"/> for NPS North West, and leaves it open.</summary>
    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction, Guid Id)> HoldEventAsync(string crn, bool insertNow = true)
    {
        var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        var id = Guid.CreateVersion7();
        if (insertNow)
        {
            await InsertEventAsync(connection, transaction, id, crn);
        }

        return (connection, transaction, id);
    }

    internal static async Task InsertEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string crn)
    {
        var payload = new JsonObject
        {
            ["eventType"] = "case-transfer.case.held-open",
            ["version"] = 1,
            ["occurredAt"] = "2026-12-07T12:00:00Z",
            ["description"] = "An event whose transaction was held open",
            ["detailUrl"] = $"/api/v1/cases/{crn}",
            ["personReference"] = new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "CRN", ["value"] = crn }) },
            ["additionalInformation"] = new JsonObject(),
        };
        await using var insert = new NpgsqlCommand("""
            INSERT INTO "OutboxMessages" ("Id", "EventType", "OccurredAt", "Crn", "Payload", "Audience")
            VALUES (@id, 'case-transfer.case.held-open', now(), @crn, @payload, '|NPS|NPS-NW|')
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("crn", crn);
        insert.Parameters.AddWithValue("payload", payload.ToJsonString());
        await insert.ExecuteNonQueryAsync(Ct);
    }

    private Task<(List<JsonObject> Items, string? Cursor)> ReadUntilAsync(string? after, Func<List<JsonObject>, bool> until) =>
        EventFeedTests.ReadUntilAsync(Partner(), after, until);

    private static List<string> Ids(IEnumerable<JsonObject> items) => [.. items.Select(i => i["id"]!.GetValue<string>())];

    [Fact]
    public async Task A_transaction_that_commits_late_still_reaches_a_reader_that_moved_on()
    {
        var nps = NpsAllocator();
        var (_, start) = await EventFeedTests.ReadToEndAsync(Partner(), null);
        var heldCrn = await CreateCaseAsync(nps);
        var (connection, transaction, held) = await HoldEventAsync(heldCrn);
        await using var _ = connection;

        // A later event commits through the API while the held one is still open, and the reader reads to the end.
        var laterCrn = await CreateCaseAsync(nps);
        var (beforeCommit, cursor) = await EventFeedTests.ReadToEndAsync(Partner(), start);
        Assert.DoesNotContain(held.ToString(), Ids(beforeCommit));
        var opened = await app.InDatabaseAsync(db => db.OutboxMessages.Where(o => o.Crn == laterCrn).Select(o => o.Id).SingleAsync(Ct));
        await transaction.CommitAsync(Ct);

        var (afterCommit, _) = await ReadUntilAsync(cursor, items => Ids(items).Contains(opened.ToString()));

        // The held event is read after the commit, from the cursor the reader had already moved on to, and before the
        // later event, which the feed kept back while the held transaction was open.
        var ids = Ids(afterCommit);
        Assert.Contains(held.ToString(), ids);
        Assert.True(ids.IndexOf(held.ToString()) < ids.IndexOf(opened.ToString()), "the held event comes first");
        Assert.DoesNotContain(opened.ToString(), Ids(beforeCommit));
        Assert.Empty(Ids(beforeCommit).Intersect(ids));
    }

    [Fact]
    public async Task A_case_s_events_keep_the_order_the_case_saw_them_when_the_earlier_transaction_commits_last()
    {
        var nps = NpsAllocator();
        var crn = await CreateCaseAsync(nps);
        var (_, start) = await EventFeedTests.ReadToEndAsync(Partner(), null);

        // The first transaction takes its id, then waits; a second changes the case and commits; only then does the
        // first store its event about the case, having seen the second's: its event must follow the second's.
        var (firstConnection, first, firstId) = await HoldEventAsync(crn, insertNow: false);
        await using var _ = firstConnection;
        await using (var takeId = new NpgsqlCommand("SELECT pg_current_xact_id()", firstConnection, first))
        {
            await takeId.ExecuteScalarAsync(Ct);
        }

        var (secondConnection, second, secondId) = await HoldEventAsync(crn);
        await using var __ = secondConnection;
        await second.CommitAsync(Ct);
        await InsertEventAsync(firstConnection, first, firstId, crn);
        await first.CommitAsync(Ct);

        var (read, _) = await ReadUntilAsync(start, items => Ids(items).Contains(firstId.ToString()));
        var ids = Ids(read);
        Assert.True(ids.IndexOf(secondId.ToString()) >= 0 && ids.IndexOf(secondId.ToString()) < ids.IndexOf(firstId.ToString()),
            $"the case's events in the order it saw them: {string.Join(", ", ids)}");
    }
}
