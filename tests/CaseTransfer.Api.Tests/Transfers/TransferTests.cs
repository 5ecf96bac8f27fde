using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Transfers;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Transfers;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Transfers;

/// <summary>
/// Bulk transfers over HTTP, with the background worker off so each test runs the batches itself (as the worker
/// would, through <see cref="TransferJobRunner"/>). Each test moves the cases of its own area, so the tests of one
/// database do not move each other's cases. Runs once per engine (see the sealed classes at the end).
/// </summary>
public abstract class TransferTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NationalManager() => app.ClientFor(Nps, "nps-mgr-01", Roles.Manager);

    private HttpClient RegionStaff() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private HttpClient LondonStaff() => app.ClientFor(NpsLondon, "ldn-spo-01", Roles.Allocator, Roles.CaseManager);

    private static JsonObject Transfer(string from, string to, string? area, DateTimeOffset effectiveAt, string reason = "Reunification of offender management") => new()
    {
        ["fromOrganisation"] = from,
        ["toOrganisation"] = to,
        ["areaCode"] = area,
        ["effectiveAt"] = effectiveAt.ToString("O"),
        ["reason"] = reason,
    };

    [Fact]
    public async Task A_transfer_moves_every_case_with_an_audit_entry_and_an_event_each_and_reports_the_skipped_with_why()
    {
        var staff = RegionStaff();
        var crns = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            crns.Add(await CreateCaseAsync(staff, area: "GMAN"));
        }

        var allocated = crns[3];
        await OpenAllocationAsync(allocated);
        var manager = NationalManager();

        var accepted = await manager.PostAsJsonAsync("/api/v1/transfers", Transfer(NpsNorthWest, CrcGreaterManchester, "GMAN", DateTimeOffset.UtcNow), Ct);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await accepted.ReadJsonAsync();
        var id = job["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/transfers/{id}", accepted.Headers.Location?.OriginalString);
        Assert.Equal("Scheduled", job["state"]!.GetValue<string>());
        Assert.Equal(12, job["counts"]!["total"]!.GetValue<int>());
        Assert.Equal(12, job["counts"]!["pending"]!.GetValue<int>());
        Assert.NotNull(accepted.Headers.GetValues("Audit-Receipt").Single());

        // After the job was accepted: one case gets an officer (a new holding that begins after the effective
        // instant) and one leaves the region another way. Neither may be moved.
        var lateHolding = crns[5];
        (await staff.PostAsJsonAsync($"/api/v1/cases/{lateHolding}/responsible-officer", new { practitionerId = PriyaPatelNpsNw }, Ct)).EnsureSuccessStatusCode();
        var movedAway = crns[8];
        await MoveElsewhereAsync(movedAway, CrcLondon);

        Assert.True(await RunAsync(app, id, batchSize: 5));

        var done = await manager.GetFromJsonAsync<JsonObject>($"/api/v1/transfers/{id}", Ct);
        Assert.Equal("Completed", done!["state"]!.GetValue<string>());
        Assert.Equal(9, done["counts"]!["moved"]!.GetValue<int>());
        Assert.Equal(3, done["counts"]!["skipped"]!.GetValue<int>());
        Assert.Equal(0, done["counts"]!["pending"]!.GetValue<int>());
        Assert.NotNull(done["timings"]!["completedAt"]);
        var skipped = done["report"]!["skipped"]!.AsArray().ToDictionary(s => s!["crn"]!.GetValue<string>(), s => s!["skipReason"]!.GetValue<string>());
        Assert.Equal(TransferSkipReasons.OpenAllocation, skipped[allocated]);
        Assert.Equal(TransferSkipReasons.HoldingBeganAfterEffectiveInstant, skipped[lateHolding]);
        Assert.Equal(TransferSkipReasons.NoLongerHeld(NpsNorthWest), skipped[movedAway]);
        Assert.Equal(3, done["report"]!["skippedByReason"]!.AsArray().Sum(r => r!["count"]!.GetValue<int>()));

        var moved = crns.Except([allocated, lateHolding, movedAway]).ToList();
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);
        foreach (var crn in moved)
        {
            var summary = await provider.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{crn}", Ct);
            Assert.Equal(CrcGreaterManchester, summary!["holder"]!["code"]!.GetValue<string>());
            Assert.Null(summary["responsibleOfficer"]);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/api/v1/cases/{moved[0]}", Ct)).StatusCode);
        Assert.Equal(NpsNorthWest, (await staff.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{allocated}", Ct))!["holder"]!["code"]!.GetValue<string>());
        await AssertEachMovedOnceAsync(id, moved, crns.Count);
        await AssertHoldingsInvariantAsync();
    }

    [Fact]
    public async Task The_items_of_a_transfer_come_in_pages_by_outcome()
    {
        var staff = RegionStaff();
        for (var i = 0; i < 5; i++)
        {
            await CreateCaseAsync(staff, area: "LANC");
        }

        var manager = NationalManager();
        var id = await ScheduleAsync(manager, Transfer(NpsNorthWest, CrcGreaterManchester, "LANC", DateTimeOffset.UtcNow));
        Assert.True(await RunAsync(app, id, batchSize: 100));

        var first = await manager.GetFromJsonAsync<JsonObject>($"/api/v1/transfers/{id}/items?outcome=Moved&limit=3", Ct);
        var second = await manager.GetFromJsonAsync<JsonObject>($"/api/v1/transfers/{id}/items?outcome=Moved&limit=3&cursor={first!["nextCursor"]}", Ct);
        var none = await manager.GetFromJsonAsync<JsonObject>($"/api/v1/transfers/{id}/items?outcome=Skipped", Ct);

        Assert.Equal(3, first["items"]!.AsArray().Count);
        Assert.Equal(2, second!["items"]!.AsArray().Count);
        Assert.Null(second["nextCursor"]);
        Assert.Equal(5, first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(i => i!["crn"]!.GetValue<string>()).Distinct().Count());
        Assert.Empty(none!["items"]!.AsArray());
        var consultations = await app.InDatabaseAsync(db => db.AuditEntries.CountAsync(e => e.ActorUserId == "nps-mgr-01" && e.Action == "ListTransferItems", Ct));
        Assert.True(consultations >= 3);
    }

    [Fact]
    public async Task A_restart_mid_job_resumes_without_moving_a_case_twice_or_missing_one()
    {
        var staff = RegionStaff();
        var crns = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            crns.Add(await CreateCaseAsync(staff, area: "CHES"));
        }

        var id = await ScheduleAsync(NationalManager(), Transfer(NpsNorthWest, CrcGreaterManchester, "CHES", DateTimeOffset.UtcNow));

        // The first instance works one batch, then stops; the next starts on the same database and finishes.
        await using (var before = app.OnSameDatabase())
        {
            Assert.False(await RunAsync(before, id, batchSize: 3, maxBatches: 1));
        }

        var midway = await app.InDatabaseAsync(db => db.TransferJobs.AsNoTracking().SingleAsync(j => j.Id == id, Ct));
        Assert.Equal(TransferJobState.Running, midway.State);
        Assert.Equal(3, midway.Moved);
        await using (var after = app.OnSameDatabase())
        {
            Assert.True(await RunAsync(after, id, batchSize: 3));
        }

        await AssertEachMovedOnceAsync(id, crns, crns.Count);
        await AssertHoldingsInvariantAsync();
    }

    [Fact]
    public async Task Two_instances_working_one_transfer_at_once_move_each_case_exactly_once()
    {
        var staff = RegionStaff();
        var crns = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            crns.Add(await CreateCaseAsync(staff, area: "MERS"));
        }

        var id = await ScheduleAsync(NationalManager(), Transfer(NpsNorthWest, ReferenceData.CrcMerseyside, "MERS", DateTimeOffset.UtcNow));
        await using var one = app.OnSameDatabase();
        await using var two = app.OnSameDatabase();

        // Each keeps going until the job is finished: a run that gives way to the other is simply run again.
        async Task WorkAsync(CaseTransferApp instance)
        {
            while (!await RunAsync(instance, id, batchSize: 2))
            {
            }
        }

        await Task.WhenAll(WorkAsync(one), WorkAsync(two));

        await AssertEachMovedOnceAsync(id, crns, crns.Count);
        await AssertHoldingsInvariantAsync();
    }

    [Fact]
    public async Task Batches_run_at_once_in_one_instance_account_for_every_case_exactly_once()
    {
        // What the worker does with Transfers:Parallelism above 1: runners of one job in scopes of their own, each with
        // its own connection and transaction. On PostgreSQL their batches claim disjoint items; on SQLite they take
        // turns at the job's claim. Either way each case is moved exactly once and the job counts every item.
        var staff = LondonStaff();
        var crns = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            crns.Add(await CreateCaseAsync(staff, area: "LDNN"));
        }

        var id = await ScheduleAsync(NationalManager(), Transfer(NpsLondon, CrcLondon, "LDNN", DateTimeOffset.UtcNow));

        async Task WorkAsync()
        {
            while (!await RunAsync(app, id, batchSize: 2))
            {
            }
        }

        await Task.WhenAll(WorkAsync(), WorkAsync(), WorkAsync());

        await AssertEachMovedOnceAsync(id, crns, crns.Count);
        await AssertHoldingsInvariantAsync();
    }

    [Fact]
    public async Task A_batch_in_flight_holds_its_items_and_no_other_batch_waits_for_it()
    {
        await using var scope = app.Services.CreateAsyncScope();
        if (!scope.ServiceProvider.GetRequiredService<TransferJobRunner>().ClaimsItems)
        {
            return; // the engine's batches claim the whole job (SQLite): one at a time by design
        }

        var staff = LondonStaff();
        var crns = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            crns.Add(await CreateCaseAsync(staff, area: "LDNS"));
        }

        var id = await ScheduleAsync(NationalManager(), Transfer(NpsLondon, CrcLondon, "LDNS", DateTimeOffset.UtcNow));
        Assert.False(await RunAsync(app, id, batchSize: 1, maxBatches: 1)); // started, one item moved

        // Another batch has claimed (locked) the next three items and is still working them.
        var db = scope.ServiceProvider.GetRequiredService<CaseTransfer.Infrastructure.Persistence.CaseTransferDbContext>();
        await using var inFlight = await db.Database.BeginTransactionAsync(Ct);
        var held = await db.Database.SqlQuery<Guid>($"""
            SELECT "CaseId" AS "Value" FROM "TransferJobItems" WHERE "JobId" = {id} AND "Outcome" = 'Pending'
            ORDER BY "Sequence" LIMIT 3 FOR UPDATE
            """).ToListAsync(Ct);
        Assert.Equal(3, held.Count);

        // This runner works every other item without waiting, then gives way: the job is not its to complete.
        Assert.False(await RunAsync(app, id, batchSize: 2));
        var midway = await app.InDatabaseAsync(d => d.TransferJobs.AsNoTracking().SingleAsync(j => j.Id == id, Ct));
        Assert.Equal(TransferJobState.Running, midway.State);
        Assert.Equal(crns.Count - held.Count, midway.Moved);
        var pending = await app.InDatabaseAsync(d => d.TransferJobItems.AsNoTracking()
            .Where(i => i.JobId == id && i.Outcome == TransferItemOutcome.Pending).Select(i => i.CaseId).ToListAsync(Ct));
        Assert.Equal(held.Order(), pending.Order());

        // The batch in flight fails (rolls back): its items are pending again and the next run finishes the job.
        await inFlight.RollbackAsync(Ct);
        Assert.True(await RunAsync(app, id, batchSize: 2));

        await AssertEachMovedOnceAsync(id, crns, crns.Count);
        await AssertHoldingsInvariantAsync();
    }

    [Fact]
    public async Task Counts_that_disagree_with_the_items_stop_the_batch_as_a_rule_violation_and_write_nothing()
    {
        var staff = RegionStaff();
        var crns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            crns.Add(await CreateCaseAsync(staff, area: "CUMB"));
        }

        var id = await ScheduleAsync(NationalManager(), Transfer(NpsNorthWest, CrcMerseyside, "CUMB", DateTimeOffset.UtcNow));

        // The job's counts say one item is pending; its items say three. Retrying cannot mend that: on every engine
        // the batch is refused as a rule violation (which the worker counts towards failing the job), not a conflict
        // to run again, and it writes nothing.
        await app.InDatabaseAsync(db => db.TransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Skipped, j => j.Total - 1), Ct));
        var refused = await Assert.ThrowsAsync<DomainRuleViolation>(() => RunAsync(app, id, batchSize: 3));
        Assert.Equal("transfer-overcounted", refused.Rule);
        // (The area may still hold cases of earlier tests that their transfers skipped or never ran; they are listed too.)
        var items = await app.InDatabaseAsync(db => db.TransferJobItems.AsNoTracking().Where(i => i.JobId == id).ToListAsync(Ct));
        Assert.Superset(crns.ToHashSet(), items.Select(i => i.Crn.Value).ToHashSet());
        Assert.All(items, i => Assert.Equal(TransferItemOutcome.Pending, i.Outcome));
        var holders = await app.InDatabaseAsync(db => db.Cases.AsNoTracking()
            .Where(c => items.Select(i => i.CaseId).Contains(c.Id)).Select(c => c.HolderOrganisationCode).ToListAsync(Ct));
        Assert.Equal(items.Count, holders.Count);
        Assert.All(holders, h => Assert.Equal(NpsNorthWest, h));

        // Mended, the job runs to the end as any other.
        await app.InDatabaseAsync(db => db.TransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Skipped, 0), Ct));
        Assert.True(await RunAsync(app, id, batchSize: 3));
        var moved = await app.InDatabaseAsync(db => db.TransferJobItems.AsNoTracking()
            .Where(i => i.JobId == id && i.Outcome == TransferItemOutcome.Moved).Select(i => i.Crn.Value).ToListAsync(Ct));
        Assert.Subset(moved.ToHashSet(), crns.ToHashSet());
        await AssertEachMovedOnceAsync(id, moved, items.Count);
        await AssertHoldingsInvariantAsync();
    }

    [Fact]
    public async Task A_transfer_waits_for_its_effective_instant()
    {
        await CreateCaseAsync(RegionStaff(), area: "CUMB");
        var id = await ScheduleAsync(NationalManager(), Transfer(NpsNorthWest, ReferenceData.CrcMerseyside, "CUMB", DateTimeOffset.UtcNow.AddHours(1)));

        Assert.False(await RunAsync(app, id, batchSize: 10));

        var job = await NationalManager().GetFromJsonAsync<JsonObject>($"/api/v1/transfers/{id}", Ct);
        Assert.Equal("Scheduled", job!["state"]!.GetValue<string>());
        Assert.Equal(1, job["counts"]!["pending"]!.GetValue<int>());
        await using var scope = app.Services.CreateAsyncScope();
        Assert.DoesNotContain(id, await scope.ServiceProvider.GetRequiredService<TransferJobRunner>().DueJobIdsAsync(Ct));
    }

    [Fact]
    public async Task A_bad_transfer_request_is_a_400_naming_every_bad_field()
    {
        var manager = NationalManager();

        var unknown = await manager.PostAsJsonAsync("/api/v1/transfers", Transfer("NPS-XX", "CRC-XX", "NOWHERE", DateTimeOffset.UtcNow), Ct);
        var same = await manager.PostAsJsonAsync("/api/v1/transfers", Transfer(NpsNorthWest, NpsNorthWest, null, DateTimeOffset.UtcNow), Ct);
        var uncovered = await manager.PostAsJsonAsync("/api/v1/transfers", Transfer(NpsNorthWest, CrcGreaterManchester, "LDNN", DateTimeOffset.UtcNow.AddHours(-1)), Ct);
        var national = await manager.PostAsJsonAsync("/api/v1/transfers", Transfer(CrcGreaterManchester, Nps, null, DateTimeOffset.UtcNow), Ct);
        var missing = await manager.PostAsJsonAsync("/api/v1/transfers", new JsonObject { ["fromOrganisation"] = NpsNorthWest }, Ct);

        var problem = await Problems.AssertProblemAsync(unknown, HttpStatusCode.BadRequest);
        Problems.AssertNamesField(problem, "fromOrganisation");
        Problems.AssertNamesField(problem, "toOrganisation");
        Problems.AssertNamesField(problem, "areaCode");
        Problems.AssertNamesField(await Problems.AssertProblemAsync(same, HttpStatusCode.BadRequest), "toOrganisation");
        problem = await Problems.AssertProblemAsync(uncovered, HttpStatusCode.BadRequest);
        Problems.AssertNamesField(problem, "areaCode");
        Problems.AssertNamesField(problem, "effectiveAt");
        Problems.AssertNamesField(await Problems.AssertProblemAsync(national, HttpStatusCode.BadRequest), "toOrganisation");
        problem = await Problems.AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        Problems.AssertNamesField(problem, "toOrganisation");
        Problems.AssertNamesField(problem, "effectiveAt");
        Problems.AssertNamesField(problem, "reason");
        Assert.Equal(0, await app.InDatabaseAsync(db => db.TransferJobs.CountAsync(j => j.ToOrganisationCode == "CRC-XX", Ct)));
        Problems.AssertNamesField(await Problems.AssertProblemAsync(await manager.GetAsync("/api/v1/transfers/not-an-id", Ct), HttpStatusCode.BadRequest), "id");
        Problems.AssertNamesField(await Problems.AssertProblemAsync(await manager.GetAsync($"/api/v1/transfers/{Guid.CreateVersion7()}/items?outcome=Lost", Ct), HttpStatusCode.BadRequest), "outcome");
        await Problems.AssertProblemAsync(await manager.GetAsync($"/api/v1/transfers/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_an_admin_or_manager_of_the_national_NPS_may_order_or_read_a_transfer()
    {
        var request = Transfer(NpsLondon, CrcLondon, "LDNS", DateTimeOffset.UtcNow.AddHours(1));
        var regionManager = app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Manager, Roles.Admin);
        var nationalAllocator = app.ClientFor(Nps, "nps-alloc-01", Roles.Allocator, Roles.CaseManager, Roles.Auditor);
        var provider = app.ClientFor(CrcLondon, "crcl-spo-01", Roles.Manager);

        await Problems.AssertProblemAsync(await regionManager.PostAsJsonAsync("/api/v1/transfers", request, Ct), HttpStatusCode.Forbidden);
        await Problems.AssertProblemAsync(await nationalAllocator.PostAsJsonAsync("/api/v1/transfers", request, Ct), HttpStatusCode.Forbidden);
        await Problems.AssertProblemAsync(await provider.PostAsJsonAsync("/api/v1/transfers", request, Ct), HttpStatusCode.Forbidden);
        var admin = app.ClientFor(Nps, "nps-admin-01", Roles.Admin);
        var id = await ScheduleAsync(admin, request);
        await Problems.AssertProblemAsync(await regionManager.GetAsync($"/api/v1/transfers/{id}", Ct), HttpStatusCode.Forbidden);
        await Problems.AssertProblemAsync(await provider.GetAsync($"/api/v1/transfers/{id}/items", Ct), HttpStatusCode.Forbidden);
        await Problems.AssertProblemAsync(await nationalAllocator.GetAsync($"/api/v1/transfers/{id}", Ct), HttpStatusCode.Forbidden);
        (await admin.GetAsync($"/api/v1/transfers/{id}", Ct)).EnsureSuccessStatusCode();
    }

    private async Task<Guid> ScheduleAsync(HttpClient client, JsonObject request)
    {
        var response = await client.PostAsJsonAsync("/api/v1/transfers", request, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return (await response.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    /// <summary>What the background worker does with a due job, in the given instance of the service.</summary>
    private static async Task<bool> RunAsync(CaseTransferApp instance, Guid id, int batchSize, int maxBatches = int.MaxValue)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TransferJobRunner>().RunAsync(id, batchSize, maxBatches, Ct);
    }

    /// <summary>A proposal to a provider, open while the transfer runs (as the allocation workflow would leave it).</summary>
    private Task OpenAllocationAsync(string crn) => app.InDatabaseAsync(async db =>
    {
        var @case = await db.Cases.SingleAsync(c => c.Crn == Crn.Parse(crn), Ct);
        var rules = new RulesDecision(AllocationOutcome.AllocateToProvider, CrcGreaterManchester, false, [], "2026.1", new string('a', 64), "{}", "{}");
        var now = DateTimeOffset.UtcNow;
        db.Allocations.Add(Allocation.Propose(
            Guid.CreateVersion7(), @case.Id, @case.Crn, @case.AreaCode, @case.HolderOrganisationCode, CrcGreaterManchester,
            AllocationReason.NewSentence, null, rules, null, "nw-alloc-01", now, now.AddDays(7)));
        return await db.SaveChangesAsync(Ct);
    });

    private Task MoveElsewhereAsync(string crn, string to) => app.InDatabaseAsync(async db =>
    {
        var @case = await db.Cases.Include(c => c.Holdings).SingleAsync(c => c.Crn == Crn.Parse(crn), Ct);
        @case.TransferTo(to, DateTimeOffset.UtcNow, "Moved by hand");
        return await db.SaveChangesAsync(Ct);
    });

    /// <summary>Every listed case is accounted for; each moved one has exactly one entry and one event from this job.</summary>
    private async Task AssertEachMovedOnceAsync(Guid id, IReadOnlyCollection<string> moved, int total)
    {
        var job = await app.InDatabaseAsync(db => db.TransferJobs.AsNoTracking().SingleAsync(j => j.Id == id, Ct));
        Assert.Equal(TransferJobState.Completed, job.State);
        Assert.Equal(total, job.Total);
        Assert.Equal(total, job.Moved + job.Skipped);
        Assert.Equal(moved.Count, job.Moved);
        var items = await app.InDatabaseAsync(db => db.TransferJobItems.AsNoTracking().Where(i => i.JobId == id).ToListAsync(Ct));
        Assert.Equal(total, items.Count);
        Assert.DoesNotContain(items, i => i.Outcome == TransferItemOutcome.Pending);
        Assert.Equal(moved.Order(), items.Where(i => i.Outcome == TransferItemOutcome.Moved).Select(i => i.Crn.Value).Order());

        var summary = $"holder: {job.FromOrganisationCode} -> {job.ToOrganisationCode}; transfer job {id}";
        var entries = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == TransferJob.AuditAction && e.Summary == summary).ToListAsync(Ct));
        Assert.Equal(moved.Order(), entries.Select(e => e.Crn!.Value.Value).Order());
        Assert.All(entries, e =>
        {
            Assert.Equal(AuditOperation.Disclosure, e.Operation);
            Assert.Equal(job.ToOrganisationCode, e.Recipients);
            Assert.Equal(job.RequestedBy, e.ActorUserId);
            Assert.Equal(job.Reason, e.Justification);
        });
        var events = await app.InDatabaseAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(o => o.EventType == "case-transfer.case.holder-changed" && moved.Contains(o.Crn!)).ToListAsync(Ct));
        Assert.Equal(moved.Order(), events.Select(e => e.Crn!).Order());
        Assert.All(events, e => Assert.Contains($"\"toOrganisation\":\"{job.ToOrganisationCode}\"", e.Payload, StringComparison.Ordinal));

        // The trail still integrates into the ledger, entries of the transfer included.
        Assert.Equal(await app.InDatabaseAsync(db => db.AuditEntries.LongCountAsync(Ct)), await app.IntegrateLedgerAsync());
    }

    /// <summary>The one invariant, over every case in the database: holdings contiguous, exactly one open, held by the holder.</summary>
    private async Task AssertHoldingsInvariantAsync()
    {
        var cases = await app.InDatabaseAsync(db => db.Cases.AsNoTracking().Include(c => c.Holdings).ToListAsync(Ct));
        Assert.All(cases, c =>
        {
            var holdings = c.Holdings.OrderBy(h => h.From).ToList();
            Assert.Single(holdings, h => h.IsOpen);
            Assert.True(holdings[^1].IsOpen, $"{c.Crn}: the open holding is not the last");
            Assert.Equal(c.HolderOrganisationCode, holdings[^1].OrganisationCode);
            Assert.Equal(c.ResponsibleOfficerId, holdings[^1].ResponsibleOfficerId);
            for (var i = 1; i < holdings.Count; i++)
            {
                Assert.True(holdings[i - 1].To == holdings[i].From, $"{c.Crn}: holding {i - 1} ends at {holdings[i - 1].To:O}, the next begins at {holdings[i].From:O}");
            }
        });
    }
}

public sealed class TransferTestsOnSqlite(SqliteApp app) : TransferTests(app), IClassFixture<SqliteApp>;

public sealed class TransferTestsOnPostgres(PostgresApp app) : TransferTests(app), IClassFixture<PostgresApp>;
