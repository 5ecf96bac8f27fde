using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Auth;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Http;

/// <summary>
/// Whatever a partner system sends wrongly is a 4xx problem details answer that says what was wrong, never a 500,
/// and nothing is written. Runs once per engine.
/// </summary>
public abstract class BadInputTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    /// <summary>Sends the request, checks the problem details answer, and checks that no case, audit entry or event was written.</summary>
    private async Task<JsonObject> RefusedAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode status, string? typeEndsWith = null)
    {
        var before = await app.CountRowsAsync();
        var response = await send();
        var problem = await AssertProblemAsync(response, status, typeEndsWith);
        Assert.Equal(before, await app.CountRowsAsync());
        return problem;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostCaseAsync(HttpClient client, string json) => client.PostAsync("/api/v1/cases", Json(json), Ct);

    private Task<HttpResponseMessage> PostCaseAsync(HttpClient client, JsonObject body) => client.PostAsJsonAsync("/api/v1/cases", body, Ct);

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"crn\": \"X100001\", \"firstName\": ")]
    [InlineData("{\"crn\": \"X100001\",, \"firstName\": \"John\"}")]
    public async Task Malformed_JSON_is_a_400_that_says_the_body_is_not_JSON(string body)
    {
        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest, "/malformed-request");

        Assert.Contains("not valid JSON", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task A_missing_body_is_a_400_that_says_a_body_is_required(string body)
    {
        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest, "/malformed-request");

        Assert.Equal("A JSON body is required.", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("limit=0", "limit")]
    public async Task A_search_parameter_that_cannot_be_read_is_a_400_naming_it(string query, string field)
    {
        var problem = await RefusedAsync(() => NpsAllocator().GetAsync($"/api/v1/cases?q=smith&{query}", Ct), HttpStatusCode.BadRequest);

        Assert.Equal([field], ErrorFields(problem));
    }

    [Fact]
    public async Task A_date_of_birth_sent_as_an_object_is_a_400_naming_dateOfBirth()
    {
        var body = NewCase(NewCrn());
        body["dateOfBirth"] = new JsonObject { ["year"] = 1985 };

        AssertNamesField(await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest), "dateOfBirth");
    }

    [Fact]
    public async Task A_CRN_sent_as_a_number_is_a_400_naming_crn()
    {
        var body = NewCase(NewCrn());
        body["crn"] = 123456;

        AssertNamesField(await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest), "crn");
    }

    [Fact]
    public async Task An_unknown_sentence_type_is_a_400_naming_sentence_type()
    {
        var body = NewCase(NewCrn());
        body["sentence"]!["type"] = "Nope";

        AssertNamesField(await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest), "sentence.type");
    }

    [Fact]
    public async Task An_unknown_risk_of_serious_harm_level_is_a_400_naming_riskOfSeriousHarm()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);
        var assessment = Assessment();
        assessment["riskOfSeriousHarm"] = "Extreme";

        var problem = await RefusedAsync(() => client.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", assessment, Ct), HttpStatusCode.BadRequest);

        AssertNamesField(problem, "riskOfSeriousHarm");
    }

    [Fact]
    public async Task Every_missing_required_field_is_listed_at_once()
    {
        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), "{}"), HttpStatusCode.BadRequest);

        foreach (var field in new[] { "crn", "firstName", "lastName", "dateOfBirth", "areaCode", "sentence" })
        {
            AssertNamesField(problem, field);
        }
    }

    [Fact]
    public async Task Every_missing_field_of_a_risk_assessment_is_listed_at_once()
    {
        var client = NpsAllocator();
        var crn = await CreateCaseAsync(client);

        var problem = await RefusedAsync(() => client.PostAsync($"/api/v1/cases/{crn}/risk-assessments", Json("{}"), Ct), HttpStatusCode.BadRequest);

        AssertNamesField(problem, "assessedOn");
        AssertNamesField(problem, "riskOfSeriousHarm");
    }

    /// <summary>Every operation that takes a JSON body, from the committed document (a document's upload takes its bytes).</summary>
    public static TheoryData<string> OperationsWithABody() =>
        [.. CommittedContract.Operations().Where(o => o.Definition["requestBody"]?["content"]?["application/json"] is not null).Select(o => o.Id)];

    /// <summary>
    /// A property the operation does not define is refused, naming it, rather than dropped: the body is the document's
    /// own example for the operation, with one property more.
    /// </summary>
    [Theory]
    [MemberData(nameof(OperationsWithABody))]
    public async Task A_property_the_operation_does_not_define_is_a_400_naming_it(string operationId)
    {
        var operation = CommittedContract.Operations().Single(o => o.Id == operationId);
        var body = operation.Definition["requestBody"]!["content"]!["application/json"]!["example"]!.DeepClone().AsObject();
        body["unknownProperty"] = "whatever";
        var path = operation.PathTemplate.Replace("{crn}", NewCrn(), StringComparison.Ordinal).Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

        // Sent with the operation's own method: most take a POST, the contact reference a PUT.
        var problem = await RefusedAsync(
            () => NpsAllocator().SendAsync(new HttpRequestMessage(new HttpMethod(operation.Method), path) { Content = JsonContent.Create(body) }, Ct),
            HttpStatusCode.BadRequest,
            "/malformed-request");

        Assert.Equal(["unknownProperty"], ErrorFields(problem));
        Assert.StartsWith("is not a property of this request", problem["errors"]!["unknownProperty"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_optional_field_is_a_400_naming_it_as_sent_not_lost_in_silence()
    {
        var body = NewCase(NewCrn());
        body.Remove("middleNames");
        body["middleName"] = "Paul";

        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest, "/malformed-request");

        Assert.Equal(["middleName"], ErrorFields(problem));
        Assert.Equal("'middleName' is not a property of this request.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_property_inside_the_sentence_is_a_400_naming_its_path()
    {
        var body = NewCase(NewCrn());
        body["sentence"]!["expectedEnd"] = "2027-10-01";

        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest, "/malformed-request");

        Assert.Equal(["sentence.expectedEnd"], ErrorFields(problem));
    }

    [Fact]
    public async Task An_unknown_property_of_a_requirement_is_a_400_naming_the_requirement()
    {
        var body = NewCase(NewCrn());
        body["requirements"] = new JsonArray(new JsonObject { ["type"] = "UnpaidWork", ["hours"] = 120 });

        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest, "/malformed-request");

        Assert.Equal(["requirements[0].hours"], ErrorFields(problem));
    }

    [Fact]
    public async Task A_null_requirement_is_a_400_naming_it_not_a_500()
    {
        var body = NewCase(NewCrn());
        body["requirements"] = new JsonArray(new JsonObject { ["type"] = "UnpaidWork" }, null);

        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest);

        Assert.Equal(["requirements[1]"], ErrorFields(problem));
    }

    [Fact]
    public async Task A_requirement_without_a_type_is_a_400_naming_its_type()
    {
        var body = NewCase(NewCrn());
        body["requirements"] = new JsonArray(new JsonObject { ["startDate"] = "2025-02-01" });

        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest);

        Assert.Equal(["requirements[0].type"], ErrorFields(problem));
    }

    [Fact]
    public async Task An_area_code_too_long_is_a_400_in_the_same_words_as_every_other_field()
    {
        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), NewCase(NewCrn(), area: new string('A', 500))), HttpStatusCode.BadRequest);

        Assert.Equal("must be at most 20 characters", Assert.Single(problem["errors"]!["areaCode"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_CRN_NOMS_number_and_PNC_ID_in_the_body_are_each_named()
    {
        var body = NewCase("x12");
        body["nomsNumber"] = "A12BC";
        body["pncId"] = "12/52494";

        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest);

        AssertNamesField(problem, "crn");
        AssertNamesField(problem, "nomsNumber");
        AssertNamesField(problem, "pncId");
    }

    [Fact]
    public async Task A_PNC_ID_with_the_wrong_check_letter_is_a_400_naming_pncId()
    {
        var body = NewCase(NewCrn());
        body["pncId"] = "2012/0052494A";

        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.BadRequest);

        Assert.Equal(["pncId"], ErrorFields(problem));
    }

    [Fact]
    public async Task A_PNC_ID_with_the_right_check_letter_is_accepted()
    {
        var body = NewCase(NewCrn());
        body["pncId"] = "2012/0052494Q";

        var response = await PostCaseAsync(NpsAllocator(), body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_CRN_in_the_route_is_a_400_naming_crn()
    {
        var problem = await RefusedAsync(() => NpsAllocator().GetAsync("/api/v1/cases/x12", Ct), HttpStatusCode.BadRequest);

        AssertNamesField(problem, "crn");
    }

    [Fact]
    public async Task A_well_formed_CRN_of_no_case_is_a_404()
    {
        await RefusedAsync(() => NpsAllocator().GetAsync("/api/v1/cases/Y000001", Ct), HttpStatusCode.NotFound, "/not-found");
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_a_413()
    {
        var body = NewCase(NewCrn());
        body["middleNames"] = new string('a', 1024 * 1024 + 1);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.True(content.Headers.ContentLength > 1024 * 1024);

        await RefusedAsync(() => NpsAllocator().PostAsync("/api/v1/cases", content, Ct), HttpStatusCode.RequestEntityTooLarge, "/request-too-large");
    }

    [Fact]
    public async Task A_request_without_a_token_is_a_401_that_asks_for_one()
    {
        var problem = await RefusedAsync(() => PostCaseAsync(app.AnonymousClient(), NewCase(NewCrn())), HttpStatusCode.Unauthorized, "/unauthenticated");

        Assert.Contains("required", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_expired_token_is_a_401_that_says_it_expired()
    {
        var token = CraftToken(app.SigningKey, issuedAt: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddSeconds(-120));

        var problem = await RefusedAsync(() => PostCaseAsync(ClientWith(token), NewCase(NewCrn())), HttpStatusCode.Unauthorized, "/unauthenticated");

        Assert.Contains("expired", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_whose_lifetime_ended_before_it_began_is_a_401()
    {
        var token = app.TokenFor(NpsNorthWest, "nw-spo-01", [Roles.Allocator], lifetime: TimeSpan.FromSeconds(-120));

        await RefusedAsync(() => PostCaseAsync(ClientWith(token), NewCase(NewCrn())), HttpStatusCode.Unauthorized, "/unauthenticated");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_a_401_that_says_the_signature_is_not_valid()
    {
        var otherKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var token = CraftToken(otherKey, issuedAt: DateTime.UtcNow, expires: DateTime.UtcNow.AddHours(1));

        var problem = await RefusedAsync(() => PostCaseAsync(ClientWith(token), NewCase(NewCrn())), HttpStatusCode.Unauthorized, "/unauthenticated");

        Assert.Contains("signature", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_whose_payload_was_tampered_with_is_a_401_that_says_the_signature_is_not_valid()
    {
        // A provider's token, edited to claim the NPS region: the signature no longer matches the payload.
        var parts = app.TokenFor(CrcGreaterManchester, "cgm-po-02", [Roles.Allocator]).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        Assert.Contains(CrcGreaterManchester, payload, StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.Replace(CrcGreaterManchester, NpsNorthWest, StringComparison.Ordinal))}.{parts[2]}";

        var problem = await RefusedAsync(() => PostCaseAsync(ClientWith(forged), NewCase(NewCrn())), HttpStatusCode.Unauthorized, "/unauthenticated");

        Assert.Contains("signature", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_valid_token_without_a_role_that_may_open_cases_is_a_403()
    {
        var auditor = app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Auditor);

        await RefusedAsync(() => PostCaseAsync(auditor, NewCase(NewCrn())), HttpStatusCode.Forbidden, "/forbidden");
    }

    [Fact]
    public async Task A_valid_token_without_a_role_that_may_read_cases_is_a_403()
    {
        var crn = await CreateCaseAsync(NpsAllocator());
        var auditor = app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Auditor);

        await RefusedAsync(() => auditor.GetAsync($"/api/v1/cases/{crn}", Ct), HttpStatusCode.Forbidden, "/forbidden");
    }

    [Fact]
    public async Task A_provider_may_not_open_a_case()
    {
        var provider = app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.Allocator, Roles.CaseManager);

        await RefusedAsync(() => PostCaseAsync(provider, NewCase(NewCrn())), HttpStatusCode.Forbidden, "/forbidden");
    }

    [Fact]
    public async Task An_unknown_area_is_a_400_naming_areaCode()
    {
        var problem = await RefusedAsync(() => PostCaseAsync(NpsAllocator(), NewCase(NewCrn(), area: "ATLANTIS")), HttpStatusCode.BadRequest);

        Assert.Equal(["areaCode"], ErrorFields(problem));
    }

    [Fact]
    public async Task A_date_of_birth_in_the_future_is_refused_by_the_rule_that_names_it()
    {
        var body = NewCase(NewCrn());
        body["dateOfBirth"] = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await RefusedAsync(() => PostCaseAsync(NpsAllocator(), body), HttpStatusCode.Conflict, "/rules/date-of-birth-in-future");
    }

    private HttpClient ClientWith(string token)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token an NPS allocator would carry, with the lifetime and key chosen by the test.</summary>
    private string CraftToken(byte[] key, DateTime issuedAt, DateTime expires)
    {
        var options = app.Services.GetRequiredService<AuthOptions>();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim(Claims.Subject, "nw-spo-01"),
                new Claim(Claims.Name, "nw-spo-01"),
                new Claim(Claims.Organisation, NpsNorthWest),
                new Claim(Claims.Role, Roles.Allocator),
            ]),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}

public sealed class BadInputTestsOnSqlite(SqliteApp app) : BadInputTests(app), IClassFixture<SqliteApp>;

public sealed class BadInputTestsOnPostgres(PostgresApp app) : BadInputTests(app), IClassFixture<PostgresApp>;
