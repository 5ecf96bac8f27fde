using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Allocations;

/// <summary>Previewing what the allocation rules would decide, over HTTP. Runs once per engine.</summary>
public abstract class AllocationPreviewTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private static async Task<JsonObject> PreviewAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/allocations/preview", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"preview answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task The_rulesets_are_listed_by_version_and_hash_with_the_default_active()
    {
        var rulesets = (await NpsAllocator().GetFromJsonAsync<JsonArray>("/api/v1/allocations/rulesets", Ct))!;

        Assert.Equal(["2026.1", "2026.2"], rulesets.Select(r => r!["version"]!.GetValue<string>()));
        Assert.True(rulesets[0]!["active"]!.GetValue<bool>());
        Assert.False(rulesets[1]!["active"]!.GetValue<bool>());
        Assert.All(rulesets, r => Assert.Matches("^[0-9a-f]{64}$", r!["hash"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_preview_explains_itself_rule_by_rule_with_the_facts_read_and_the_ruleset()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), Ct)).EnsureSuccessStatusCode();
        var rulesets = await client.GetFromJsonAsync<JsonArray>("/api/v1/allocations/rulesets", Ct);

        var preview = await PreviewAsync(client, new { crn });

        var decision = preview["decision"]!;
        Assert.Equal("KeepWithNps", decision["outcome"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, decision["receivingOrganisationCode"]!.GetValue<string>());
        Assert.False(decision["provisional"]!.GetValue<bool>());
        Assert.Equal("2026.1", decision["rulesetVersion"]!.GetValue<string>());
        Assert.Equal(rulesets![0]!["hash"]!.GetValue<string>(), decision["rulesetHash"]!.GetValue<string>());
        var rules = decision["rules"]!.AsArray();
        Assert.Equal(6, rules.Count);
        var rosh = rules[0]!;
        Assert.Equal("rosh-high-or-very-high", rosh["ruleId"]!.GetValue<string>());
        Assert.True(rosh["fired"]!.GetValue<bool>());
        Assert.Equal("High", rosh["facts"]![0]!["value"]!.GetValue<string>());
        var rsr = rules.Single(r => r!["ruleId"]!.GetValue<string>() == "rsr-at-or-above-threshold")!;
        Assert.False(rsr["fired"]!.GetValue<bool>());
        Assert.Equal("3.2", rsr["facts"]![0]!["value"]!.GetValue<string>());

        var tier = preview["tier"]!;
        Assert.Equal("B1", tier["tier"]!.GetValue<string>());
        Assert.Equal(
            tier["protectPoints"]!.GetValue<int>() + tier["changePoints"]!.GetValue<int>(),
            tier["breakdown"]!.AsArray().Sum(p => p!["points"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_case_with_no_risk_assessment_previews_as_provisional_naming_the_missing_facts()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);

        var preview = await PreviewAsync(client, new { crn });

        Assert.True(preview["decision"]!["provisional"]!.GetValue<bool>());
        Assert.Contains("rsrPercent", preview["decision"]!["missingFacts"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Null(preview["tier"]!["tier"]);
    }

    [Fact]
    public async Task Another_ruleset_version_can_be_previewed_and_is_named_in_the_answer()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var assessment = Assessment("Medium");
        assessment["rsrPercent"] = 6.6;
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", assessment, Ct)).EnsureSuccessStatusCode();

        var current = await PreviewAsync(client, new { crn });
        var proposed = await PreviewAsync(client, new { crn, rulesetVersion = "2026.2" });

        Assert.Equal("AllocateToProvider", current["decision"]!["outcome"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, current["decision"]!["receivingOrganisationCode"]!.GetValue<string>());
        Assert.Equal("KeepWithNps", proposed["decision"]!["outcome"]!.GetValue<string>());
        Assert.Equal("2026.2", proposed["decision"]!["rulesetVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_preview_changes_nothing_but_leaves_a_consultation_entry()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var before = await app.CountRowsAsync();

        await PreviewAsync(client, new { crn });

        var after = await app.CountRowsAsync();
        Assert.Equal(before with { AuditEntries = before.AuditEntries + 1 }, after);
        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "PreviewAllocation", Ct));
        Assert.Equal(AuditOperation.Consultation, entry.Operation);
    }

    [Fact]
    public async Task A_case_the_caller_may_not_see_is_not_found()
    {
        var crn = await CreateCaseAsync(NpsAllocator());
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

        var response = await provider.PostAsJsonAsync("/api/v1/allocations/preview", new { crn }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_malformed_CRN_and_an_unknown_ruleset_version_are_refused_naming_both_fields()
    {
        var response = await NpsAllocator().PostAsJsonAsync("/api/v1/allocations/preview", new { crn = "123", rulesetVersion = "1999.9" }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Problems.AssertNamesField(problem, "crn");
        Problems.AssertNamesField(problem, "rulesetVersion");
    }

    [Fact]
    public async Task Only_allocators_case_managers_and_administrators_may_preview()
    {
        var crn = await CreateCaseAsync(NpsAllocator());
        var auditor = app.ClientFor(NpsNorthWest, "nw-aud-01", Roles.Auditor);

        var response = await auditor.PostAsJsonAsync("/api/v1/allocations/preview", new { crn }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }
}

public sealed class AllocationPreviewTestsOnSqlite(SqliteApp app) : AllocationPreviewTests(app), IClassFixture<SqliteApp>;

public sealed class AllocationPreviewTestsOnPostgres(PostgresApp app) : AllocationPreviewTests(app), IClassFixture<PostgresApp>;
