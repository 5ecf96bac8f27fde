using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.AspNetCore.Hosting;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Events;

/// <summary>
/// The events feed over HTTP: the webhook stream for partners who poll, oldest first, resumable from any event, and
/// only what the caller's organisation may hear of. Runs once per engine.
/// </summary>
public abstract class EventFeedTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private HttpClient Provider() => app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    private HttpClient PartnerOf(string organisation) => app.ClientFor(organisation, $"{organisation.ToLowerInvariant()}-partner", Roles.PartnerSystem);

    /// <summary>A case held by NPS North West in Greater Manchester whose facts the rules send to CRC-CGM.</summary>
    private static async Task<string> CaseForTheProviderAsync(HttpClient nps)
    {
        var crn = await CreateCaseAsync(nps);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        return crn;
    }

    /// <summary>NPS North West proposes the case to CRC-CGM, which accepts: the case moves.</summary>
    private async Task MoveToTheProviderAsync(HttpClient nps, string crn)
    {
        var proposed = await nps.PostAsJsonAsync("/api/v1/allocations", new JsonObject { ["crn"] = crn, ["toOrganisation"] = CrcGreaterManchester, ["reason"] = "NewSentence" }, Ct);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var id = (await proposed.ReadJsonAsync())["id"]!.GetValue<string>();
        var accepted = await Provider().PostAsJsonAsync($"/api/v1/allocations/{id}/accept", new { responsibleOfficerId = TomRileyCrcCgm }, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    /// <summary>Every event from after <paramref name="after"/> to the end, page by page, and the cursor to poll from next.</summary>
    internal static async Task<(List<JsonObject> Items, string? Cursor)> ReadToEndAsync(HttpClient client, string? after, int limit = 1000)
    {
        var items = new List<JsonObject>();
        var cursor = after;
        while (true)
        {
            var page = await ReadPageAsync(client, cursor, limit);
            var pageItems = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            Assert.True(pageItems.Count <= limit);
            items.AddRange(pageItems);
            cursor = page["nextCursor"]?.GetValue<string>();
            Assert.Equal(pageItems.Count > 0 ? pageItems[^1]["cursor"]!.GetValue<string>() : after ?? cursor, cursor);
            if (pageItems.Count < limit)
            {
                return (items, cursor);
            }

            after = cursor;
        }
    }

    /// <summary>
    /// Reads from <paramref name="after"/> to the end until <paramref name="until"/> holds of what was read. On PostgreSQL
    /// an event is served once every transaction older than its own has ended, anywhere on the server, so a commit
    /// reaches the feed a moment later while other work runs.
    /// </summary>
    internal static async Task<(List<JsonObject> Items, string? Cursor)> ReadUntilAsync(HttpClient client, string? after, Func<List<JsonObject>, bool> until)
    {
        for (var attempt = 0; ; attempt++)
        {
            var read = await ReadToEndAsync(client, after);
            if (until(read.Items) || attempt == 100)
            {
                return read;
            }

            await Task.Delay(100, Ct);
        }
    }

    private static Func<List<JsonObject>, bool> Has(string crn, string eventType) =>
        items => items.Any(i => Crn(i) == crn && i["eventType"]!.GetValue<string>() == eventType);

    private static async Task<JsonObject> ReadPageAsync(HttpClient client, string? after, int limit)
    {
        var response = await client.GetAsync($"/api/v1/events?limit={limit}{(after is null ? "" : $"&after={after}")}", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    private static List<string> Types(IEnumerable<JsonObject> items, string crn) =>
        [.. items.Where(i => Crn(i) == crn).Select(i => i["eventType"]!.GetValue<string>())];

    private static string? Crn(JsonObject item) => item["personReference"]?["identifiers"]?[0]?["value"]?.GetValue<string>();

    [Fact]
    public async Task A_case_s_events_come_oldest_first_as_the_webhook_envelope_with_their_id_as_the_cursor()
    {
        var partner = PartnerOf(NpsNorthWest);
        var (_, start) = await ReadToEndAsync(partner, null);
        var nps = NpsAllocator();

        var crn = await CaseForTheProviderAsync(nps);

        var (items, cursor) = await ReadUntilAsync(partner, start, Has(crn, "case-transfer.risk-assessment.recorded"));
        Assert.Equal(["case-transfer.case.opened", "case-transfer.risk-assessment.recorded"], Types(items, crn));
        var opened = items.First(i => Crn(i) == crn);
        Assert.Equal(1, opened["version"]!.GetValue<int>());
        Assert.Equal($"/api/v1/cases/{crn}", opened["detailUrl"]!.GetValue<string>());
        Assert.Equal("CRN", opened["personReference"]!["identifiers"]![0]!["type"]!.GetValue<string>());
        Assert.True(Guid.TryParse(opened["id"]!.GetValue<string>(), out _));
        Assert.Equal(opened["id"]!.GetValue<string>(), opened["cursor"]!.GetValue<string>());
        Assert.Equal(items[^1]["cursor"]!.GetValue<string>(), cursor);

        // Caught up: an empty page still says where to poll from.
        var empty = await ReadPageAsync(partner, cursor, 10);
        Assert.Empty(empty["items"]!.AsArray());
        Assert.Equal(cursor, empty["nextCursor"]!.GetValue<string>());
    }

    [Fact]
    public async Task Detail_URLs_are_absolute_under_the_configured_public_base_URL()
    {
        var nps = NpsAllocator();
        var (_, start) = await ReadToEndAsync(PartnerOf(NpsNorthWest), null);
        var crn = await CreateCaseAsync(nps);
        await using var configured = app.WithWebHostBuilder(b => b.UseSetting("Api:PublicBaseUrl", "https://case-transfer.example/"));
        using var partner = configured.CreateClient();
        partner.DefaultRequestHeaders.Authorization = new("Bearer", app.TokenFor(NpsNorthWest, "nw-partner", [Roles.PartnerSystem]));

        var (items, _) = await ReadUntilAsync(partner, start, Has(crn, "case-transfer.case.opened"));

        Assert.Equal($"https://case-transfer.example/api/v1/cases/{crn}", items.Single(i => Crn(i) == crn)["detailUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Paging_with_any_limit_from_any_event_reads_the_same_stream_as_one_read()
    {
        var partner = PartnerOf(NpsNorthWest);
        var (_, start) = await ReadToEndAsync(partner, null);
        var nps = NpsAllocator();
        var last = "";
        for (var i = 0; i < 3; i++)
        {
            last = await CaseForTheProviderAsync(nps);
        }

        // Later reads may run further (events of other work reaching the feed meanwhile), never differently.
        var (whole, _) = await ReadUntilAsync(partner, start, Has(last, "case-transfer.risk-assessment.recorded"));
        Assert.True(whole.Count >= 6);
        var ids = whole.Select(i => i["id"]!.GetValue<string>()).ToList();
        foreach (var limit in new[] { 1, 2, 5 })
        {
            var (paged, _) = await ReadToEndAsync(partner, start, limit);
            Assert.Equal(ids, paged.Select(i => i["id"]!.GetValue<string>()).Take(ids.Count));
        }

        // Resuming after any event (a webhook-id) gives exactly what follows it.
        var (rest, _) = await ReadToEndAsync(partner, ids[2]);
        Assert.Equal(ids.Skip(3), rest.Select(i => i["id"]!.GetValue<string>()).Take(ids.Count - 3));

        // eventType narrows the stream without reordering it.
        var typed = await (await partner.GetAsync($"/api/v1/events?eventType=case-transfer.case.opened&limit=1000{(start is null ? "" : $"&after={start}")}", Ct)).ReadJsonAsync();
        var opened = whole.Where(i => i["eventType"]!.GetValue<string>() == "case-transfer.case.opened").Select(i => i["id"]!.GetValue<string>()).ToList();
        Assert.Equal(opened, typed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Take(opened.Count));
    }

    [Fact]
    public async Task An_organisation_never_hears_of_a_case_it_did_not_see()
    {
        var merseyside = PartnerOf(CrcMerseyside);
        var manchester = PartnerOf(CrcGreaterManchester);
        var (_, merseysideStart) = await ReadToEndAsync(merseyside, null);
        var (_, manchesterStart) = await ReadToEndAsync(manchester, null);
        var nps = NpsAllocator();

        var crn = await CaseForTheProviderAsync(nps);
        await MoveToTheProviderAsync(nps, crn);
        (await Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Low"), Ct)).EnsureSuccessStatusCode();

        // CRC-CGM hears of the proposal made to it and of everything once it holds the case, not of the case's opening.
        var heardByManchester = Types((await ReadUntilAsync(manchester, manchesterStart, Has(crn, "case-transfer.risk-assessment.recorded"))).Items, crn);

        // Once the last of them reached the feed (for anyone), all of them had.
        var (heardByMerseyside, _) = await ReadToEndAsync(merseyside, merseysideStart);
        Assert.Empty(Types(heardByMerseyside, crn));
        Assert.DoesNotContain("case-transfer.case.opened", heardByManchester);
        Assert.Contains("case-transfer.case.holder-changed", heardByManchester);
        Assert.Equal("case-transfer.risk-assessment.recorded", heardByManchester[^1]);
    }

    [Fact]
    public async Task The_old_holder_hears_of_a_case_up_to_its_transfer_and_nothing_after()
    {
        var partner = PartnerOf(NpsNorthWest);
        var (_, start) = await ReadToEndAsync(partner, null);
        var nps = NpsAllocator();
        var crn = await CaseForTheProviderAsync(nps);

        await MoveToTheProviderAsync(nps, crn);
        var (beforeLater, _) = await ReadUntilAsync(partner, start, Has(crn, "case-transfer.case.holder-changed"));
        (await Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Low"), Ct)).EnsureSuccessStatusCode();
        (await Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/other-names", new { kind = "Alias", firstName = "Jack", lastName = "Smythe" }, Ct)).EnsureSuccessStatusCode();

        // Once the new holder hears of the last change, the feed has it for everyone.
        await ReadUntilAsync(PartnerOf(CrcGreaterManchester), null, Has(crn, "case-transfer.case.other-name-recorded"));
        var (heard, _) = await ReadToEndAsync(partner, start);
        var types = Types(heard, crn);
        Assert.Equal(Types(beforeLater, crn), types);
        Assert.Contains("case-transfer.case.holder-changed", types);
        Assert.Equal(1, types.Count(t => t == "case-transfer.risk-assessment.recorded"));
        Assert.DoesNotContain("case-transfer.case.other-name-recorded", types);
    }

    [Fact]
    public async Task A_cursor_the_service_did_not_issue_is_refused_naming_after()
    {
        var partner = PartnerOf(NpsNorthWest);

        AssertNamesField(await AssertProblemAsync(await partner.GetAsync("/api/v1/events?after=not-a-cursor", Ct), HttpStatusCode.BadRequest), "after");
        AssertNamesField(await AssertProblemAsync(await partner.GetAsync($"/api/v1/events?after={Guid.CreateVersion7()}", Ct), HttpStatusCode.BadRequest), "after");
        Assert.Equal(HttpStatusCode.BadRequest, (await partner.GetAsync("/api/v1/events?limit=1001", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await partner.GetAsync("/api/v1/events?limit=0", Ct)).StatusCode);
    }

    [Fact]
    public async Task Only_case_readers_and_partner_systems_read_the_feed()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(NpsNorthWest, "nw-aud-01", Roles.Auditor).GetAsync("/api/v1/events", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/api/v1/events", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NpsAllocator().GetAsync("/api/v1/events?limit=1", Ct)).StatusCode);
    }
}

public sealed class EventFeedTestsOnSqlite(SqliteApp app) : EventFeedTests(app), IClassFixture<SqliteApp>;

public sealed class EventFeedTestsOnPostgres(PostgresApp app) : EventFeedTests(app), IClassFixture<PostgresApp>;
