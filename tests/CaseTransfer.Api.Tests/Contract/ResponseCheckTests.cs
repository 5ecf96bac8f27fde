using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;

namespace CaseTransfer.Api.Tests.Contract;

/// <summary>
/// The check that every HTTP test's answers match the committed document (<see cref="ResponsesMatchTheContract"/>)
/// can fail: answers that break the document in each way it knows are refused, with the operation, status and
/// fault named. The answers come from a stand-in for the service, so nothing here depends on the service's behaviour.
/// </summary>
public sealed class ResponseCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The document's own example of a case summary: responsibleOfficer, currentRisk and others null.</summary>
    private static JsonObject CaseSummary() => Example("GetCase");

    private static JsonObject Example(string operationId) =>
        CommittedContract.Operations().Single(o => o.Id == operationId)
            .Definition["responses"]!["200"]!["content"]!["application/json"]!["example"]!.DeepClone().AsObject();

    private static async Task<HttpResponseMessage> AnswerAsync(string path, HttpStatusCode status, string mediaType, string body)
    {
        using var client = new HttpClient(new ResponsesMatchTheContract(new Answering(status, mediaType, body))) { BaseAddress = new Uri("http://service") };
        return await client.GetAsync(path, Ct);
    }

    private static async Task<string> RefusedAsync(string path, HttpStatusCode status, string mediaType, string body) =>
        (await Assert.ThrowsAsync<ContractViolationException>(() => AnswerAsync(path, status, mediaType, body))).Message;

    [Fact]
    public async Task A_case_summary_as_the_document_gives_it_passes_with_its_nulls()
    {
        var summary = CaseSummary();
        Assert.Null(summary["responsibleOfficer"]);
        Assert.Null(summary["currentRisk"]);

        var response = await AnswerAsync("/api/v1/cases/X123456", HttpStatusCode.OK, "application/json", summary.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_null_where_the_document_allows_none_is_caught()
    {
        var summary = CaseSummary();
        summary["holder"] = null;

        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.OK, "application/json", summary.ToJsonString());

        Assert.Contains("GET /api/v1/cases/{crn} (GetCase) answered 200 application/json", message, StringComparison.Ordinal);
        Assert.Contains("'/holder'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_property_is_caught()
    {
        var summary = CaseSummary();
        summary.Remove("keyDates");

        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.OK, "application/json", summary.ToJsonString());

        Assert.Contains("keyDates", message, StringComparison.Ordinal);
        Assert.Contains("required", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_officer_of_the_wrong_shape_is_caught()
    {
        var summary = CaseSummary();
        summary["responsibleOfficer"] = new JsonObject { ["name"] = 7 };

        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.OK, "application/json", summary.ToJsonString());

        Assert.Contains("'/responsibleOfficer", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_property_the_document_does_not_define_is_caught()
    {
        var summary = CaseSummary();
        summary["internalNotes"] = "not for partners";

        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.OK, "application/json", summary.ToJsonString());

        Assert.Contains("internalNotes", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_enum_value_is_caught()
    {
        var allocation = Example("GetAllocation");
        allocation["state"] = "Mislaid";

        var message = await RefusedAsync($"/api/v1/allocations/{Guid.NewGuid()}", HttpStatusCode.OK, "application/json", allocation.ToJsonString());

        Assert.Contains("GET /api/v1/allocations/{id} (GetAllocation) answered 200", message, StringComparison.Ordinal);
        Assert.Contains("'/state'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_date_where_the_document_says_instant_is_caught()
    {
        var summary = CaseSummary();
        summary["holder"]!["since"] = "2026-10-01";

        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.OK, "application/json", summary.ToJsonString());

        Assert.Contains("'/holder/since'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_the_operation_does_not_list_is_caught()
    {
        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.Gone, "application/problem+json", "{}");

        Assert.Contains("status 410 is not among its responses", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_problem_without_its_trace_id_is_caught()
    {
        var problem = """{"type":"https://case-transfer.example/problems/not-found","title":"Not found.","status":404,"detail":"Case 'X123456' was not found.","instance":"/api/v1/cases/X123456"}""";

        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.NotFound, "application/problem+json", problem);

        Assert.Contains("traceId", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_media_type_the_response_does_not_list_is_caught()
    {
        var message = await RefusedAsync("/api/v1/cases/X123456", HttpStatusCode.OK, "text/plain", "John Smith");

        Assert.Contains("media type text/plain", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_the_document_does_not_describe_is_not_checked()
    {
        var response = await AnswerAsync("/health/ready", HttpStatusCode.OK, "text/plain", "Healthy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed class Answering(HttpStatusCode status, string mediaType, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request });
    }
}
