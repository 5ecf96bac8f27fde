using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Auditing;

/// <summary>
/// The audit log proves itself: receipts verify offline, every leaf has an inclusion proof against a signed
/// checkpoint, old checkpoints are provably extended, the database refuses edits, and every kind of tampering by
/// someone who gets round that is found.
/// </summary>
public abstract class LedgerTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsStaff() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager, Roles.Auditor);

    [Fact]
    public async Task Every_write_carries_a_receipt_that_verifies_offline_with_the_published_key()
    {
        var client = NpsStaff();
        var body = NewCase(NewCrn());
        var key = Guid.NewGuid().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var replay = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(body.DeepClone()) };
        replay.Headers.Add("Idempotency-Key", key);

        var response = await client.SendAsync(request, Ct);
        var replayed = await client.SendAsync(replay, Ct);

        var token = response.Headers.GetValues("Audit-Receipt").Single();
        Assert.Equal(token, replayed.Headers.GetValues("Audit-Receipt").Single());
        var logKey = NoteVerifier.Parse((await client.GetFromJsonAsync<JsonObject>("/api/v1/audit/public-key", Ct))!["verifierKey"]!.GetValue<string>());
        var receipt = AuditReceipt.Parse(token);
        Assert.True(receipt.Verify(logKey));
        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Id == receipt.EntryId, Ct));
        Assert.Equal(AuditEntryEncoding.LeafHash(entry), receipt.LeafHash);
        var forged = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];
        Assert.False(AuditReceipt.TryParse(forged, out var parsed) && parsed!.Verify(logKey));
    }

    [Fact]
    public async Task A_refused_write_carries_no_receipt()
    {
        var response = await NpsStaff().PostAsJsonAsync("/api/v1/cases", new JsonObject { ["crn"] = "bad" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Audit-Receipt"));
    }

    [Fact]
    public async Task Every_leaf_has_an_inclusion_proof_against_the_signed_checkpoint()
    {
        var client = NpsStaff();
        var receipts = new List<AuditReceipt>();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/cases", NewCase(NewCrn()), Ct);
            receipts.Add(AuditReceipt.Parse(response.Headers.GetValues("Audit-Receipt").Single()));
        }

        var size = await app.IntegrateLedgerAsync();
        var key = NoteVerifier.Parse((await client.GetFromJsonAsync<JsonObject>("/api/v1/audit/public-key", Ct))!["verifierKey"]!.GetValue<string>());
        var latest = (await client.GetFromJsonAsync<JsonArray>("/api/v1/audit/checkpoints", Ct))![0]!;
        Assert.True(Checkpoint.TryOpen(latest["note"]!.GetValue<string>(), key, out var checkpoint));
        Assert.Equal(size, checkpoint!.TreeSize);

        var proven = new HashSet<Guid>();
        for (var index = 0L; index < size; index++)
        {
            var proof = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/audit/entries/{index}/proof?treeSize={size}", Ct))!;
            var leafHash = Convert.FromBase64String(proof["leafHash"]!.GetValue<string>());
            var path = proof["auditPath"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>())).ToList();
            Assert.True(MerkleTree.VerifyInclusion(index, size, leafHash, path, checkpoint.RootHash), $"leaf {index}");
            leafHash[0] ^= 1;
            Assert.False(MerkleTree.VerifyInclusion(index, size, leafHash, path, checkpoint.RootHash));
            var entryId = Guid.Parse(proof["entryId"]!.GetValue<string>());
            if (receipts.SingleOrDefault(r => r.EntryId == entryId) is { } receipt)
            {
                leafHash[0] ^= 1;
                Assert.Equal(receipt.LeafHash, leafHash);
                proven.Add(entryId);
            }
        }

        Assert.Equal(receipts.Select(r => r.EntryId).ToHashSet(), proven);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/audit/entries/{size}/proof", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_receipt_and_its_proof_verify_offline_with_only_the_public_key()
    {
        var client = NpsStaff();
        var token = (await client.PostAsJsonAsync("/api/v1/cases", NewCase(NewCrn()), Ct)).Headers.GetValues("Audit-Receipt").Single();
        var size = await app.IntegrateLedgerAsync();
        var entryId = AuditReceipt.Parse(token).EntryId;
        var index = await app.InDatabaseAsync(db => db.AuditLeaves
            .Join(db.AuditEntries, l => l.EntrySequence, e => e.Sequence, (l, e) => new { l.LeafIndex, e.Id })
            .Where(x => x.Id == entryId).Select(x => x.LeafIndex).SingleAsync(Ct));
        var key = (await client.GetFromJsonAsync<JsonObject>("/api/v1/audit/public-key", Ct))!["verifierKey"]!.GetValue<string>();
        var proofFile = Path.GetTempFileName();
        var checkpointFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(proofFile, await client.GetStringAsync($"/api/v1/audit/entries/{index}/proof?treeSize={size}", Ct), Ct);
        await File.WriteAllTextAsync(checkpointFile, (await client.GetFromJsonAsync<JsonArray>("/api/v1/audit/checkpoints", Ct))![0]!["note"]!.GetValue<string>(), Ct);
        try
        {
            var output = new StringWriter();
            var ok = CaseTransfer.Api.Hosting.OfflineVerification.Run(
                ["verify-receipt", "--receipt", token, "--public-key", key, "--proof", proofFile, "--checkpoint", checkpointFile], output);
            var tampered = CaseTransfer.Api.Hosting.OfflineVerification.Run(
                ["verify-receipt", "--receipt", token.Replace(".", ".A", StringComparison.Ordinal), "--public-key", key], new StringWriter());

            Assert.Equal(0, ok);
            Assert.Contains("the promise is kept", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, tampered);
        }
        finally
        {
            File.Delete(proofFile);
            File.Delete(checkpointFile);
        }
    }

    [Fact]
    public async Task A_kept_checkpoint_is_provably_extended_by_later_history()
    {
        var client = NpsStaff();
        await CreateCaseAsync(client);
        var oldSize = await app.IntegrateLedgerAsync();
        var kept = (await client.GetFromJsonAsync<JsonArray>("/api/v1/audit/checkpoints", Ct))![0]!;
        var oldRoot = Convert.FromBase64String(kept["rootHash"]!.GetValue<string>());
        await CreateCaseAsync(client);
        await CreateCaseAsync(client);
        var newSize = await app.IntegrateLedgerAsync();

        var proof = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/audit/consistency?from={oldSize}&to={newSize}", Ct))!;

        var nodes = proof["proof"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>())).ToList();
        var newRoot = Convert.FromBase64String(proof["toRootHash"]!.GetValue<string>());
        Assert.True(MerkleTree.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, nodes));
        var latest = (await client.GetFromJsonAsync<JsonArray>("/api/v1/audit/checkpoints", Ct))![0]!;
        Assert.Equal(Convert.ToBase64String(newRoot), latest["rootHash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_writers_and_integrators_make_one_tree_with_no_gaps()
    {
        var client = NpsStaff();
        var writes = Enumerable.Range(0, 12).Select(_ => client.PostAsJsonAsync("/api/v1/cases", NewCase(NewCrn()), Ct));
        var integrators = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                try
                {
                    await app.IntegrateLedgerAsync();
                }
                catch (DbUpdateException)
                {
                    // Lost the race for the next leaf index: exactly what the primary key is for.
                }
            }
        }, Ct));

        await Task.WhenAll([.. writes, .. integrators]);
        var size = await app.IntegrateLedgerAsync();

        var (entries, leaves, maxIndex) = await app.InDatabaseAsync(async db => (
            await db.AuditEntries.CountAsync(Ct), await db.AuditLeaves.CountAsync(Ct), await db.AuditLeaves.MaxAsync(l => l.LeafIndex, Ct)));
        Assert.Equal(entries, leaves);
        Assert.Equal(size, leaves);
        Assert.Equal(leaves - 1, maxIndex);
        var report = await VerifyAsync();
        Assert.True(report["intact"]!.GetValue<bool>(), report.ToJsonString());
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_audit_rows()
    {
        await CreateCaseAsync(NpsStaff());
        await app.IntegrateLedgerAsync();

        foreach (var sql in new[]
        {
            """UPDATE "AuditEntries" SET "Summary" = 'rewritten'""",
            """DELETE FROM "AuditEntries" """,
            """UPDATE "AuditLeaves" SET "LeafIndex" = "LeafIndex" + 1000""",
            """DELETE FROM "AuditCheckpoints" """,
        })
        {
            await Assert.ThrowsAnyAsync<Exception>(() => app.InDatabaseAsync(db => db.Database.ExecuteSqlRawAsync(sql, Ct)));
        }
    }

    [Fact]
    public async Task Verification_of_an_untouched_log_is_intact_and_needs_the_auditor_role()
    {
        await CreateCaseAsync(NpsStaff());
        await app.IntegrateLedgerAsync();

        var report = await VerifyAsync();

        Assert.True(report["intact"]!.GetValue<bool>(), report.ToJsonString());
        Assert.True(report["checkpointsChecked"]!.GetValue<int>() >= 1);
        var caseManager = app.ClientFor(NpsNorthWest, "nw-po-02", Roles.CaseManager);
        Assert.Equal(HttpStatusCode.Forbidden, (await caseManager.PostAsJsonAsync("/api/v1/audit/verify", new JsonObject(), Ct)).StatusCode);
    }

    [Fact]
    public async Task A_kept_checkpoint_with_an_extra_blank_line_is_reported_as_malformed_and_one_signed_by_another_key_as_not_verifying()
    {
        var client = NpsStaff();
        await CreateCaseAsync(client);
        await app.IntegrateLedgerAsync();
        var kept = (await client.GetFromJsonAsync<JsonArray>("/api/v1/audit/checkpoints", Ct))![0]!["note"]!.GetValue<string>();
        var origin = kept[..kept.IndexOf('\n', StringComparison.Ordinal)];
        using var stranger = NoteSigner.FromSeed(origin, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var report = await VerifyAsync(kept + "\n", new Checkpoint(origin, 1, MerkleTree.EmptyRootHash()).Sign(stranger));

        Assert.False(report["intact"]!.GetValue<bool>());
        var problems = report["problems"]!.AsArray().Select(p => (Kind: p!["kind"]!.GetValue<string>(), Detail: p["detail"]!.GetValue<string>())).ToList();
        Assert.Equal(["bad-checkpoint", "malformed-checkpoint"], problems.Select(p => p.Kind).Order());
        Assert.Contains("extra newline after its last signature line", problems.Single(p => p.Kind == "malformed-checkpoint").Detail, StringComparison.Ordinal);
        Assert.Contains("does not verify with this log's key", problems.Single(p => p.Kind == "bad-checkpoint").Detail, StringComparison.Ordinal);
    }

    private async Task<JsonObject> VerifyAsync(params string[] kept)
    {
        var response = await app.ClientFor(Nps, "nps-aud-01", Roles.Auditor)
            .PostAsJsonAsync("/api/v1/audit/verify", new JsonObject { ["keptCheckpoints"] = new JsonArray([.. kept.Select(k => JsonValue.Create(k))]) }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }
}

public sealed class LedgerTestsOnSqlite(SqliteApp app) : LedgerTests(app), IClassFixture<SqliteApp>;

public sealed class LedgerTestsOnPostgres(PostgresApp app) : LedgerTests(app), IClassFixture<PostgresApp>;
