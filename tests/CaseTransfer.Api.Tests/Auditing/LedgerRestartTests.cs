using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Auditing;

/// <summary>
/// The audit log across a stop and a start of the service, on a clock the tests move. A graceful stop leaves nothing
/// to integrate; after a crash the service integrates what was committed before it accepts requests, and records in the
/// log which entries it integrated late, so verification tells a restart from an insertion. The instance that "crashes"
/// never integrates on its own (the tests integrate for it), so what it committed last is still pending when it stops.
/// Each scenario gets a fresh database.
/// </summary>
public abstract class LedgerRestartTests
{
    /// <summary>The service as it runs in production: integrating in the background.</summary>
    private static readonly Dictionary<string, string> Integrating = new() { ["Audit:IntegrationIntervalMilliseconds"] = "500" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Engine Engine { get; }

    /// <summary>In one pass, or with a batch of one entry in a pass for each, each pass naming its own.</summary>
    [Theory]
    [InlineData(5_000)]
    [InlineData(1)]
    public async Task Entries_committed_just_before_a_crash_are_integrated_at_the_next_start_and_verify_as_recovered_not_as_tampering(int batchSize)
    {
        var clock = NewClock();
        await using var crashed = await StartAsync(clock);
        var (pending, lastIntegration) = await LeftPendingByACrashAsync(crashed);

        // Down overnight, then started again.
        clock.Advance(TimeSpan.FromHours(9));
        await using var restarted = new ConfiguredApp(
            crashed, new Dictionary<string, string>(Integrating) { ["Audit:BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture) }, clock);

        var recoveries = await RecoveriesAsync(restarted);
        Assert.Empty(await PendingAsync(restarted));
        var report = await VerifyAsync(restarted);

        Assert.Equal(batchSize == 1 ? pending.Count : 1, recoveries.Count);
        Assert.All(pending, sequence => Assert.Contains(recoveries, r => r.Record.Names(sequence)));
        Assert.Equal(pending.Count, recoveries.Sum(r => r.Record.LateCount));
        Assert.All(recoveries, r =>
        {
            Assert.Equal(lastIntegration, r.Record.LastIntegrationBefore);
            Assert.Equal("system", r.Entry.ActorUserId);
            Assert.Equal(LedgerRecovery.Reason, r.Entry.Justification);
        });
        Assert.True(report["intact"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal(pending, Notes(report).Where(n => n.Kind == "recovered-late").Select(n => n.Sequence!.Value).Order());
    }

    [Fact]
    public async Task An_entry_inserted_with_an_old_timestamp_while_the_service_was_down_is_still_tampering_after_the_restart()
    {
        var clock = NewClock();
        await using var crashed = await StartAsync(clock);
        var (pending, _) = await LeftPendingByACrashAsync(crashed);

        // While it is down, someone with the database's credentials adds an entry dated a day before the stop.
        clock.Advance(TimeSpan.FromHours(1));
        var backdated = clock.GetUtcNow().AddDays(-1);
        var inserted = await crashed.InDatabaseAsync(async db =>
        {
            var entry = new AuditEntry(
                Guid.CreateVersion7(backdated), backdated, AuditOperation.Alteration, "AssignResponsibleOfficer", "nw-po-02", "Gareth Evans",
                NpsNorthWest, "case-transfer-cli", "00000000000000000000000000000000", null, "case", null, null, "responsibleOfficer");
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(Ct);
            return entry.Sequence;
        });
        await using var restarted = new ConfiguredApp(crashed, Integrating, clock);

        var recovery = Assert.Single(await RecoveriesAsync(restarted));
        var report = await VerifyAsync(restarted);

        Assert.True(recovery.Record.Names(inserted), "the service cannot tell the insertion from a pending entry, so it names it too");
        Assert.False(report["intact"]!.GetValue<bool>(), "an insertion with an old timestamp went unnoticed");
        Assert.Equal([inserted], Problems(report).Where(p => p.Kind == "late-entry").Select(p => p.Sequence!.Value));
        Assert.Equal(pending, Notes(report).Where(n => n.Kind == "recovered-late").Select(n => n.Sequence!.Value).Order());
    }

    [Fact]
    public async Task A_restart_within_the_late_entry_limit_records_no_recovery()
    {
        var clock = NewClock();
        await using var crashed = await StartAsync(clock);
        await CreateCaseAsync(Staff(crashed));
        clock.Advance(TimeSpan.FromMinutes(1));

        await using var restarted = new ConfiguredApp(crashed, Integrating, clock);

        Assert.Empty(await RecoveriesAsync(restarted));
        Assert.Empty(await PendingAsync(restarted));
        var report = await VerifyAsync(restarted);
        Assert.True(report["intact"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Empty(Notes(report));
    }

    [Fact]
    public async Task A_graceful_stop_integrates_everything_committed_before_it_and_signs_a_checkpoint()
    {
        await using var before = await StartAsync(TimeProvider.System);
        var passes = new LedgerLateCommitTests.PassLog();
        await using (var running = new ConfiguredApp(
            before,
            new Dictionary<string, string>
            {
                // The recovery and one pass at start, then none for an hour: only the stop can integrate what is written meanwhile.
                ["Audit:IntegrationIntervalMilliseconds"] = "3600000",
                ["Audit:MaxMergeDelaySeconds"] = "7300",
            },
            log: passes))
        {
            var client = Staff(running);
            await passes.WaitForAsync(2);
            var crn = await CreateCaseAsync(client);
            (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).EnsureSuccessStatusCode();
            Assert.NotEmpty(await PendingAsync(before));
        }

        var (leaves, signed) = await before.InDatabaseAsync(async db =>
            (await db.AuditLeaves.CountAsync(Ct), await db.AuditCheckpoints.MaxAsync(c => c.TreeSize, Ct)));
        Assert.Empty(await PendingAsync(before));
        Assert.Equal(leaves, signed);
        Assert.Empty(await RecoveriesAsync(before));
    }

    private static FakeTimeProvider NewClock() => new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>
    /// Opens a case and integrates it, then opens two more and leaves them pending, as a crash leaves what was committed
    /// last; answers their sequence numbers and the instant of the last integration.
    /// </summary>
    private static async Task<(List<long> Pending, DateTimeOffset LastIntegration)> LeftPendingByACrashAsync(CaseTransferApp crashed)
    {
        var client = Staff(crashed);
        await CreateCaseAsync(client);
        await crashed.IntegrateLedgerAsync();
        var lastIntegration = await crashed.InDatabaseAsync(db => db.AuditLeaves.OrderByDescending(l => l.LeafIndex).Select(l => l.IntegratedAt).FirstAsync(Ct));
        await CreateCaseAsync(client);
        await CreateCaseAsync(client);
        var pending = await PendingAsync(crashed);
        Assert.NotEmpty(pending);
        return (pending, lastIntegration);
    }

    private async Task<ConfiguredApp> StartAsync(TimeProvider clock)
    {
        if (Engine == Engine.Postgres)
        {
            PostgresCluster.RequireOrSkip();
        }

        var app = new ConfiguredApp(Engine, new Dictionary<string, string>(), clock);
        await app.InitializeAsync();
        return app;
    }

    private static HttpClient Staff(CaseTransferApp app) => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    /// <summary>The sequence numbers of committed entries with no leaf yet.</summary>
    private static Task<List<long>> PendingAsync(CaseTransferApp app) => app.InDatabaseAsync(db => db.AuditEntries
        .Where(e => !db.AuditLeaves.Any(l => l.EntrySequence == e.Sequence)).Select(e => e.Sequence).OrderBy(s => s).ToListAsync(Ct));

    private static async Task<List<(AuditEntry Entry, LedgerRecovery Record)>> RecoveriesAsync(CaseTransferApp app)
    {
        var entries = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == LedgerRecovery.Action).ToListAsync(Ct));
        return [.. entries.Select(e => (e, LedgerRecovery.TryParse(e.Summary, out var record) ? record : throw new InvalidOperationException(e.Summary)))];
    }

    private static async Task<JsonObject> VerifyAsync(CaseTransferApp app)
    {
        var response = await app.ClientFor(Nps, "nps-aud-01", Roles.Auditor).PostAsJsonAsync("/api/v1/audit/verify", new JsonObject(), Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    private static List<(string Kind, long? Sequence)> Problems(JsonObject report) => Findings(report, "problems");

    private static List<(string Kind, long? Sequence)> Notes(JsonObject report) => Findings(report, "notes");

    private static List<(string Kind, long? Sequence)> Findings(JsonObject report, string list) =>
        [.. report[list]!.AsArray().Select(p => (p!["kind"]!.GetValue<string>(), p["entrySequence"]?.GetValue<long?>()))];
}

public sealed class LedgerRestartTestsOnSqlite : LedgerRestartTests
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class LedgerRestartTestsOnPostgres : LedgerRestartTests
{
    protected override Engine Engine => Engine.Postgres;
}
