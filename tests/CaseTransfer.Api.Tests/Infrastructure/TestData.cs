using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Application.Common;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>Who's who in the demo world, and cases that tests make for themselves.</summary>
public static class TestData
{
    public const string NpsNorthWest = ReferenceData.NpsNorthWest;
    public const string NpsLondon = ReferenceData.NpsLondon;
    public const string Nps = ReferenceData.Nps;
    public const string CrcGreaterManchester = ReferenceData.CrcGreaterManchester;
    public const string CrcLondon = ReferenceData.CrcLondon;
    public const string CrcMerseyside = ReferenceData.CrcMerseyside;

    /// <summary>Practitioner ids of the demo world (see ReferenceData): Priya Patel NPS-NW, Tom Riley CRC-CGM.</summary>
    public static readonly Guid PriyaPatelNpsNw = new("00000000-0000-7000-8000-000000000001");
    public static readonly Guid GarethEvansNpsNw = new("00000000-0000-7000-8000-000000000002");
    public static readonly Guid TomRileyCrcCgm = new("00000000-0000-7000-8000-000000000011");

    public static readonly JsonSerializerOptions Json = AppJson.Options;

    private static int _next = Random.Shared.Next(0, 500_000);

    /// <summary>A CRN no other test in this process uses (the X range is never seeded).</summary>
    public static string NewCrn() => $"X{Interlocked.Increment(ref _next) % 1_000_000:D6}";

    public static JsonObject NewCase(string crn, string firstName = "John", string lastName = "Smith", string area = "GMAN") => new()
    {
        ["crn"] = crn,
        ["firstName"] = firstName,
        ["middleNames"] = null,
        ["lastName"] = lastName,
        ["dateOfBirth"] = "1985-03-14",
        ["pncId"] = "2012/0052494Q",
        ["nomsNumber"] = "A1234BC",
        ["areaCode"] = area,
        ["sentence"] = new JsonObject
        {
            ["type"] = "DeterminateCustody",
            ["sentenceDate"] = "2025-01-10",
            ["startDate"] = "2025-01-10",
            ["expectedEndDate"] = "2030-01-10",
            ["releaseDate"] = "2029-06-01",
            ["licenceEndDate"] = "2030-01-10",
        },
        ["requirements"] = new JsonArray(),
    };

    public static JsonObject Assessment(string rosh = "Medium") => new()
    {
        ["assessedOn"] = "2025-02-01",
        ["riskOfSeriousHarm"] = rosh,
        ["rsrPercent"] = 3.2,
        ["ogrsPercent"] = 41,
        ["mappaCategory"] = "None",
        ["mappaLevel"] = "None",
        ["tier"] = "B2",
        ["flags"] = new JsonArray("DomesticAbuse"),
    };

    public static async Task<string> CreateCaseAsync(HttpClient client, string? crn = null, string firstName = "John", string lastName = "Smith", string area = "GMAN")
    {
        crn ??= NewCrn();
        var response = await client.PostAsJsonAsync("/api/v1/cases", NewCase(crn, firstName, lastName, area));
        response.EnsureSuccessStatusCode();
        return crn;
    }

    /// <summary>
    /// A national NPS manager moves every case <paramref name="from"/> holds in <paramref name="area"/> to
    /// <paramref name="to"/> now, the job run to the end as the worker would: the skipped cases with their reasons.
    /// </summary>
    public static async Task<Dictionary<string, string>> BulkTransferSkipsAsync(CaseTransferApp app, string from, string to, string area)
    {
        var ct = TestContext.Current.CancellationToken;
        var manager = app.ClientFor(Nps, "nps-mgr-01", Roles.Manager);
        var accepted = await manager.PostAsJsonAsync("/api/v1/transfers", new
        {
            fromOrganisation = from,
            toOrganisation = to,
            areaCode = area,
            effectiveAt = DateTimeOffset.UtcNow.ToString("O"),
            reason = "Reunification of offender management",
        }, ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.ReadJsonAsync())["id"]!.GetValue<Guid>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<Application.Transfers.TransferJobRunner>().RunAsync(id, 100, int.MaxValue, ct));
        }

        var done = (await manager.GetFromJsonAsync<JsonObject>($"/api/v1/transfers/{id}", ct))!;
        return done["report"]!["skipped"]!.AsArray().ToDictionary(s => s!["crn"]!.GetValue<string>(), s => s!["skipReason"]!.GetValue<string>());
    }

    /// <summary>Every item of a cursor-paged list, page by page (each at most <paramref name="limit"/> long), as <paramref name="key"/> names it.</summary>
    public static async Task<List<string>> AllPagesAsync(HttpClient client, string path, int limit, Func<JsonNode, string> key)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await client.GetFromJsonAsync<JsonObject>($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}limit={limit}{(cursor is null ? "" : $"&cursor={cursor}")}", TestContext.Current.CancellationToken))!;
            Assert.True(page["items"]!.AsArray().Count <= limit);
            seen.AddRange(page["items"]!.AsArray().Select(i => key(i!)));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return seen;
    }

    /// <summary>Sends the request twice with one Idempotency-Key: the retry answers as the first did, byte for byte, marked as replayed.</summary>
    public static async Task AssertRetryReplaysAsync(HttpClient client, Func<HttpRequestMessage> request, string idempotencyKey, System.Net.HttpStatusCode status)
    {
        HttpRequestMessage Keyed()
        {
            var message = request();
            message.Headers.Add("Idempotency-Key", idempotencyKey);
            return message;
        }

        var first = await client.SendAsync(Keyed(), TestContext.Current.CancellationToken);
        var retry = await client.SendAsync(Keyed(), TestContext.Current.CancellationToken);

        Assert.Equal(status, first.StatusCode);
        Assert.Equal(status, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await retry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
