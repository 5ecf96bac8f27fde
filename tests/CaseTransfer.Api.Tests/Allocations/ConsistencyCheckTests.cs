using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Allocations;

/// <summary>The consistency audit over HTTP: stored decisions re-run under their own ruleset and another version.</summary>
public abstract class ConsistencyCheckTests(CaseTransferApp app)
{
    private static int _window;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A day of its own for each test's allocations, so one test's rows never appear in another's report.</summary>
    private readonly DateTimeOffset _day = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Interlocked.Increment(ref _window));

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private RulesetCatalogue Rulesets => app.Services.GetRequiredService<RulesetCatalogue>();

    private async Task<string> CaseWithRiskAsync(string rosh, double rsr, params string[] flags)
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var assessment = Assessment(rosh);
        assessment["rsrPercent"] = rsr;
        assessment["flags"] = new JsonArray([.. flags.Select(f => (JsonNode)f)]);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", assessment, Ct)).EnsureSuccessStatusCode();
        return crn;
    }

    /// <summary>Stores an allocation as the workflow would: the rules' decision and facts, then the proposal.</summary>
    private Task StoreAllocationAsync(
        string crn, Ruleset ruleset, string to = CrcGreaterManchester, string? justification = null, Func<AllocationDecision, AllocationDecision>? tamper = null) =>
        app.InDatabaseAsync(async db =>
        {
            var caseId = await db.Cases.Where(c => c.Crn == CaseTransfer.Domain.Identifiers.Crn.Parse(crn)).Select(c => c.Id).SingleAsync(Ct);
            var subject = await CaseFactsReader.ReadAsync(db, caseId, Ct);
            var decision = ruleset.Decide(subject.Facts, subject.Area);
            var at = _day.AddMinutes(await db.Allocations.CountAsync(Ct));
            db.Allocations.Add(Allocation.Propose(
                Guid.CreateVersion7(at), caseId, CaseTransfer.Domain.Identifiers.Crn.Parse(crn), subject.Area.Code, NpsNorthWest, to,
                AllocationReason.NewSentence, null, StoredDecisions.For((tamper ?? (d => d))(decision), subject.Facts), justification,
                "nw-alloc-01", at, at.AddDays(5)));
            return await db.SaveChangesAsync(Ct);
        });

    private async Task<JsonObject> CheckAsync(string againstVersion, HttpClient? client = null)
    {
        var response = await (client ?? NpsAllocator()).PostAsJsonAsync(
            "/api/v1/allocations/consistency-check", new { areaCode = "GMAN", from = _day, to = _day.AddDays(1), againstVersion }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    private static JsonNode ItemFor(JsonObject report, string crn) =>
        report["items"]!.AsArray().Single(i => i!["crn"]!.GetValue<string>() == crn)!;

    [Fact]
    public async Task Cases_decided_otherwise_under_another_version_are_listed_with_the_rules_each_way_and_overrides_show_as_such()
    {
        var rsr66 = await CaseWithRiskAsync("Medium", 6.6);
        var publicInterest = await CaseWithRiskAsync("Low", 1.0, "PublicInterest");
        var plain = await CaseWithRiskAsync("Low", 1.0);
        var current = Rulesets.Find("2026.1")!;
        await StoreAllocationAsync(rsr66, current);
        await StoreAllocationAsync(publicInterest, current, justification: "Press interest has ended; supervised locally");
        await StoreAllocationAsync(plain, current);

        var report = await CheckAsync("2026.2");

        Assert.Equal(3, report["checked"]!.GetValue<int>());
        Assert.Equal(0, report["differUnderOwnRuleset"]!.GetValue<int>());
        Assert.Equal(2, report["differUnderAgainstVersion"]!.GetValue<int>());
        Assert.Equal(1, report["overrides"]!.GetValue<int>());
        Assert.DoesNotContain(report["items"]!.AsArray(), i => i!["crn"]!.GetValue<string>() == plain);

        var byRsr = ItemFor(report, rsr66);
        Assert.False(byRsr["isOverride"]!.GetValue<bool>());
        Assert.False(byRsr["underOwnRuleset"]!["differs"]!.GetValue<bool>());
        Assert.True(byRsr["underAgainstVersion"]!["differs"]!.GetValue<bool>());
        Assert.Equal(["otherwise"], byRsr["stored"]!["firedRules"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["rsr-at-or-above-threshold"], byRsr["underAgainstVersion"]!["firedRules"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains(
            "rule rsr-at-or-above-threshold fires under 2026.2: rsrPercent 6.6, rsrThreshold 6.5",
            byRsr["underAgainstVersion"]!["why"]!.AsArray().Select(w => w!.GetValue<string>()));

        var overridden = ItemFor(report, publicInterest);
        Assert.True(overridden["isOverride"]!.GetValue<bool>());
        Assert.Equal("KeepWithNps", overridden["stored"]!["outcome"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, overridden["toOrganisationCode"]!.GetValue<string>());
        Assert.Equal("Press interest has ended; supervised locally", overridden["overrideJustification"]!.GetValue<string>());
        Assert.Contains(
            "rule public-interest is not in ruleset 2026.2",
            overridden["underAgainstVersion"]!["why"]!.AsArray().Select(w => w!.GetValue<string>()));
    }

    [Fact]
    public async Task A_stored_decision_that_its_own_ruleset_does_not_reproduce_is_listed()
    {
        var high = await CaseWithRiskAsync("High", 3.0);
        await StoreAllocationAsync(high, Rulesets.Active, tamper: d => d with { Outcome = AllocationOutcome.AllocateToProvider, ReceivingOrganisationCode = CrcGreaterManchester });

        var report = await CheckAsync("2026.1");

        var item = ItemFor(report, high);
        Assert.True(item["underOwnRuleset"]!["differs"]!.GetValue<bool>());
        Assert.Equal("KeepWithNps", item["underOwnRuleset"]!["outcome"]!.GetValue<string>());
        Assert.Equal(1, report["differUnderOwnRuleset"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_decision_is_re_run_under_its_own_ruleset_from_the_store_after_the_file_changed()
    {
        // The 2026.1 file as it was before an edit raised the RSR threshold in place: another text, another hash.
        var edited = Ruleset.Parse(Rulesets.Find("2026.1")!.Content.Replace("rsrThreshold: 6.9", "rsrThreshold: 8.0", StringComparison.Ordinal));
        await app.InDatabaseAsync(async db =>
        {
            db.StoredRulesets.Add(new StoredRuleset(edited.Hash, edited.Version, edited.Content, _day));
            return await db.SaveChangesAsync(Ct);
        });
        var rsr7 = await CaseWithRiskAsync("Medium", 7.0);
        await StoreAllocationAsync(rsr7, edited);

        var report = await CheckAsync("2026.1");

        var item = ItemFor(report, rsr7);
        Assert.Equal(edited.Hash, item["underOwnRuleset"]!["rulesetHash"]!.GetValue<string>());
        Assert.False(item["underOwnRuleset"]!["differs"]!.GetValue<bool>());
        Assert.True(item["underAgainstVersion"]!["differs"]!.GetValue<bool>());
        Assert.Empty(item["problems"]!.AsArray());
    }

    [Fact]
    public async Task Every_loaded_ruleset_is_stored_by_hash()
    {
        var stored = await app.InDatabaseAsync(db => db.StoredRulesets.AsNoTracking().Select(r => r.Hash).ToListAsync(Ct));

        Assert.All(Rulesets.All, r => Assert.Contains(r.Hash, stored));
    }

    [Fact]
    public async Task The_check_leaves_a_consultation_entry_and_changes_nothing_else()
    {
        var before = await app.CountRowsAsync();

        await CheckAsync("2026.2");

        Assert.Equal(before with { AuditEntries = before.AuditEntries + 1 }, await app.CountRowsAsync());
        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync(Ct));
        Assert.Equal(("CheckAllocationConsistency", AuditOperation.Consultation), (entry.Action, entry.Operation));
    }

    [Fact]
    public async Task A_provider_may_not_run_the_check()
    {
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-spo-01", Roles.Admin);

        var response = await provider.PostAsJsonAsync("/api/v1/allocations/consistency-check", new { againstVersion = "2026.2" }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unknown_or_missing_version_to_compare_against_is_refused_naming_againstVersion()
    {
        var client = NpsAllocator();

        var unknown = await client.PostAsJsonAsync("/api/v1/allocations/consistency-check", new { againstVersion = "1999.1" }, Ct);
        var missing = await client.PostAsJsonAsync("/api/v1/allocations/consistency-check", new { areaCode = "GMAN" }, Ct);

        Problems.AssertNamesField(await Problems.AssertProblemAsync(unknown, HttpStatusCode.BadRequest), "againstVersion");
        Problems.AssertNamesField(await Problems.AssertProblemAsync(missing, HttpStatusCode.BadRequest), "againstVersion");
    }

    [Fact]
    public async Task An_area_outside_the_callers_regions_is_not_found()
    {
        var response = await NpsAllocator().PostAsJsonAsync("/api/v1/allocations/consistency-check", new { areaCode = "LDNN", againstVersion = "2026.2" }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }
}

public sealed class ConsistencyCheckTestsOnSqlite(SqliteApp app) : ConsistencyCheckTests(app), IClassFixture<SqliteApp>;

public sealed class ConsistencyCheckTestsOnPostgres(PostgresApp app) : ConsistencyCheckTests(app), IClassFixture<PostgresApp>;
