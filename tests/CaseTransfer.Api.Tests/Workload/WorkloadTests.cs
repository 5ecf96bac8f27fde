using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Workload;

/// <summary>
/// Workload over HTTP: the practitioners list with caseload figures, and naming a responsible officer over capacity.
/// Each test uses practitioners no other test here gives cases to, so the figures are its own.
/// </summary>
public abstract class WorkloadTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsNwAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private HttpClient NpsLdnAllocator() => app.ClientFor(NpsLondon, "ldn-spo-01", Roles.Allocator, Roles.CaseManager);

    private static Guid Staff(string staffCode) => ReferenceData.Practitioners.Single(p => p.StaffCode == staffCode).Id;

    [Fact]
    public async Task Each_area_is_covered_by_an_NPS_region_and_a_provider()
    {
        var organisations = await app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager)
            .GetFromJsonAsync<JsonArray>("/api/v1/organisations", Ct);

        var provider = organisations!.Single(o => (string?)o!["code"] == CrcGreaterManchester)!;
        Assert.Equal("Provider", (string?)provider["kind"]);
        var greaterManchester = provider["areas"]!.AsArray().Single(a => (string?)a!["code"] == "GMAN")!;
        Assert.Equal(NpsNorthWest, (string?)greaterManchester["npsRegionCode"]);
        Assert.Equal(CrcGreaterManchester, (string?)greaterManchester["providerCode"]);
    }

    [Fact]
    public async Task The_practitioners_list_gives_each_caseload_its_points_and_capacity()
    {
        var client = NpsNwAllocator();
        var gareth = Staff("nw-po-02");
        var before = await PractitionerAsync(client, NpsNorthWest, gareth);
        var custody = await CreateCaseAsync(client);
        var licence = await CreateLicenceCaseAsync(client, "GMAN");
        await SetTierAsync(custody, "B2");
        await SetTierAsync(licence, "A3");

        await AssignAsync(client, custody, gareth);
        await AssignAsync(client, licence, gareth);

        var after = await PractitionerAsync(client, NpsNorthWest, gareth);
        Assert.Equal(before["caseloadCount"]!.GetValue<int>() + 2, after["caseloadCount"]!.GetValue<int>());
        Assert.Equal(before["points"]!.GetValue<int>() + 48 + 219, after["points"]!.GetValue<int>()); // B2 custody, A3 licence
        Assert.Equal(2176m, after["availablePoints"]!.GetValue<decimal>());
        Assert.Equal(37m, after["availableHours"]!.GetValue<decimal>());
        Assert.Equal(Math.Round(after["points"]!.GetValue<int>() * 100m / 2176m, 1, MidpointRounding.AwayFromZero), after["capacityPercent"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_case_with_no_tier_scores_the_untiered_weighting()
    {
        var client = NpsNwAllocator();
        var siobhan = Staff("nw-pso-03");
        var before = await PractitionerAsync(client, NpsNorthWest, siobhan);
        var crn = await CreateCaseAsync(client);

        await AssignAsync(client, crn, siobhan);

        var after = await PractitionerAsync(client, NpsNorthWest, siobhan);
        Assert.Equal(before["points"]!.GetValue<int>() + 24, after["points"]!.GetValue<int>()); // untiered custody
    }

    [Fact]
    public async Task Naming_someone_over_capacity_needs_an_acknowledgement_stored_with_the_figures()
    {
        var client = NpsNwAllocator();
        var helen = Staff("nw-pso-05");
        await SetAvailableHoursAsync(helen, 0.37m); // 21.76 available points: any case takes her over
        var crn = await CreateCaseAsync(client);
        await SetTierAsync(crn, "A3");

        var refused = await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = helen }, Ct);

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.Conflict, "/rules/practitioner-over-capacity");
        Assert.Contains("Helen Whitaker", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var current = problem["current"]!.AsObject();
        Assert.Equal(21.76m, current["availablePoints"]!.GetValue<decimal>());
        Assert.Equal(current["points"]!.GetValue<int>() + 75, problem["afterAssignment"]!["points"]!.GetValue<int>()); // A3 custody
        Assert.True(problem["afterAssignment"]!["capacityPercent"]!.GetValue<decimal>() > 100m);

        var acknowledgement = new JsonObject
        {
            ["capacityPercent"] = current["capacityPercent"]!.GetValue<decimal>(),
            ["points"] = current["points"]!.GetValue<int>(),
            ["availablePoints"] = current["availablePoints"]!.GetValue<decimal>(),
            ["caseCount"] = current["caseCount"]!.GetValue<int>(),
        };
        var accepted = await client.PostAsJsonAsync(
            $"/api/v1/cases/{crn}/responsible-officer", new JsonObject { ["practitionerId"] = helen, ["capacityAcknowledgement"] = acknowledgement }, Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var stored = await app.InDatabaseAsync(db => db.CaseHoldings.AsNoTracking()
            .Where(h => h.ResponsibleOfficerId == helen && h.To == null).Select(h => h.CapacityAcknowledgement).SingleAsync(Ct));
        var json = JsonNode.Parse(stored!)!;
        Assert.Equal("nw-spo-01", json["acknowledgedBy"]!.GetValue<string>());
        Assert.Equal(acknowledgement.ToJsonString(), json["onScreen"]!.ToJsonString());
        Assert.Equal(75, json["computed"]!["casePoints"]!.GetValue<int>());
        Assert.True(json["computed"]!["after"]!["isOverCapacity"]!.GetValue<bool>());
        var summary = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "AssignResponsibleOfficer").Select(e => e.Summary).SingleAsync(Ct));
        Assert.EndsWith("capacityAcknowledgement: over capacity, acknowledged", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Available_lists_only_those_under_capacity_least_loaded_first()
    {
        var client = NpsLdnAllocator();
        var oliver = Staff("ldn-pso-03");
        await SetAvailableHoursAsync(oliver, 0.37m);
        var crn = await CreateCaseAsync(client, area: "LDNN");
        var over = await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = oliver }, Ct);
        var current = (await Problems.AssertProblemAsync(over, HttpStatusCode.Conflict, "/rules/practitioner-over-capacity"))["current"];
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new JsonObject { ["practitionerId"] = oliver, ["capacityAcknowledgement"] = current!.DeepClone() }, Ct))
            .EnsureSuccessStatusCode();

        var all = await client.GetFromJsonAsync<JsonArray>($"/api/v1/organisations/{NpsLondon}/practitioners", Ct);
        var available = await client.GetFromJsonAsync<JsonArray>($"/api/v1/organisations/{NpsLondon}/practitioners?available=true", Ct);

        Assert.Contains(all!, p => p!["id"]!.GetValue<Guid>() == oliver);
        Assert.DoesNotContain(available!, p => p!["id"]!.GetValue<Guid>() == oliver);
        Assert.NotEmpty(available!);
        var capacities = available!.Select(p => p!["capacityPercent"]!.GetValue<decimal>()).ToList();
        Assert.All(capacities, c => Assert.True(c < 100m));
        Assert.Equal(capacities.Order().ToList(), capacities);
    }

    [Fact]
    public async Task A_practitioner_of_another_organisation_cannot_be_named()
    {
        var client = NpsNwAllocator();
        var crn = await CreateCaseAsync(client);

        var response = await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = TomRileyCrcCgm }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "/rules/responsible-officer-outside-holder");
    }

    [Fact]
    public async Task A_negative_acknowledged_figure_is_a_400_naming_it()
    {
        var client = NpsNwAllocator();
        var crn = await CreateCaseAsync(client);

        var response = await client.PostAsJsonAsync(
            $"/api/v1/cases/{crn}/responsible-officer",
            new { practitionerId = GarethEvansNpsNw, capacityAcknowledgement = new { capacityPercent = -1, points = 0, availablePoints = 0, caseCount = 0 } },
            Ct);

        Problems.AssertNamesField(await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest), "capacityAcknowledgement.capacityPercent");
    }

    [Fact]
    public async Task Reference_data_fills_in_missing_weightings_and_targets_without_duplicating_any()
    {
        await app.InDatabaseAsync(async db =>
            await db.WorkloadWeightings.Where(w => w.Tier == "untiered").ExecuteDeleteAsync(Ct) + await db.GradeTargets.Where(t => t.Grade == CaseTransfer.Domain.Organisations.Grade.Spo).ExecuteDeleteAsync(Ct));
        var seeder = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Seeder>(app.Services);

        await seeder.SeedReferenceDataAsync(Ct);
        await seeder.SeedReferenceDataAsync(Ct);

        var (weightings, targets) = await app.InDatabaseAsync(async db => (await db.WorkloadWeightings.CountAsync(Ct), await db.GradeTargets.CountAsync(Ct)));
        Assert.Equal(ReferenceData.WorkloadWeightings.Count, weightings);
        Assert.Equal(ReferenceData.GradeTargets.Count, targets);
    }

    [Fact]
    public async Task Accepting_an_allocation_naming_someone_over_capacity_gives_the_figures_the_list_shows_and_counts_their_cases()
    {
        var connor = Staff("cgm-po-04");
        await SetAvailableHoursAsync(connor, 0.37m); // 21.76 available points: any case takes him over
        var provider = CgmCaseManager();
        var first = await ProposedToCgmAsync();

        var refused = await provider.PostAsJsonAsync($"/api/v1/allocations/{first}/accept", new { responsibleOfficerId = connor }, Ct);

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.Conflict, "/rules/practitioner-over-capacity");
        Assert.Contains("Connor Walsh", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var listed = await PractitionerAsync(provider, CrcGreaterManchester, connor);
        var current = problem["current"]!.AsObject();
        AssertSameFigures(listed, current);
        var casePoints = problem["casePoints"]!.GetValue<int>();
        Assert.True(casePoints > 0);
        Assert.Equal(current["caseCount"]!.GetValue<int>() + 1, problem["afterAssignment"]!["caseCount"]!.GetValue<int>());
        Assert.Equal(current["points"]!.GetValue<int>() + casePoints, problem["afterAssignment"]!["points"]!.GetValue<int>());
        Assert.True(problem["afterAssignment"]!["isOverCapacity"]!.GetValue<bool>());

        var accepted = await provider.PostAsJsonAsync(
            $"/api/v1/allocations/{first}/accept", new JsonObject { ["responsibleOfficerId"] = connor, ["capacityAcknowledgement"] = current.DeepClone() }, Ct);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync(Ct));

        // His next case counts the one he now holds, as the list does.
        var second = await ProposedToCgmAsync();
        var again = await Problems.AssertProblemAsync(
            await provider.PostAsJsonAsync($"/api/v1/allocations/{second}/accept", new { responsibleOfficerId = connor }, Ct),
            HttpStatusCode.Conflict,
            "/rules/practitioner-over-capacity");
        var now = again["current"]!.AsObject();
        AssertSameFigures(await PractitionerAsync(provider, CrcGreaterManchester, connor), now);
        Assert.Equal(current["caseCount"]!.GetValue<int>() + 1, now["caseCount"]!.GetValue<int>());
        Assert.Equal(current["points"]!.GetValue<int>() + casePoints, now["points"]!.GetValue<int>());
    }

    [Fact]
    public async Task Accepting_an_allocation_naming_someone_with_no_cases_counts_none()
    {
        var jade = Staff("cgm-pso-03");
        await SetAvailableHoursAsync(jade, 0.37m); // over capacity with one case, so the refusal shows what was counted
        var provider = CgmCaseManager();
        var allocation = await ProposedToCgmAsync();
        Assert.Equal(0, (await PractitionerAsync(provider, CrcGreaterManchester, jade))["caseloadCount"]!.GetValue<int>());

        var refused = await provider.PostAsJsonAsync($"/api/v1/allocations/{allocation}/accept", new { responsibleOfficerId = jade }, Ct);

        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.Conflict, "/rules/practitioner-over-capacity");
        Assert.Equal(0, problem["current"]!["caseCount"]!.GetValue<int>());
        Assert.Equal(0, problem["current"]!["points"]!.GetValue<int>());
        Assert.Equal(1, problem["afterAssignment"]!["caseCount"]!.GetValue<int>());
        Assert.Equal(problem["casePoints"]!.GetValue<int>(), problem["afterAssignment"]!["points"]!.GetValue<int>());
    }

    [Fact]
    public async Task Accepting_an_allocation_naming_an_officer_excluded_from_the_case_is_a_409_and_a_colleague_may_be_named()
    {
        var nps = NpsNwAllocator();
        var crn = await CreateCaseAsync(nps);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind = "Exclusion", staffCode = "cgm-pso-05" }, Ct)).EnsureSuccessStatusCode();
        var allocation = await ProposedToCgmAsync(nps, crn);
        var provider = CgmCaseManager();

        var refused = await provider.PostAsJsonAsync($"/api/v1/allocations/{allocation}/accept", new { responsibleOfficerId = Staff("cgm-pso-05") }, Ct);

        await Problems.AssertProblemAsync(refused, HttpStatusCode.Conflict, "/rules/practitioner-excluded");
        var accepted = await provider.PostAsJsonAsync($"/api/v1/allocations/{allocation}/accept", new { responsibleOfficerId = TomRileyCrcCgm }, Ct);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync(Ct));
    }

    private HttpClient CgmCaseManager() => app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    /// <summary>A new case the rules send to CRC-CGM, proposed to it; returns the allocation's id.</summary>
    private async Task<string> ProposedToCgmAsync()
    {
        var nps = NpsNwAllocator();
        var crn = await CreateCaseAsync(nps);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        return await ProposedToCgmAsync(nps, crn);
    }

    private static async Task<string> ProposedToCgmAsync(HttpClient nps, string crn)
    {
        var response = await nps.PostAsJsonAsync("/api/v1/allocations", new { crn, toOrganisation = CrcGreaterManchester, reason = "NewSentence" }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<string>();
    }

    /// <summary>The figures a refusal gives as current are those the practitioners list shows.</summary>
    private static void AssertSameFigures(JsonObject listed, JsonObject current)
    {
        Assert.Equal(listed["caseloadCount"]!.GetValue<int>(), current["caseCount"]!.GetValue<int>());
        Assert.Equal(listed["points"]!.GetValue<int>(), current["points"]!.GetValue<int>());
        Assert.Equal(listed["availablePoints"]!.GetValue<decimal>(), current["availablePoints"]!.GetValue<decimal>());
        Assert.Equal(listed["capacityPercent"]!.GetValue<decimal>(), current["capacityPercent"]!.GetValue<decimal>());
    }

    private async Task<string> CreateLicenceCaseAsync(HttpClient client, string area)
    {
        var crn = NewCrn();
        var body = NewCase(crn, area: area);
        body["sentence"]!["releaseDate"] = "2025-06-01";
        (await client.PostAsJsonAsync("/api/v1/cases", body, Ct)).EnsureSuccessStatusCode();
        return crn;
    }

    private static async Task AssignAsync(HttpClient client, string crn, Guid practitionerId) =>
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId }, Ct)).EnsureSuccessStatusCode();

    private static async Task<JsonObject> PractitionerAsync(HttpClient client, string organisation, Guid id)
    {
        var list = await client.GetFromJsonAsync<JsonArray>($"/api/v1/organisations/{organisation}/practitioners", JsonSerializerOptions.Web, Ct);
        return list!.Single(p => p!["id"]!.GetValue<Guid>() == id)!.AsObject();
    }

    /// <summary>The tier the allocation rules would compute; set directly so the figures do not depend on those rules.</summary>
    private Task SetTierAsync(string crn, string tier) => app.InDatabaseAsync(async db =>
    {
        var @case = await db.Cases.SingleAsync(c => c.Crn == Crn.Parse(crn), Ct);
        @case.RecordTier(tier, DateTimeOffset.UtcNow);
        return await db.SaveChangesAsync(Ct);
    });

    private Task SetAvailableHoursAsync(Guid practitionerId, decimal hours) => app.InDatabaseAsync(async db =>
    {
        var practitioner = await db.Practitioners.SingleAsync(p => p.Id == practitionerId, Ct);
        practitioner.RecordAvailableHours(hours);
        return await db.SaveChangesAsync(Ct);
    });
}

public sealed class WorkloadTestsOnSqlite(SqliteApp app) : WorkloadTests(app), IClassFixture<SqliteApp>;

public sealed class WorkloadTestsOnPostgres(PostgresApp app) : WorkloadTests(app), IClassFixture<PostgresApp>;
