using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Cases;

/// <summary>Exclusion and restriction lists over HTTP: who sees the case, who may hold it, and who may change the lists.</summary>
public abstract class AccessLimitTests(CaseTransferApp app)
{
    private static int _surnames;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Allocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private HttpClient Staff(string userId) => app.ClientFor(NpsNorthWest, userId, Roles.CaseManager);

    /// <summary>A surname no other case in this database has, so a search by the exact name finds one person.</summary>
    private static string UniqueSurname()
    {
        var n = Interlocked.Increment(ref _surnames) + (Random.Shared.Next(1, 1000) * 100);
        var letters = new string([.. n.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => (char)('a' + (d - '0')))]);
        return "Quarr" + letters;
    }

    [Fact]
    public async Task An_excluded_member_of_staff_gets_404_and_never_finds_the_case_while_colleagues_still_do()
    {
        var surname = UniqueSurname();
        var crn = await CreateCaseAsync(Allocator(), firstName: "Rowena", lastName: surname);
        var excluded = Staff("nw-po-02");
        var colleague = Staff("nw-pso-03");

        var limit = await AddAsync(Allocator(), crn, "Exclusion", "nw-po-02");

        Assert.Equal(HttpStatusCode.NotFound, (await excluded.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await excluded.GetAsync($"/api/v1/cases/{crn}/risk-assessments", Ct)).StatusCode);
        Assert.False(await FindsAsync(excluded, $"Rowena {surname}", crn));
        Assert.False(await FindsAsync(excluded, crn, crn));
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.True(await FindsAsync(colleague, $"Rowena {surname}", crn));

        (await Allocator().PostAsync($"/api/v1/cases/{crn}/access-limits/{limit}/remove", null, Ct)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await excluded.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.True(await FindsAsync(excluded, $"Rowena {surname}", crn));
    }

    [Fact]
    public async Task A_restricted_case_is_seen_only_by_the_staff_named_until_the_list_is_lifted()
    {
        var surname = UniqueSurname();
        var crn = await CreateCaseAsync(Allocator(), firstName: "Rowena", lastName: surname);
        var keeper = await AddAsync(Allocator(), crn, "Restriction", "nw-spo-01");
        var named = await AddAsync(Allocator(), crn, "Restriction", "nw-po-02");
        var other = Staff("nw-pso-03");

        Assert.Equal(HttpStatusCode.OK, (await Staff("nw-po-02").GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.False(await FindsAsync(other, $"Rowena {surname}", crn));

        var selfFirst = await Allocator().PostAsync($"/api/v1/cases/{crn}/access-limits/{keeper}/remove", null, Ct);
        await Problems.AssertProblemAsync(selfFirst, HttpStatusCode.Conflict, "/rules/restriction-would-lock-out-caller");
        (await Allocator().PostAsync($"/api/v1/cases/{crn}/access-limits/{named}/remove", null, Ct)).EnsureSuccessStatusCode();
        (await Allocator().PostAsync($"/api/v1/cases/{crn}/access-limits/{keeper}/remove", null, Ct)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.True(await FindsAsync(other, $"Rowena {surname}", crn));
        var history = await Allocator().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/access-limits", Ct);
        Assert.Equal(2, history!.Count);
        Assert.All(history, l => Assert.False(l!["active"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task An_excluded_practitioner_cannot_be_made_responsible_officer()
    {
        var crn = await CreateCaseAsync(Allocator());
        await AddAsync(Allocator(), crn, "Exclusion", "nw-po-02");

        var response = await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = GarethEvansNpsNw }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "/rules/practitioner-excluded");
    }

    [Fact]
    public async Task On_a_restricted_case_only_a_practitioner_on_the_list_can_be_made_responsible_officer()
    {
        var crn = await CreateCaseAsync(Allocator());
        await AddAsync(Allocator(), crn, "Restriction", "nw-spo-01");

        var refused = await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = GarethEvansNpsNw }, Ct);
        var allowed = await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = PriyaPatelNpsNw }, Ct);

        await Problems.AssertProblemAsync(refused, HttpStatusCode.Conflict, "/rules/practitioner-not-on-restriction-list");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task The_responsible_officer_cannot_be_excluded_and_a_restriction_must_name_its_keeper()
    {
        var crn = await CreateCaseAsync(Allocator());
        (await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = GarethEvansNpsNw }, Ct)).EnsureSuccessStatusCode();

        var excludeOfficer = await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind = "Exclusion", staffCode = "nw-po-02" }, Ct);
        var lockOut = await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind = "Restriction", staffCode = "nw-po-02" }, Ct);

        await Problems.AssertProblemAsync(excludeOfficer, HttpStatusCode.Conflict, "/rules/responsible-officer-excluded");
        await Problems.AssertProblemAsync(lockOut, HttpStatusCode.Conflict, "/rules/restriction-would-lock-out-caller");
    }

    [Fact]
    public async Task Restricting_a_case_names_its_responsible_officer_too_and_keeps_them_on_the_list_while_they_hold_it()
    {
        var crn = await CreateCaseAsync(Allocator());
        (await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = GarethEvansNpsNw }, Ct)).EnsureSuccessStatusCode();

        var response = await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind = "Restriction", staffCode = "nw-spo-01" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("nw-spo-01", body!["staffCode"]!.GetValue<string>());
        var officer = body["responsibleOfficerLimit"]!;
        Assert.Equal(("Restriction", "nw-po-02", "nw-spo-01"), (officer["kind"]!.GetValue<string>(), officer["staffCode"]!.GetValue<string>(), officer["addedBy"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await Staff("nw-po-02").GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Staff("nw-pso-03").GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        var list = await Allocator().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/access-limits", Ct);
        Assert.Equal(["nw-po-02", "nw-spo-01"], list!.Select(l => l!["staffCode"]!.GetValue<string>()).Order());

        var takeOff = await Allocator().PostAsync($"/api/v1/cases/{crn}/access-limits/{officer["id"]!.GetValue<Guid>()}/remove", null, Ct);

        await Problems.AssertProblemAsync(takeOff, HttpStatusCode.Conflict, "/rules/restriction-would-lock-out-responsible-officer");
        Assert.Equal(HttpStatusCode.OK, (await Staff("nw-po-02").GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "AddAccessLimit", Ct));
        Assert.Equal("accessLimits: +Restriction nw-spo-01, +Restriction nw-po-02 (responsible officer)", entry.Summary);
        var events = await app.InDatabaseAsync(db => db.OutboxMessages.CountAsync(o => o.Crn == crn && o.EventType == "case-transfer.case.access-limits-changed", Ct));
        Assert.Equal(2, events);

        // The keeper taking themselves off last lifts the list, the officer's entry with theirs.
        var lift = await Allocator().PostAsync($"/api/v1/cases/{crn}/access-limits/{body["id"]!.GetValue<Guid>()}/remove", null, Ct);

        Assert.Equal(HttpStatusCode.OK, lift.StatusCode);
        var lifted = await lift.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.False(lifted!["active"]!.GetValue<bool>());
        Assert.Equal(("nw-po-02", false), (lifted["responsibleOfficerLimit"]!["staffCode"]!.GetValue<string>(), lifted["responsibleOfficerLimit"]!["active"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.OK, (await Staff("nw-pso-03").GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        var removal = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "RemoveAccessLimit", Ct));
        Assert.Equal("accessLimits: -Restriction nw-spo-01, -Restriction nw-po-02 (responsible officer)", removal.Summary);
    }

    [Fact]
    public async Task A_change_to_the_lists_moves_the_case_version_and_is_audited_as_an_alteration()
    {
        var client = Allocator();
        var crn = await CreateCaseAsync(client);

        var response = await client.PostAsJsonAsync(
            $"/api/v1/cases/{crn}/access-limits", new { kind = "Exclusion", staffCode = "nw-pso-03", reason = "Knows the family" }, Ct);
        var stale = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{crn}/access-limits")
        {
            Content = JsonContent.Create(new { kind = "Exclusion", staffCode = "nw-po-04" }),
            Headers = { { "If-Match", "\"1\"" } },
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(crn) && e.Action == "AddAccessLimit", Ct));
        Assert.Equal(AuditOperation.Alteration, entry.Operation);
        Assert.Equal("accessLimits: +Exclusion nw-pso-03", entry.Summary);
        var events = await app.InDatabaseAsync(db => db.OutboxMessages.CountAsync(o => o.Crn == crn && o.EventType == "case-transfer.case.access-limits-changed", Ct));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task Only_the_holding_organisation_can_read_or_change_the_lists()
    {
        var crn = await CreateCaseAsync(Allocator());
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-spo-01", Roles.Allocator, Roles.Manager);
        var auditor = app.ClientFor(NpsNorthWest, "nw-aud-01", Roles.Auditor);

        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/api/v1/cases/{crn}/access-limits", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind = "Exclusion", staffCode = "nw-po-02" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync($"/api/v1/cases/{crn}/access-limits", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_bad_access_limit_is_a_400_naming_each_field()
    {
        var crn = await CreateCaseAsync(Allocator());

        var response = await Allocator().PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { staffCode = "not a user id" }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Problems.AssertNamesField(problem, "kind");
        Problems.AssertNamesField(problem, "staffCode");
    }

    private static async Task<Guid> AddAsync(HttpClient client, string crn, string kind, string staffCode)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind, staffCode }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.ReadJsonAsync())["id"]!.GetValue<Guid>();
    }

    private static async Task<bool> FindsAsync(HttpClient client, string q, string crn)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases?q={Uri.EscapeDataString(q)}&limit=100", Ct);
        return page!["items"]!.AsArray().Any(i => i!["crn"]!.GetValue<string>() == crn);
    }
}

public sealed class AccessLimitTestsOnSqlite(SqliteApp app) : AccessLimitTests(app), IClassFixture<SqliteApp>;

public sealed class AccessLimitTestsOnPostgres(PostgresApp app) : AccessLimitTests(app), IClassFixture<PostgresApp>;
