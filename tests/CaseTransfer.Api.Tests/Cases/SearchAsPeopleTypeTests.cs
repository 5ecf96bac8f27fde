using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Cases;

/// <summary>
/// Search as people type (issue 12): PNC IDs in the forms people write them, forename short forms, and the other names
/// (aliases, known-as names) a case carries. Runs once per engine (see the sealed classes at the end).
/// </summary>
public abstract class SearchAsPeopleTypeTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private static int _serial = Random.Shared.Next(1_000_000, 9_000_000);

    /// <summary>A PNC ID of 2019 that no other case in this process has.</summary>
    private static (string Year, string Serial, char Check) NewPnc()
    {
        var serial = Interlocked.Increment(ref _serial).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        return ("2019", serial, PncId.CheckLetterFor("2019", serial));
    }

    private async Task<string> OpenAsync(string firstName, string lastName, string? pnc = null, JsonArray? otherNames = null)
    {
        var crn = NewCrn();
        var body = NewCase(crn, firstName, lastName);
        if (pnc is not null)
        {
            body["pncId"] = pnc;
        }

        if (otherNames is not null)
        {
            body["otherNames"] = otherNames;
        }

        var response = await NpsAllocator().PostAsJsonAsync("/api/v1/cases", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return crn;
    }

    private async Task<JsonArray> SearchAsync(string q, int limit = 100) =>
        (await NpsAllocator().GetFromJsonAsync<JsonObject>($"/api/v1/cases?q={Uri.EscapeDataString(q)}&limit={limit}", Ct))!["items"]!.AsArray();

    private static int PositionOf(JsonArray items, string crn) =>
        items.Select((item, index) => (Crn: item!["crn"]!.GetValue<string>(), index)).Where(x => x.Crn == crn).Select(x => x.index).DefaultIfEmpty(-1).First();

    [Fact]
    public async Task A_PNC_ID_is_found_in_full_without_leading_zeros_and_with_a_two_digit_year()
    {
        var (year, serial, check) = NewPnc();
        var crn = await OpenAsync("Nerys", "Pellow", $"{year}/{serial}{check}");
        var unpadded = serial.TrimStart('0');

        foreach (var q in new[] { $"{year}/{serial}{check}", $"{year}/{unpadded}{check}", $"{year[2..]}/{unpadded}{char.ToLowerInvariant(check)}", $"{year[2..]}/{serial}{check}" })
        {
            var items = await SearchAsync(q);
            var hit = Assert.Single(items, i => i!["crn"]!.GetValue<string>() == crn);
            Assert.Equal("pncId", hit!["matchedOn"]!.GetValue<string>());
            Assert.Equal(1.0, hit["score"]!.GetValue<double>());
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task A_query_that_is_only_a_PNC_ID_with_a_wrong_check_letter_is_a_400_saying_so(int yearDigits)
    {
        var (year, serial, check) = NewPnc();
        var wrong = check == 'A' ? 'B' : 'A';

        var response = await NpsAllocator().GetAsync($"/api/v1/cases?q={Uri.EscapeDataString($"{year[^yearDigits..]}/{serial}{wrong}")}", Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Problems.AssertNamesField(problem, "q");
        Assert.Contains("check letter", problem["errors"]!["q"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mike_Phillips_finds_Michael_Phillips_above_Phillip_McKee()
    {
        var mckee = await OpenAsync("Phillip", "McKee");
        var michael = await OpenAsync("Michael", "Phillips");

        var items = await SearchAsync("Mike Phillips");

        var at = PositionOf(items, michael);
        Assert.True(at >= 0, "Michael Phillips was not found");
        Assert.True(PositionOf(items, mckee) is var other && (other < 0 || other > at), $"Phillip McKee at {other}, Michael Phillips at {at}");
        Assert.True(items[at]!["score"]!.GetValue<double>() is > 0.95 and < 1.0);
    }

    [Fact]
    public async Task Bob_Heathbrook_finds_Robert_Heathbrook_above_John_Heathbrook_and_Robert_finds_Bob()
    {
        var john = await OpenAsync("John", "Heathbrook");
        var robert = await OpenAsync("Robert", "Heathbrook");
        var bob = await OpenAsync("Bob", "Heathbrook");

        var items = await SearchAsync("Bob Heathbrook");

        Assert.Equal([bob, robert, john], items.Select(i => i!["crn"]!.GetValue<string>()).Where(c => c == john || c == robert || c == bob));
        var byFullName = await SearchAsync("Robert Heathbrook");
        Assert.True(PositionOf(byFullName, bob) is var b && b >= 0 && b < PositionOf(byFullName, john), "Robert Heathbrook should find Bob above John");
    }

    [Fact]
    public async Task An_other_name_is_recorded_audited_with_an_event_shown_in_the_case_and_searched_like_the_name()
    {
        var client = NpsAllocator();
        var crn = await OpenAsync("Gideon", "Farrowmere");

        var response = await client.PostAsJsonAsync(
            $"/api/v1/cases/{crn}/other-names", new { kind = "Alias", firstName = "Gary", middleNames = (string?)null, lastName = "Thistlecombe" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var recorded = await response.ReadJsonAsync();
        Assert.Equal("Alias", recorded["otherName"]!["kind"]!.GetValue<string>());
        Assert.Equal("nw-spo-01", recorded["otherName"]!["recordedBy"]!.GetValue<string>());
        var summary = await (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();
        var shown = Assert.Single(summary["otherNames"]!.AsArray());
        Assert.Equal("Thistlecombe", shown!["name"]!["lastName"]!.GetValue<string>());

        var hit = Assert.Single(await SearchAsync("Gary Thistlecomb"), i => i!["crn"]!.GetValue<string>() == crn);
        Assert.Equal("otherName", hit!["matchedOn"]!.GetValue<string>());
        Assert.Equal("Gideon", hit["name"]!["firstName"]!.GetValue<string>());
        Assert.Contains(await SearchAsync("Gideon Farrowmere"), i => i!["crn"]!.GetValue<string>() == crn && i["matchedOn"]!.GetValue<string>() == "name");

        var (audits, events) = await app.InDatabaseAsync(async db => (
            await db.AuditEntries.Where(a => a.Crn == (Crn?)Crn.Parse(crn) && a.Action == "RecordOtherName").Select(a => a.Summary).ToListAsync(Ct),
            await db.OutboxMessages.CountAsync(o => o.Crn == crn && o.EventType == "case-transfer.case.other-name-recorded", Ct)));
        Assert.Equal("otherNames: +Alias", Assert.Single(audits));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task Other_names_given_when_the_case_is_opened_are_searched_and_shown()
    {
        var crn = await OpenAsync("Wilfred", "Ashcombe", otherNames: [new JsonObject { ["kind"] = "KnownAs", ["firstName"] = "Bunny", ["middleNames"] = null, ["lastName"] = "Quillfeather" }]);

        var summary = await (await NpsAllocator().GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();

        Assert.Equal(1, summary["version"]!.GetValue<long>());
        Assert.Equal("KnownAs", Assert.Single(summary["otherNames"]!.AsArray())!["kind"]!.GetValue<string>());
        Assert.Contains(await SearchAsync("Bunny Quillfeather"), i => i!["crn"]!.GetValue<string>() == crn && i["matchedOn"]!.GetValue<string>() == "otherName");
    }

    [Theory]
    [InlineData("Hester", "Brackenridge", "other-name-is-the-name")]
    [InlineData("Hetty", "Brack", "other-name-already-recorded")]
    public async Task An_other_name_that_is_no_new_name_is_a_409_naming_the_rule_and_writes_nothing(string firstName, string lastName, string rule)
    {
        var client = NpsAllocator();
        var crn = await OpenAsync("Hester", "Brackenridge", otherNames: [new JsonObject { ["kind"] = "KnownAs", ["firstName"] = "Hetty", ["middleNames"] = null, ["lastName"] = "Brack" }]);
        var before = await app.CountRowsAsync();

        var response = await client.PostAsJsonAsync($"/api/v1/cases/{crn}/other-names", new { kind = "Alias", firstName, lastName }, Ct);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, rule);
        Assert.Equal(before, await app.CountRowsAsync());
        var summary = await (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).ReadJsonAsync();
        Assert.Equal(1, summary["version"]!.GetValue<long>());
        Assert.Single(summary["otherNames"]!.AsArray());
    }

    [Fact]
    public async Task An_other_name_without_a_kind_or_surname_is_a_400_naming_each()
    {
        var crn = await OpenAsync("Orla", "Penhallow");

        var response = await NpsAllocator().PostAsJsonAsync($"/api/v1/cases/{crn}/other-names", new { firstName = "Orla" }, Ct);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Problems.AssertNamesField(problem, "kind");
        Problems.AssertNamesField(problem, "lastName");
    }

    [Fact]
    public async Task A_case_held_elsewhere_is_not_found_by_its_other_name()
    {
        var crn = await OpenAsync("Ambrose", "Kettleby", otherNames: [new JsonObject { ["kind"] = "Alias", ["firstName"] = "Ambrose", ["middleNames"] = null, ["lastName"] = "Vantreight" }]);
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

        var items = (await provider.GetFromJsonAsync<JsonObject>("/api/v1/cases?q=Ambrose%20Vantreight", Ct))!["items"]!.AsArray();

        Assert.DoesNotContain(items, i => i!["crn"]!.GetValue<string>() == crn);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.PostAsJsonAsync($"/api/v1/cases/{crn}/other-names", new { kind = "Alias", firstName = "A", lastName = "B" }, Ct)).StatusCode);
    }
}

public sealed class SearchAsPeopleTypeTestsOnSqlite(SqliteApp app) : SearchAsPeopleTypeTests(app), IClassFixture<SqliteApp>;

public sealed class SearchAsPeopleTypeTestsOnPostgres(PostgresApp app) : SearchAsPeopleTypeTests(app), IClassFixture<PostgresApp>;
