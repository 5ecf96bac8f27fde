// The attacker's SQL below is built from test constants and database-assigned numbers, never from input.
#pragma warning disable EF1002, EF1003

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Auditing;

/// <summary>
/// Someone with full rights on the database (who can switch the append-only triggers off) rewrites history in each
/// way the issue names; verification finds every one, and a checkpoint an organisation kept catches even a rewrite
/// with every hash recomputed and re-signed. Each scenario gets a fresh database.
/// </summary>
public abstract class LedgerTamperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract CaseTransferApp NewApp();

    /// <summary>Runs SQL as a database administrator would, with the append-only triggers out of the way.</summary>
    protected abstract Task TamperAsync(CaseTransferApp app, string sql);

    [Fact]
    public async Task Changing_one_entrys_content_is_found()
    {
        await using var app = await LoggedAsync();
        var target = await SequenceAtLeafAsync(app, 2);

        await TamperAsync(app, $"""UPDATE "AuditEntries" SET "ActorUserId" = 'someone-else' WHERE "Sequence" = {target}""");

        var problems = await ProblemsAsync(app);
        Assert.Contains(problems, p => p.Kind == "entry-changed" && p.Sequence == target);
    }

    [Fact]
    public async Task Changing_an_entry_to_a_value_the_service_would_never_write_is_found()
    {
        await using var app = await LoggedAsync();
        var target = await SequenceAtLeafAsync(app, 2);

        await TamperAsync(app, $"""UPDATE "AuditEntries" SET "Crn" = 'x12', "Operation" = 'Nothing' WHERE "Sequence" = {target}""");

        var problems = await ProblemsAsync(app);
        Assert.Contains(problems, p => p.Kind == "entry-changed" && p.Sequence == target);
    }

    [Fact]
    public async Task Deleting_one_entry_is_found()
    {
        await using var app = await LoggedAsync();
        var target = await SequenceAtLeafAsync(app, 1);

        await TamperAsync(app, $"""DELETE FROM "AuditEntries" WHERE "Sequence" = {target}""");

        Assert.Contains(await ProblemsAsync(app), p => p.Kind == "missing-entry" && p.Sequence == target);
    }

    [Fact]
    public async Task Deleting_one_leaf_is_found()
    {
        await using var app = await LoggedAsync();

        await TamperAsync(app, """DELETE FROM "AuditLeaves" WHERE "LeafIndex" = 1""");

        var problems = await ProblemsAsync(app);
        Assert.Contains(problems, p => p.Kind == "missing-leaf" && p.LeafIndex == 1);
        Assert.Contains(problems, p => p.Kind == "checkpoint-mismatch");
    }

    [Fact]
    public async Task Inserting_an_entry_after_the_fact_is_found()
    {
        await using var app = await LoggedAsync();
        var backdated = DateTimeOffset.UtcNow.AddDays(-1);

        await app.InDatabaseAsync(async db =>
        {
            db.AuditEntries.Add(new AuditEntry(
                Guid.CreateVersion7(backdated), backdated, AuditOperation.Alteration, "AssignResponsibleOfficer", "nw-po-02", "Gareth Evans",
                NpsNorthWest, "case-transfer-cli", "00000000000000000000000000000000", null, "case", null, null, "responsibleOfficer"));
            return await db.SaveChangesAsync(Ct);
        });
        await app.IntegrateLedgerAsync();

        Assert.Contains(await ProblemsAsync(app), p => p.Kind == "late-entry");
    }

    [Fact]
    public async Task Reordering_two_entries_is_found()
    {
        await using var app = await LoggedAsync();
        var first = await SequenceAtLeafAsync(app, 1);
        var second = await SequenceAtLeafAsync(app, 3);

        await TamperAsync(app, $"""
            UPDATE "AuditLeaves" SET "EntrySequence" = -1 WHERE "LeafIndex" = 1;
            UPDATE "AuditLeaves" SET "EntrySequence" = {first} WHERE "LeafIndex" = 3;
            UPDATE "AuditLeaves" SET "EntrySequence" = {second} WHERE "LeafIndex" = 1;
            """);

        var changed = (await ProblemsAsync(app)).Where(p => p.Kind == "entry-changed").Select(p => p.LeafIndex).ToHashSet();
        Assert.Equal([1L, 3L], changed.Order());
    }

    [Fact]
    public async Task Rewriting_the_tail_with_recomputed_hashes_is_caught_by_a_kept_checkpoint()
    {
        await using var app = await LoggedAsync();
        var auditor = app.ClientFor(Nps, "nps-aud-01", Roles.Auditor);
        var kept = (await auditor.GetFromJsonAsync<JsonArray>("/api/v1/audit/checkpoints", Ct))![0]!;
        var keptSize = kept["treeSize"]!.GetValue<long>();
        var keptRoot = Convert.FromBase64String(kept["rootHash"]!.GetValue<string>());
        var target = await SequenceAtLeafAsync(app, keptSize - 2);

        // Change history, then rebuild every leaf, node and checkpoint from it, signed with the service's own key.
        await TamperAsync(app, $"""
            UPDATE "AuditEntries" SET "Summary" = 'nothing happened' WHERE "Sequence" = {target};
            DELETE FROM "AuditCheckpoints";
            DELETE FROM "AuditTreeNodes";
            DELETE FROM "AuditLeaves";
            """);
        await CreateCaseAsync(app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator));
        var newSize = await app.IntegrateLedgerAsync();

        var withoutKept = await VerifyAsync(app);
        var withKept = await VerifyAsync(app, kept["note"]!.GetValue<string>());
        var consistency = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/consistency?from={keptSize}&to={newSize}", Ct))!;

        Assert.True(withoutKept["intact"]!.GetValue<bool>(), "the rewrite is self-consistent, as a careful attacker would make it");
        Assert.Contains(Problems(withKept), p => p.Kind == "checkpoint-mismatch");
        Assert.False(MerkleTree.VerifyConsistency(
            keptSize,
            newSize,
            keptRoot,
            Convert.FromBase64String(consistency["toRootHash"]!.GetValue<string>()),
            [.. consistency["proof"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>()))]));
    }

    /// <summary>A fresh service with a few cases opened and read, all integrated under a signed checkpoint.</summary>
    private async Task<CaseTransferApp> LoggedAsync()
    {
        var app = NewApp();
        await app.InitializeAsync();
        var client = app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);
        for (var i = 0; i < 3; i++)
        {
            var crn = await CreateCaseAsync(client);
            (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).EnsureSuccessStatusCode();
        }

        await app.IntegrateLedgerAsync();
        var before = await VerifyAsync(app);
        Assert.True(before["intact"]!.GetValue<bool>(), before.ToJsonString());
        return app;
    }

    private static Task<long> SequenceAtLeafAsync(CaseTransferApp app, long leafIndex) =>
        app.InDatabaseAsync(db => db.AuditLeaves.Where(l => l.LeafIndex == leafIndex).Select(l => l.EntrySequence).SingleAsync(Ct));

    private static async Task<JsonObject> VerifyAsync(CaseTransferApp app, params string[] kept)
    {
        var response = await app.ClientFor(Nps, "nps-aud-01", Roles.Auditor)
            .PostAsJsonAsync("/api/v1/audit/verify", new JsonObject { ["keptCheckpoints"] = new JsonArray([.. kept.Select(k => JsonValue.Create(k))]) }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    private static async Task<List<(string Kind, long? LeafIndex, long? Sequence)>> ProblemsAsync(CaseTransferApp app)
    {
        var report = await VerifyAsync(app);
        Assert.False(report["intact"]!.GetValue<bool>(), "tampering went unnoticed");
        return Problems(report);
    }

    private static List<(string Kind, long? LeafIndex, long? Sequence)> Problems(JsonObject report) =>
        [.. report["problems"]!.AsArray().Select(p => (
            p!["kind"]!.GetValue<string>(),
            p["leafIndex"]?.GetValue<long?>(),
            p["entrySequence"]?.GetValue<long?>()))];
}

public sealed class LedgerTamperTestsOnSqlite : LedgerTamperTests
{
    private static readonly string[] Tables = ["AuditEntries", "AuditLeaves", "AuditTreeNodes", "AuditCheckpoints"];

    protected override CaseTransferApp NewApp() => new SqliteApp();

    protected override Task TamperAsync(CaseTransferApp app, string sql) => app.InDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(
        string.Concat(Tables.Select(t => $"""DROP TRIGGER IF EXISTS "{t}_no_update"; DROP TRIGGER IF EXISTS "{t}_no_delete"; """)) + sql,
        TestContext.Current.CancellationToken));
}

public sealed class LedgerTamperTestsOnPostgres : LedgerTamperTests
{
    protected override CaseTransferApp NewApp()
    {
        PostgresCluster.RequireOrSkip();
        return new PostgresApp();
    }

    // A superuser can set the session to replica mode, which skips ordinary triggers; the test cluster's user is one.
    protected override Task TamperAsync(CaseTransferApp app, string sql) => app.InDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(
        $"SET session_replication_role = replica; {sql}; SET session_replication_role = DEFAULT;", TestContext.Current.CancellationToken));
}
