using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Search;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Cases;

/// <summary>Case records over HTTP. Runs once per engine (see the sealed classes at the end).</summary>
public abstract class CaseRecordTests(CaseTransferApp app)
{
    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    [Fact]
    public async Task Opening_a_case_gives_it_to_the_NPS_region_covering_its_area_with_audit_and_event()
    {
        var client = NpsAllocator();
        var crn = NewCrn();

        var response = await client.PostAsJsonAsync("/api/v1/cases", NewCase(crn), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/cases/{crn}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var summary = await (await client.GetAsync($"/api/v1/cases/{crn}", TestContext.Current.CancellationToken)).ReadJsonAsync();
        Assert.Equal(NpsNorthWest, summary["holder"]!["code"]!.GetValue<string>());
        Assert.Equal("2029-06-01", summary["keyDates"]!["nextReleaseDate"]!.GetValue<string>());
        var (audits, events) = await app.InDatabaseAsync(async db => (
            await db.AuditEntries.CountAsync(a => a.Crn == (CaseTransfer.Domain.Identifiers.Crn?)CaseTransfer.Domain.Identifiers.Crn.Parse(crn) && a.Action == "CreateCase"),
            await db.OutboxMessages.CountAsync(o => o.Crn == crn && o.EventType == "case-transfer.case.opened")));
        Assert.Equal(1, audits);
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task The_case_summary_gives_the_whole_picture_in_one_request()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = PriyaPatelNpsNw }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var response = await client.GetAsync($"/api/v1/cases/{crn}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"3\"", response.Headers.ETag?.Tag);
        var summary = await response.ReadJsonAsync();
        Assert.Equal("NPS North West", summary["holder"]!["name"]!.GetValue<string>());
        Assert.Equal("Priya Patel", summary["responsibleOfficer"]!["name"]!.GetValue<string>());
        Assert.Equal("High", summary["currentRisk"]!["riskOfSeriousHarm"]!.GetValue<string>());
        Assert.Equal("B2", summary["currentRisk"]!["tier"]!.GetValue<string>());
        Assert.Equal(0, summary["pending"]!["total"]!.GetValue<int>());
        Assert.Equal($"/api/v1/cases/{crn}/holders", summary["links"]!["holders"]!.GetValue<string>());
        var holders = await client.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/holders", TestContext.Current.CancellationToken);
        Assert.Equal(2, holders!.Count);
        Assert.NotNull(holders[0]!["to"]);
        Assert.Null(holders[1]!["to"]);
    }

    [Fact]
    public async Task A_case_held_by_another_organisation_is_not_found_and_never_searched()
    {
        var crn = await CreateCaseAsync(NpsAllocator(), lastName: "Quixley");
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);
        var otherRegion = app.ClientFor(NpsLondon, "ldn-spo-01", Roles.Allocator);

        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/api/v1/cases/{crn}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherRegion.GetAsync($"/api/v1/cases/{crn}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync("/api/v1/cases/Y999999", TestContext.Current.CancellationToken)).StatusCode);
        var search = await provider.GetFromJsonAsync<JsonObject>($"/api/v1/cases?q={crn}", TestContext.Current.CancellationToken);
        Assert.Empty(search!["items"]!.AsArray());
        var byName = await provider.GetFromJsonAsync<JsonObject>("/api/v1/cases?q=John%20Quixley", TestContext.Current.CancellationToken);
        Assert.Empty(byName!["items"]!.AsArray());
    }

    [Fact]
    public async Task Search_finds_Jon_Smyth_for_John_Smith()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client, firstName: "John", lastName: "Smith");

        var result = await client.GetFromJsonAsync<JsonObject>("/api/v1/cases?q=Jon%20Smyth&limit=100", TestContext.Current.CancellationToken);

        var hit = result!["items"]!.AsArray().FirstOrDefault(i => i!["crn"]!.GetValue<string>() == crn);
        Assert.NotNull(hit);
        Assert.True(hit["score"]!.GetValue<double>() > 0.8);
    }

    [Fact]
    public async Task Search_finds_two_typos_in_one_name_part_among_more_people_sharing_the_other_part_than_it_ranks()
    {
        // More Vexlowes than the candidate limit, all with earlier CRNs: "Clalu" shares no key with "Callum", so only
        // the scorer can tell him apart from them.
        var now = DateTimeOffset.UtcNow;
        var area = ReferenceData.Areas.Single(a => a.Code == "GMAN");
        var sentenced = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-10);
        string[] forenames = ["Anna", "Ben", "Dora", "Eve", "Finn", "Gwen", "Hugo", "Ivy", "Omar", "Ruth"];
        var people = Enumerable.Range(0, SearchCasesHandler.CandidateLimit + 20)
            .Select(i => (Crn: $"Z5{i:D5}", Forename: forenames[i % forenames.Length]))
            .Append((Crn: "Z599999", Forename: "Callum"));
        await app.InDatabaseAsync(async db =>
        {
            foreach (var (crn, forename) in people)
            {
                var @case = Case.Open(
                    Guid.CreateVersion7(now), Crn.Parse(crn), forename, null, "Vexlowe", new DateOnly(1990, 1, 1), null, null, area,
                    new Sentence(SentenceType.CommunityOrder, sentenced, sentenced, sentenced.AddMonths(12), null, null), [], now);
                db.Cases.Add(@case);
                db.CaseNameKeys.AddRange(NameKeys.ForName(@case.Forenames, @case.LastName).Select(k => new CaseNameKey(@case.Id, k)));
            }

            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        var result = await NpsAllocator().GetFromJsonAsync<JsonObject>("/api/v1/cases?q=Clalu%20Vexlowe&limit=5", TestContext.Current.CancellationToken);

        Assert.Equal("Z599999", result!["items"]![0]!["crn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Migrating_a_database_written_before_pair_keys_gives_every_case_its_pair_keys()
    {
        var crn = Crn.Parse(await CreateCaseAsync(NpsAllocator(), firstName: "Maud", lastName: "Quenby"));
        var (from, to) = NameKeys.PairRange;
        var (forenameFrom, forenameTo) = NameKeys.ForenamePairRange;
        await app.InDatabaseAsync(db => db.CaseNameKeys
            .Where(k => (string.Compare(k.Key, from) >= 0 && string.Compare(k.Key, to) < 0)
                || (string.Compare(k.Key, forenameFrom) >= 0 && string.Compare(k.Key, forenameTo) < 0))
            .ExecuteDeleteAsync(TestContext.Current.CancellationToken));

        await ActivatorUtilities.CreateInstance<Seeder>(app.Services).MigrateAsync(TestContext.Current.CancellationToken);

        var keys = await app.InDatabaseAsync(db => db.CaseNameKeys
            .Where(k => db.Cases.Any(c => c.Id == k.CaseId && c.Crn == crn))
            .Select(k => k.Key)
            .ToListAsync(TestContext.Current.CancellationToken));
        Assert.Contains("xmt:quenby", keys);
        Assert.Contains("wqt:maud", keys);
        Assert.Contains("t:quenby", keys);
    }
}

public sealed class CaseRecordTestsOnSqlite(SqliteApp app) : CaseRecordTests(app), IClassFixture<SqliteApp>;

public sealed class CaseRecordTestsOnPostgres(PostgresApp app) : CaseRecordTests(app), IClassFixture<PostgresApp>;
