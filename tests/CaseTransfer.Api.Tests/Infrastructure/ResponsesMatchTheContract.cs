using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

[assembly: AssemblyFixture(typeof(CaseTransfer.Api.Tests.Infrastructure.ResponseCheckCoverage))]

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>With CASETRANSFER_CONTRACT_COVERAGE=path, writes there at the end of the run what the response checks covered.</summary>
public sealed class ResponseCheckCoverage : IDisposable
{
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("CASETRANSFER_CONTRACT_COVERAGE") is { Length: > 0 } report)
        {
            File.WriteAllText(report, ResponsesMatchTheContract.Coverage());
        }
    }
}

/// <summary>A response that the committed OpenAPI document does not describe.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// Checks every response a test receives against the committed OpenAPI document, so a drift between what the service
/// answers and what partners were promised fails the test that met it: the operation is found by method and path
/// template, the response by status (or <c>default</c>), and a JSON body must validate against that response's
/// schema for its media type. Paths the document does not describe (health, the document itself, unknown routes)
/// pass unchecked. Headers are not checked.
/// </summary>
public sealed class ResponsesMatchTheContract : DelegatingHandler
{
    private const int BodyShown = 1500;

    /// <summary>What was checked in this test run, by operation, status and media type (reported at exit when asked).</summary>
    private static readonly ConcurrentDictionary<string, int> Checked = new();

    public ResponsesMatchTheContract()
    {
    }

    /// <summary>For a test of the check itself: answers come from <paramref name="inner"/> instead of the service.</summary>
    public ResponsesMatchTheContract(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (CommittedContract.Find(request.Method.Method, request.RequestUri!.AbsolutePath) is not { } operation)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var problems = Check(operation, (int)response.StatusCode, mediaType, body);
        if (problems.Count > 0)
        {
            throw new ContractViolationException(
                $"{operation} answered {(int)response.StatusCode} {mediaType ?? "with no body"}, which breaks openapi/case-transfer.v1.json:\n  "
                + string.Join("\n  ", problems)
                + $"\nbody: {(body.Length > BodyShown ? body[..BodyShown] + "..." : body)}");
        }

        Checked.AddOrUpdate($"{operation.Id} {(int)response.StatusCode} {mediaType}", 1, (_, n) => n + 1);
        return response;
    }

    /// <summary>What is wrong with an answer of <paramref name="operation"/>: one line each, none when the document describes it.</summary>
    public static IReadOnlyList<string> Check(ContractOperation operation, int status, string? mediaType, string body)
    {
        var responses = operation.Definition["responses"]?.AsObject();
        if ((responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses?["default"]) is not JsonObject response)
        {
            return [$"status {status} is not among its responses ({string.Join(", ", responses?.Select(r => r.Key) ?? [])})"];
        }

        var content = response["content"]?.AsObject();
        if (body.Length == 0)
        {
            return content is { Count: > 0 } ? [$"the body is empty, but the document gives {status} a body ({string.Join(", ", content.Select(c => c.Key))})"] : [];
        }

        if (mediaType is null || content?[mediaType] is not JsonObject media)
        {
            return [$"media type {mediaType ?? "(none)"} is not among those of {status} ({string.Join(", ", content?.Select(c => c.Key) ?? [])})"];
        }

        if (media["schema"] is not { } schema || !IsJson(mediaType))
        {
            return [];
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"the body is not JSON: {e.Message}"];
        }

        using (json)
        {
            return CommittedContract.Check(schema, json.RootElement);
        }
    }

    private static bool IsJson(string mediaType) =>
        mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>What the checks covered so far: counts, operations met and not, each operation/status/media type.</summary>
    public static string Coverage()
    {
        var operations = CommittedContract.Operations().ToList();
        var seen = Checked.Keys.Select(k => k.Split(' ')[0]).ToHashSet();
        var text = new StringBuilder()
            .AppendLine($"{Checked.Values.Sum()} responses checked against the document, {Checked.Count} operation/status/media combinations")
            .AppendLine($"{seen.Count} of {operations.Count} operations met")
            .AppendLine($"not met: {string.Join(", ", operations.Where(o => !seen.Contains(o.Id)).Select(o => o.Id))}");
        foreach (var (key, count) in Checked.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"{count,6}  {key}");
        }

        return text.ToString();
    }
}
