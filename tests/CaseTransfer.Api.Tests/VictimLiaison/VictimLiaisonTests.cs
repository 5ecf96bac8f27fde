using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Escalations.EscalationScenario;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;
using static CaseTransfer.Api.Tests.VictimLiaison.VictimLiaisonScenario;

namespace CaseTransfer.Api.Tests.VictimLiaison;

/// <summary>
/// Victim liaison over HTTP: the NPS unit records conditions and a contact reference on a case a provider holds, the
/// provider sees them in the one request for the case, and the victims' own details stay with the unit. Runs once per engine.
/// </summary>
public abstract class VictimLiaisonTests(CaseTransferApp app)
{
    private readonly VictimLiaisonScenario _scenario = new(app);

    private static async Task<JsonObject> SummaryAsync(HttpClient client, string crn)
    {
        var response = await client.GetAsync($"/api/v1/cases/{crn}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task The_holding_provider_sees_the_units_conditions_and_contact_reference_in_the_case_summary()
    {
        var crn = await _scenario.Escalations.ProviderHeldCaseAsync();
        var summaryBefore = await SummaryAsync(_scenario.Holder(), crn);
        Assert.Null(summaryBefore["victimLiaison"]);

        var response = await _scenario.Unit().PostAsJsonAsync($"/api/v1/cases/{crn}/victim-conditions", ExclusionZone(), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.True(response.Headers.Contains("Audit-Receipt"));
        var zone = await response.ReadJsonAsync();
        Assert.Equal(("ExclusionZone", "Salford Quays", true, Nps), (zone["kind"]!.GetValue<string>(), zone["place"]!.GetValue<string>(), zone["current"]!.GetValue<bool>(), zone["recordedByOrganisation"]!.GetValue<string>()));
        await _scenario.RecordConditionAsync(crn, NoContact());
        await _scenario.SetContactReferenceAsync(crn, "VLU-NW/2026/0042");

        var liaison = (await SummaryAsync(_scenario.Holder(), crn))["victimLiaison"]!;
        Assert.Equal("VLU-NW/2026/0042", liaison["contactReference"]!.GetValue<string>());
        Assert.Equal(["ExclusionZone", "NoContact"], liaison["conditions"]!.AsArray().Select(c => c!["kind"]!.GetValue<string>()));

        var listed = await _scenario.Holder().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/victim-conditions", Ct);
        Assert.Equal(2, listed!.Count);

        // The unit's work does not touch the holder's case record: its version (the ETag) is unchanged.
        Assert.Equal(summaryBefore["version"]!.GetValue<long>(), (await SummaryAsync(_scenario.Holder(), crn))["version"]!.GetValue<long>());

        var events = await _scenario.Escalations.EventsAsync(crn);
        Assert.Equal(2, events.Count(e => e == "case-transfer.victim-condition.recorded"));
        Assert.Contains("case-transfer.victim-liaison.contact-reference-set", events);
    }

    [Fact]
    public async Task Ending_a_condition_takes_it_out_of_the_summary_and_ending_it_again_is_a_conflict()
    {
        var crn = await _scenario.Escalations.ProviderHeldCaseAsync();
        var zone = await _scenario.RecordConditionAsync(crn, ExclusionZone());
        var end = $"/api/v1/cases/{crn}/victim-conditions/{Id(zone)}/end";

        await AssertProblemAsync(await _scenario.Unit().SendAsync(Post(end, null, "\"7\""), Ct), HttpStatusCode.PreconditionFailed);
        var ended = await DoneAsync(await _scenario.Unit().SendAsync(Post(end, null, "\"1\""), Ct));

        Assert.Equal((false, "vlu-01", 2L), (ended["current"]!.GetValue<bool>(), ended["endedBy"]!.GetValue<string>(), ended["version"]!.GetValue<long>()));
        Assert.Null((await SummaryAsync(_scenario.Holder(), crn))["victimLiaison"]);
        var listed = await _scenario.Holder().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/victim-conditions", Ct);
        Assert.False(Assert.Single(listed!)!["current"]!.GetValue<bool>());
        await AssertProblemAsync(await _scenario.Unit().SendAsync(Post(end, null), Ct), HttpStatusCode.Conflict, "victim-condition-already-ended");
        await AssertProblemAsync(
            await _scenario.Unit().SendAsync(Post($"/api/v1/cases/{crn}/victim-conditions/{Guid.NewGuid()}/end", null), Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_NPS_unit_records_conditions_and_the_contact_reference()
    {
        var crn = await _scenario.Escalations.ProviderHeldCaseAsync();
        var providerWithTheRole = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager, Roles.VictimLiaison);

        foreach (var client in new[] { _scenario.Holder(), providerWithTheRole, _scenario.Escalations.NpsAllocator() })
        {
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/v1/cases/{crn}/victim-conditions", ExclusionZone(), Ct), HttpStatusCode.Forbidden);
            await AssertProblemAsync(await client.PutAsJsonAsync($"/api/v1/cases/{crn}/victim-contact", new { reference = "VLU-1234" }, Ct), HttpStatusCode.Forbidden);
        }

        // A region's unit works nationally too: the case is held by a provider, not by the region.
        await _scenario.RecordConditionAsync(crn, NoContact());
        var regional = await _scenario.Unit(NpsLondon).PostAsJsonAsync($"/api/v1/cases/{crn}/victim-conditions", NoContact(), Ct);
        Assert.Equal(HttpStatusCode.Created, regional.StatusCode);
        await AssertProblemAsync(await _scenario.Unit().PostAsJsonAsync($"/api/v1/cases/{NewCrn()}/victim-conditions", NoContact(), Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_conditions_are_read_by_whoever_reads_the_case_and_the_unit_but_not_by_another_provider()
    {
        var crn = await _scenario.Escalations.ProviderHeldCaseAsync();
        await _scenario.RecordConditionAsync(crn, ExclusionZone());

        Assert.Single((await _scenario.Unit().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/victim-conditions", Ct))!);
        await AssertProblemAsync(
            await app.ClientFor(CrcLondon, "ldn-po-01", Roles.CaseManager).GetAsync($"/api/v1/cases/{crn}/victim-conditions", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(
            await app.ClientFor(CrcLondon, "ldn-po-01", Roles.VictimLiaison).GetAsync($"/api/v1/cases/{crn}/victim-conditions", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_provider_never_reads_a_victims_details()
    {
        var crn = await _scenario.Escalations.ProviderHeldCaseAsync();
        var recorded = await _scenario.RecordVictimAsync(crn, new { name = "Ann Example", address = "1 Example Street", phone = "0161 496 0000", email = "ann@example.org", relationship = "Former partner", notes = (string?)null });
        Assert.Null(recorded["name"]);

        var read = await _scenario.Unit().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/victims", Ct);
        Assert.Equal("Ann Example", Assert.Single(read!)!["name"]!.GetValue<string>());

        var unknown = await AssertProblemAsync(await _scenario.Unit().GetAsync($"/api/v1/cases/{NewCrn()}/victims", Ct), HttpStatusCode.NotFound);
        foreach (var client in new[]
        {
            _scenario.Holder(),
            app.ClientFor(CrcGreaterManchester, "cgm-po-02", [.. Roles.All]),
            _scenario.Escalations.NpsAllocator(),
            app.ClientFor(Nps, "nps-admin", Roles.Admin, Roles.Auditor),
        })
        {
            var refused = await AssertProblemAsync(await client.GetAsync($"/api/v1/cases/{crn}/victims", Ct), HttpStatusCode.NotFound);
            Assert.Equal(unknown["title"]!.GetValue<string>(), refused["title"]!.GetValue<string>());
            await AssertProblemAsync(await client.PostAsJsonAsync($"/api/v1/cases/{crn}/victims", new { name = "Someone" }, Ct), HttpStatusCode.NotFound);
        }

        var entries = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Crn == (Domain.Identifiers.Crn?)Domain.Identifiers.Crn.Parse(crn) && (e.Action == "RecordVictim" || e.Action == "GetVictims"))
            .OrderBy(e => e.Sequence).ToListAsync(Ct));
        Assert.Equal(["RecordVictim", "GetVictims"], entries.Select(e => e.Action));
        Assert.Equal("victims: +1 (name, address, phone, email, relationship)", entries[0].Summary);
        Assert.Equal(Domain.Auditing.AuditOperation.Consultation, entries[1].Operation);
    }

    [Fact]
    public async Task A_malformed_victim_liaison_request_names_the_field()
    {
        var crn = await _scenario.Escalations.ProviderHeldCaseAsync();
        var unit = _scenario.Unit();
        var conditions = $"/api/v1/cases/{crn}/victim-conditions";

        AssertNamesField(await AssertProblemAsync(await unit.PostAsJsonAsync(conditions, new { kind = "Curfew", description = "x", startsOn = "2026-01-01" }, Ct), HttpStatusCode.BadRequest), "kind");
        AssertNamesField(await AssertProblemAsync(await unit.PostAsJsonAsync(conditions, ExclusionZone(place: ""), Ct), HttpStatusCode.BadRequest), "place");
        AssertNamesField(await AssertProblemAsync(await unit.PostAsJsonAsync(conditions, ExclusionZone(description: new string('x', 1001)), Ct), HttpStatusCode.BadRequest), "description");
        var backwards = NoContact();
        backwards["endsOn"] = "2025-12-31";
        AssertNamesField(await AssertProblemAsync(await unit.PostAsJsonAsync(conditions, backwards, Ct), HttpStatusCode.BadRequest), "endsOn");
        var undated = NoContact();
        undated.Remove("startsOn");
        AssertNamesField(await AssertProblemAsync(await unit.PostAsJsonAsync(conditions, undated, Ct), HttpStatusCode.BadRequest), "startsOn");
        AssertNamesField(await AssertProblemAsync(await unit.PutAsJsonAsync($"/api/v1/cases/{crn}/victim-contact", new { reference = "vlu 1" }, Ct), HttpStatusCode.BadRequest), "reference");
        AssertNamesField(await AssertProblemAsync(await unit.PostAsJsonAsync($"/api/v1/cases/{crn}/victims", new { address = "1 Example Street" }, Ct), HttpStatusCode.BadRequest), "name");
        AssertNamesField(await AssertProblemAsync(await unit.PostAsJsonAsync($"/api/v1/cases/{crn}/victims", new { name = "Ann", email = "not an address" }, Ct), HttpStatusCode.BadRequest), "email");
        AssertNamesField(await AssertProblemAsync(await unit.GetAsync("/api/v1/cases/x1/victims", Ct), HttpStatusCode.BadRequest), "crn");
    }
}

public sealed class VictimLiaisonTestsOnSqlite(SqliteApp app) : VictimLiaisonTests(app), IClassFixture<SqliteApp>;

public sealed class VictimLiaisonTestsOnPostgres(PostgresApp app) : VictimLiaisonTests(app), IClassFixture<PostgresApp>;
