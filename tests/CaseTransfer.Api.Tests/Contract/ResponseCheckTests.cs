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
    private const string CasePath = "/api/v1/cases/X123456";

    /// <summary>Answers that break the document, each with what the refusal must name.</summary>
    private static readonly Dictionary<string, (string Path, HttpStatusCode Status, string MediaType, string Body, string Named)> Faults = new()
    {
        ["a null where none is allowed"] = CaseSummary(s => s["holder"] = null, "'/holder'"),
        ["a required property missing"] = CaseSummary(s => s.Remove("keyDates"), "keyDates"),
        ["an officer of the wrong shape"] = CaseSummary(s => s["responsibleOfficer"] = new JsonObject { ["name"] = 7 }, "'/responsibleOfficer"),
        ["a property the document does not define"] = CaseSummary(s => s["internalNotes"] = "not for partners", "internalNotes"),
        ["a date where the document says instant"] = CaseSummary(s => s["holder"]!["since"] = "2026-10-01", "'/holder/since'"),
        ["an enum value the document does not list"] = (
            $"/api/v1/allocations/{Guid.NewGuid()}", HttpStatusCode.OK, "application/json", Example("GetAllocation", a => a["state"] = "Mislaid"), "'/state'"),
        ["a status the operation does not list"] = (CasePath, HttpStatusCode.Gone, "application/problem+json", "{}", "status 410 is not among its responses"),
        ["a media type the answer does not list"] = (CasePath, HttpStatusCode.OK, "text/plain", "John Smith", "media type text/plain"),
        ["a problem without its trace id"] = (
            CasePath,
            HttpStatusCode.NotFound,
            "application/problem+json",
            """{"type":"https://case-transfer.example/problems/not-found","title":"Not found.","status":404,"detail":"Case 'X123456' was not found.","instance":"/api/v1/cases/X123456"}""",
            "traceId"),
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> FaultNames() => [.. Faults.Keys];

    [Theory]
    [MemberData(nameof(FaultNames))]
    public async Task An_answer_that_breaks_the_document_fails_the_test_that_received_it(string fault)
    {
        var (path, status, mediaType, body, named) = Faults[fault];

        var refusal = await Assert.ThrowsAsync<ContractViolationException>(() => AnswerAsync(path, status, mediaType, body));

        Assert.Contains($"answered {(int)status} {mediaType}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(named, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_summary_as_the_document_gives_it_passes_with_its_nulls()
    {
        var summary = JsonNode.Parse(Example("GetCase", _ => { }))!;
        Assert.Null(summary["responsibleOfficer"]);
        Assert.Null(summary["currentRisk"]);

        var response = await AnswerAsync(CasePath, HttpStatusCode.OK, "application/json", summary.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_path_the_document_does_not_describe_is_not_checked()
    {
        var response = await AnswerAsync("/health/ready", HttpStatusCode.OK, "text/plain", "Healthy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The document's own example of a case summary (responsibleOfficer, currentRisk and others null), changed.</summary>
    private static (string, HttpStatusCode, string, string, string) CaseSummary(Action<JsonObject> change, string named) =>
        (CasePath, HttpStatusCode.OK, "application/json", Example("GetCase", change), named);

    private static string Example(string operationId, Action<JsonObject> change)
    {
        var example = CommittedContract.Operations().Single(o => o.Id == operationId)
            .Definition["responses"]!["200"]!["content"]!["application/json"]!["example"]!.DeepClone().AsObject();
        change(example);
        return example.ToJsonString();
    }

    private static async Task<HttpResponseMessage> AnswerAsync(string path, HttpStatusCode status, string mediaType, string body)
    {
        using var client = new HttpClient(new ResponsesMatchTheContract(new Answering(status, mediaType, body))) { BaseAddress = new Uri("http://service") };
        return await client.GetAsync(path, Ct);
    }

    private sealed class Answering(HttpStatusCode status, string mediaType, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request });
    }
}
