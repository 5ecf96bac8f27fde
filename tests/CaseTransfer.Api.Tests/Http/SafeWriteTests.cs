using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Http;

/// <summary>
/// Writes are safe to retry and safe to race: Idempotency-Key replays, If-Match preconditions, and concurrent
/// requests that can never do a thing twice. Runs once per engine.
/// </summary>
public abstract class SafeWriteTests(CaseTransferApp app)
{
    private const string ReplayedHeader = "Idempotent-Replayed";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private static HttpRequestMessage Post(string path, JsonObject body, string? idempotencyKey = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private static HttpRequestMessage OpenCase(JsonObject body, string? key = null) => Post("/api/v1/cases", body, key);

    private static HttpRequestMessage RecordRisk(string crn, string? ifMatch, string rosh = "Medium", string? key = null) =>
        Post($"/api/v1/cases/{crn}/risk-assessments", Assessment(rosh), key, ifMatch);

    private static string NewKey() => Guid.NewGuid().ToString();

    private Task<(int Cases, int Audits, int Events)> CountForAsync(string crn)
    {
        var id = Crn.Parse(crn);
        return app.InDatabaseAsync(async db => (
            await db.Cases.CountAsync(c => c.Crn == id),
            await db.AuditEntries.CountAsync(a => a.Crn == (CaseTransfer.Domain.Identifiers.Crn?)CaseTransfer.Domain.Identifiers.Crn.Parse(crn)),
            await db.OutboxMessages.CountAsync(o => o.Crn == crn)));
    }

    private Task<int> RiskAssessmentsOfAsync(string crn)
    {
        var id = Crn.Parse(crn);
        return app.InDatabaseAsync(db => db.RiskAssessments.CountAsync(r => db.Cases.Any(c => c.Id == r.CaseId && c.Crn == id)));
    }

    [Fact]
    public async Task Retrying_an_opened_case_with_the_same_key_replays_the_answer_and_opens_nothing_twice()
    {
        var client = NpsAllocator();
        var crn = NewCrn();
        var key = NewKey();

        var first = await client.SendAsync(OpenCase(NewCase(crn), key), Ct);
        var retry = await client.SendAsync(OpenCase(NewCase(crn), key), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains(ReplayedHeader));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues(ReplayedHeader)));
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal((1, 1, 1), await CountForAsync(crn));
    }

    [Fact]
    public async Task Retrying_a_risk_assessment_with_the_same_key_records_it_once()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var key = NewKey();

        var first = await client.SendAsync(RecordRisk(crn, "\"1\"", key: key), Ct);
        var retry = await client.SendAsync(RecordRisk(crn, "\"1\"", key: key), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(retry.Headers.Contains(ReplayedHeader));
        Assert.Equal("\"2\"", retry.Headers.ETag?.Tag);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, await RiskAssessmentsOfAsync(crn));
        Assert.Equal((1, 2, 2), await CountForAsync(crn));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_422_and_does_nothing()
    {
        var client = NpsAllocator();
        var crn = NewCrn();
        var key = NewKey();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(OpenCase(NewCase(crn), key), Ct)).StatusCode);
        var before = await app.CountRowsAsync();

        var other = await client.SendAsync(OpenCase(NewCase(NewCrn(), firstName: "Jane"), key), Ct);

        await AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity, "/idempotency-key-reused");
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task A_refused_request_frees_its_key_for_a_corrected_retry()
    {
        var client = NpsAllocator();
        var crn = NewCrn();
        var key = NewKey();
        var invalid = NewCase(crn);
        invalid["pncId"] = "2012/0052494A";
        var forbiddenByRule = NewCase(crn);
        forbiddenByRule["dateOfBirth"] = "2999-01-01";

        await AssertProblemAsync(await client.SendAsync(OpenCase(invalid, key), Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.SendAsync(OpenCase(forbiddenByRule, key), Ct), HttpStatusCode.Conflict, "/rules/date-of-birth-in-future");
        var corrected = await client.SendAsync(OpenCase(NewCase(crn), key), Ct);

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.False(corrected.Headers.Contains(ReplayedHeader));
        Assert.Equal((1, 1, 1), await CountForAsync(crn));
    }

    [Fact]
    public async Task A_refused_change_with_a_stale_ETag_frees_its_key_for_a_retry_with_the_current_one()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var key = NewKey();

        await AssertProblemAsync(await client.SendAsync(RecordRisk(crn, "\"7\"", key: key), Ct), HttpStatusCode.PreconditionFailed);
        var retry = await client.SendAsync(RecordRisk(crn, "\"1\"", key: key), Ct);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1, await RiskAssessmentsOfAsync(crn));
    }

    [Theory]
    [InlineData(201)]
    [InlineData(1000)]
    public async Task A_key_that_is_too_long_is_a_400(int length)
    {
        var before = await app.CountRowsAsync();

        var response = await NpsAllocator().SendAsync(OpenCase(NewCase(NewCrn()), new string('k', length)), Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Theory]
    [InlineData("clé-de-requête")]
    [InlineData("two words")]
    public async Task A_key_that_is_not_printable_ASCII_is_a_400(string key)
    {
        var before = await app.CountRowsAsync();

        var response = await NpsAllocator().SendAsync(OpenCase(NewCase(NewCrn()), key), Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountRowsAsync());
    }

    [Fact]
    public async Task Reading_a_case_gives_its_version_as_a_strong_ETag()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);

        var read = await client.GetAsync($"/api/v1/cases/{crn}", Ct);

        Assert.Equal(new EntityTagHeaderValue("\"1\""), read.Headers.ETag);
        Assert.False(read.Headers.ETag!.IsWeak);
    }

    [Fact]
    public async Task A_risk_assessment_against_a_stale_ETag_is_a_412_and_writes_nothing()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(RecordRisk(crn, "\"1\""), Ct)).StatusCode);
        var before = await app.CountRowsAsync();

        var stale = await client.SendAsync(RecordRisk(crn, "\"1\"", "High"), Ct);

        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "/precondition-failed");
        Assert.Equal(before, await app.CountRowsAsync());
        var read = await client.GetAsync($"/api/v1/cases/{crn}", Ct);
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        Assert.Equal("Medium", (await read.ReadJsonAsync())["currentRisk"]!["riskOfSeriousHarm"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_risk_assessment_against_the_current_ETag_is_recorded_and_gives_the_new_one()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var etag = (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).Headers.ETag!.Tag;

        var response = await client.SendAsync(RecordRisk(crn, etag, "High"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal("\"2\"", (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).Headers.ETag?.Tag);
    }

    [Fact]
    public async Task If_Match_star_records_the_assessment_whatever_the_version()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);

        var response = await client.SendAsync(RecordRisk(crn, "*"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Naming_a_responsible_officer_against_a_stale_ETag_is_a_412_and_writes_nothing()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(RecordRisk(crn, "\"1\""), Ct)).StatusCode);
        var before = await app.CountRowsAsync();
        var officer = new JsonObject { ["practitionerId"] = PriyaPatelNpsNw.ToString() };

        var stale = await client.SendAsync(Post($"/api/v1/cases/{crn}/responsible-officer", officer, ifMatch: "\"1\""), Ct);
        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "/precondition-failed");
        Assert.Equal(before, await app.CountRowsAsync());

        var current = await client.SendAsync(Post($"/api/v1/cases/{crn}/responsible-officer", officer, ifMatch: "\"2\""), Ct);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal("\"3\"", current.Headers.ETag?.Tag);
    }

    /// <summary>Only a value that is not an entity tag at all (RFC 9110 section 8.8.3) is refused as malformed.</summary>
    [Theory]
    [InlineData("2")]
    [InlineData("\"1")]
    [InlineData("stale")]
    [InlineData("W/1")]
    [InlineData("\"1\" \"2\"")]
    public async Task A_malformed_If_Match_is_a_400_and_writes_nothing(string ifMatch)
    {
        var problem = await RefusedAssessmentAsync(ifMatch, HttpStatusCode.BadRequest);

        Assert.Contains("If-Match", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// If-Match with a tag that is not the current one fails, whatever the tag (RFC 9110 section 13.1.1): a stale
    /// version, one never reached, or one this service never issued.
    /// </summary>
    [Theory]
    [InlineData("\"stale\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"0\"")]
    [InlineData("\"7\"")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("\"\"")]
    [InlineData("\"2\", \"3\"")]
    [InlineData("\"stale\", W/\"1\"")]
    public async Task A_risk_assessment_against_a_tag_that_is_not_the_current_ETag_is_a_412_and_writes_nothing(string ifMatch)
    {
        var problem = await RefusedAssessmentAsync(ifMatch, HttpStatusCode.PreconditionFailed, "/precondition-failed");

        Assert.Contains("version 1", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"7\", \"1\"")]
    [InlineData("\"stale\",\"1\"")]
    [InlineData("W/\"1\", \"1\"")]
    public async Task A_list_of_tags_that_holds_the_current_ETag_records_the_assessment(string ifMatch)
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);

        var response = await client.SendAsync(RecordRisk(crn, ifMatch), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task An_If_Match_tag_on_a_case_the_caller_cannot_see_is_a_404_not_a_412()
    {
        var response = await NpsAllocator().SendAsync(RecordRisk("Y000002", "\"stale\""), Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "/not-found");
    }

    [Fact]
    public async Task A_weak_If_Match_never_matches_so_the_change_is_a_412_and_writes_nothing() =>
        await RefusedAssessmentAsync("W/\"1\"", HttpStatusCode.PreconditionFailed, "/precondition-failed");

    /// <summary>A risk assessment for a new case (version 1) under the If-Match given: refused, with nothing written.</summary>
    private async Task<JsonObject> RefusedAssessmentAsync(string ifMatch, HttpStatusCode status, string? typeEndsWith = null)
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var before = await app.CountRowsAsync();

        var problem = await AssertProblemAsync(await client.SendAsync(RecordRisk(crn, ifMatch), Ct), status, typeEndsWith);

        Assert.Equal(before, await app.CountRowsAsync());
        return problem;
    }

    [Fact]
    public async Task Two_risk_assessments_racing_on_the_same_ETag_record_exactly_one()
    {
        var client = NpsAllocator();
        for (var round = 0; round < 5; round++)
        {
            var crn = await CreateCaseAsync(client);

            var answers = await Task.WhenAll(
                client.SendAsync(RecordRisk(crn, "\"1\"", "High"), Ct),
                client.SendAsync(RecordRisk(crn, "\"1\"", "Low"), Ct));

            var statuses = answers.Select(a => a.StatusCode).Order().ToList();
            Assert.True(
                statuses.Count(s => s == HttpStatusCode.Created) == 1
                && statuses.Count(s => s is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict) == 1,
                $"round {round}: {string.Join(", ", statuses)}");
            var loser = answers.Single(a => a.StatusCode != HttpStatusCode.Created);
            await AssertProblemAsync(loser, loser.StatusCode);
            Assert.Equal(1, await RiskAssessmentsOfAsync(crn));
            Assert.Equal((1, 2, 2), await CountForAsync(crn));
            Assert.Equal("\"2\"", (await client.GetAsync($"/api/v1/cases/{crn}", Ct)).Headers.ETag?.Tag);
        }
    }

    [Fact]
    public async Task Two_openings_of_the_same_CRN_at_once_open_one_case()
    {
        var client = NpsAllocator();
        for (var round = 0; round < 5; round++)
        {
            var crn = NewCrn();

            var answers = await Task.WhenAll(
                client.SendAsync(OpenCase(NewCase(crn)), Ct),
                client.SendAsync(OpenCase(NewCase(crn, firstName: "Jane")), Ct));

            var statuses = answers.Select(a => a.StatusCode).ToList();
            Assert.True(
                statuses.Count(s => s == HttpStatusCode.Created) == 1 && statuses.Count(s => s == HttpStatusCode.Conflict) == 1,
                $"round {round}: {string.Join(", ", statuses)}");
            await AssertProblemAsync(answers.Single(a => a.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict);
            Assert.Equal((1, 1, 1), await CountForAsync(crn));
        }
    }

    [Fact]
    public async Task The_same_key_sent_twice_at_once_never_opens_two_cases()
    {
        var client = NpsAllocator();
        for (var round = 0; round < 5; round++)
        {
            var crn = NewCrn();
            var key = NewKey();

            var answers = await Task.WhenAll(
                client.SendAsync(OpenCase(NewCase(crn), key), Ct),
                client.SendAsync(OpenCase(NewCase(crn), key), Ct));

            var original = answers.Where(a => a.StatusCode == HttpStatusCode.Created && !a.Headers.Contains(ReplayedHeader)).ToList();
            Assert.True(original.Count == 1, $"round {round}: {string.Join(", ", answers.Select(a => a.StatusCode))}");
            var other = answers.Single(a => a != original[0]);
            if (other.StatusCode == HttpStatusCode.Created)
            {
                Assert.Equal("true", Assert.Single(other.Headers.GetValues(ReplayedHeader)));
                Assert.Equal(await original[0].Content.ReadAsStringAsync(Ct), await other.Content.ReadAsStringAsync(Ct));
            }
            else
            {
                await AssertProblemAsync(other, HttpStatusCode.Conflict, "/idempotency-key-in-flight");
            }

            Assert.Equal((1, 1, 1), await CountForAsync(crn));
        }
    }
}

public sealed class SafeWriteTestsOnSqlite(SqliteApp app) : SafeWriteTests(app), IClassFixture<SqliteApp>;

public sealed class SafeWriteTestsOnPostgres(PostgresApp app) : SafeWriteTests(app), IClassFixture<PostgresApp>;
