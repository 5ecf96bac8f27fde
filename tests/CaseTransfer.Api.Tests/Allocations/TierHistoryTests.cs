using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Allocations;

/// <summary>The tier is recomputed by the active ruleset with every risk assessment, and every computation is kept.</summary>
public abstract class TierHistoryTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    [Fact]
    public async Task A_new_risk_assessment_recomputes_the_tier_and_the_case_summary_shows_it_with_its_ruleset()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var before = await (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();
        Assert.Null(before["computedTier"]);

        var recorded = await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), Ct);

        Assert.Equal("\"2\"", recorded.Headers.ETag?.Tag);
        var summary = await (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();
        var computed = summary["computedTier"]!;
        Assert.Equal("B1", computed["tier"]!.GetValue<string>());
        Assert.Equal("2026.1", computed["rulesetVersion"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", computed["rulesetHash"]!.GetValue<string>());
        Assert.Equal($"/api/v1/cases/{crn}/tiers", summary["links"]!["tiers"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_tier_history_keeps_every_computation_newest_first_with_its_working()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        var raised = Assessment("VeryHigh");
        raised["assessedOn"] = "2025-03-01";
        raised["mappaCategory"] = "Category2";
        raised["mappaLevel"] = "Level2";
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", raised, Ct)).EnsureSuccessStatusCode();

        var response = await client.GetAsync($"/api/v1/cases/{crn}/tiers", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tiers = (await response.Content.ReadFromJsonAsync<JsonArray>(Ct))!;
        Assert.Equal(["A1", "C1"], tiers.Select(t => t!["assessment"]!["tier"]!.GetValue<string>()));
        foreach (var tier in tiers.Select(t => t!["assessment"]!))
        {
            Assert.Equal(
                tier["protectPoints"]!.GetValue<int>() + tier["changePoints"]!.GetValue<int>(),
                tier["breakdown"]!.AsArray().Sum(p => p!["points"]!.GetValue<int>()));
        }

        var newest = tiers[0]!["assessment"]!["breakdown"]!.AsArray();
        Assert.Contains(newest, p => p!["component"]!.GetValue<string>() == "protect.mappa" && p["points"]!.GetValue<int>() == 30);
        Assert.NotNull(tiers[0]!["riskAssessmentId"]);
    }

    [Fact]
    public async Task An_older_assessment_entered_late_does_not_change_the_tier()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), Ct)).EnsureSuccessStatusCode();
        var older = Assessment("Low");
        older["assessedOn"] = "2025-01-15";
        older["rsrPercent"] = 0.5;
        older["flags"] = new JsonArray();

        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", older, Ct)).EnsureSuccessStatusCode();

        var tiers = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/tiers", Ct))!;
        Assert.Equal(["B1", "B1"], tiers.Select(t => t!["assessment"]!["tier"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_tier_history_of_a_case_the_caller_may_not_see_is_not_found()
    {
        var crn = await CreateCaseAsync(NpsAllocator());
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

        await Problems.AssertProblemAsync(await provider.GetAsync($"/api/v1/cases/{crn}/tiers", Ct), HttpStatusCode.NotFound);
    }
}

public sealed class TierHistoryTestsOnSqlite(SqliteApp app) : TierHistoryTests(app), IClassFixture<SqliteApp>;

public sealed class TierHistoryTestsOnPostgres(PostgresApp app) : TierHistoryTests(app), IClassFixture<PostgresApp>;
