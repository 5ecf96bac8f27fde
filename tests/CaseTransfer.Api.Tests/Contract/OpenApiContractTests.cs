using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Hosting;
using CaseTransfer.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CaseTransfer.Api.Tests.Contract;

/// <summary>
/// The OpenAPI document is a contract with the partner systems, so it is committed
/// (<c>openapi/case-transfer.v1.json</c>) and any change to it shows up in review as a diff of that file.
/// </summary>
public sealed class OpenApiContractTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    public const string CommittedPath = "openapi/case-transfer.v1.json";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Keep the committed file readable: no \u0027 or \u002B escapes for ordinary characters.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Fails when the service's document differs from the committed one. To accept a deliberate change, regenerate
    /// the file and commit it with the change that caused it:
    /// <code>UPDATE_OPENAPI=1 dotnet test tests/CaseTransfer.Api.Tests --filter "FullyQualifiedName~OpenApiContractTests"</code>
    /// With <c>UPDATE_OPENAPI=1</c> the test writes the file instead of comparing.
    /// </summary>
    [Fact]
    public async Task The_committed_OpenAPI_document_is_what_the_service_serves()
    {
        using var client = app.AnonymousClient();
        var live = Normalise(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken));
        var path = Path.Combine(RepositoryRoot.Path, CommittedPath);

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, live, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), TestContext.Current.CancellationToken);
            return;
        }

        Assert.True(File.Exists(path), $"{CommittedPath} is missing; generate it with UPDATE_OPENAPI=1 (see this test's comment).");
        var committed = Normalise(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        if (committed != live)
        {
            Assert.Fail(Describe(committed, live));
        }
    }

    /// <summary>What a partner needs from every operation, read from the committed document.</summary>
    [Fact]
    public async Task Every_operation_has_a_summary_its_error_responses_and_an_example()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, CommittedPath), TestContext.Current.CancellationToken))!;
        var problems = new List<string>();

        var bearer = document["components"]?["securitySchemes"]?["bearer"];
        if ((string?)bearer?["type"] != "http" || (string?)bearer?["scheme"] != "bearer")
        {
            problems.Add("components.securitySchemes.bearer is not declared as an HTTP bearer scheme");
        }

        if (document["security"] is not JsonArray { Count: > 0 } security || !security.Any(s => s?["bearer"] is not null))
        {
            problems.Add("the document does not require the bearer scheme");
        }

        var operations = 0;
        foreach (var (path, pathItem) in document["paths"]!.AsObject())
        {
            foreach (var method in Methods)
            {
                if (pathItem?[method] is not JsonObject operation)
                {
                    continue;
                }

                operations++;
                var name = $"{method.ToUpperInvariant()} {path}";
                problems.AddRange(CheckOperation(operation).Select(p => $"{name}: {p}"));
            }
        }

        foreach (var (schemaName, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            if (schema?["enum"] is JsonArray values && ((string?)schema["type"] != "string" || values.Any(v => v?.GetValueKind() != JsonValueKind.String)))
            {
                problems.Add($"schema {schemaName}: enum is not a string enum");
            }
        }

        Assert.True(operations > 0, "The document has no operations.");
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) in {CommittedPath}:\n" + string.Join('\n', problems));
    }

    /// <summary>Each example the document gives, of a request body or an answer, validates against the schema beside it.</summary>
    [Fact]
    public void Every_example_validates_against_its_schema()
    {
        var problems = new List<string>();
        var examples = 0;
        foreach (var operation in CommittedContract.Operations())
        {
            var bodies = operation.Definition["requestBody"]?["content"]?.AsObject().Select(c => ("request body", c.Key, c.Value)) ?? [];
            var answers = operation.Definition["responses"]!.AsObject()
                .SelectMany(r => r.Value?["content"]?.AsObject().Select(c => ($"{r.Key} answer", c.Key, c.Value)) ?? []);
            foreach (var (what, mediaType, media) in bodies.Concat(answers))
            {
                if (media?["example"] is not { } example || media["schema"] is not { } schema)
                {
                    continue;
                }

                examples++;
                var faults = mediaType.EndsWith("json", StringComparison.Ordinal)
                    ? CommittedContract.Check(schema, JsonSerializer.SerializeToElement(example))
                    : example.GetValueKind() == JsonValueKind.String ? [] : ["a text answer's example is not text"];
                problems.AddRange(faults.Select(f => $"{operation} {what} {mediaType}: {f}"));
            }
        }

        Assert.True(examples > 0, "The document has no examples.");
        Assert.True(problems.Count == 0, $"{problems.Count} example fault(s) in {CommittedPath}:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Schema_names_are_the_domains_names_not_our_namespaces()
    {
        var names = CommittedContract.Document["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToList();

        Assert.All(names, name => Assert.Matches("^[A-Z][A-Za-z0-9]*$", name));
        Assert.Contains("AllocationReason", names);
        Assert.Contains("AcceptAllocationRequest", names);
        Assert.Contains("ProblemDetails", names);
        Assert.Contains("PageOfAllocationView", names);
    }

    /// <summary>A clash is not settled by renaming one of them (AllocationReason2), which a partner's client would keep.</summary>
    [Fact]
    public void Two_types_of_one_name_stop_the_document_rather_than_one_being_renamed()
    {
        var generator = new SchemaGenerator(
            new SchemaGeneratorOptions { SchemaIdSelector = OpenApiSchemaIds.For },
            new JsonSerializerDataContractResolver(CaseTransfer.Application.Common.AppJson.Options));
        var schemas = new SchemaRepository();
        generator.GenerateSchema(typeof(InCases.Note), schemas);

        var clash = Assert.Throws<InvalidOperationException>(() => generator.GenerateSchema(typeof(InAllocations.Note), schemas));

        Assert.Contains("Note", clash.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers always carry every property (nulls included), so a response schema requires them all.</summary>
    [Fact]
    public void Every_property_of_an_answer_is_required()
    {
        var schemas = CommittedContract.Document["components"]!["schemas"]!.AsObject();
        var sent = Reachable(CommittedContract.Operations().Select(o => o.Definition["requestBody"]), schemas);
        var answered = Reachable(CommittedContract.Operations().Select(o => o.Definition["responses"]), schemas);
        var problems = new List<string>();
        foreach (var name in answered.Except(sent))
        {
            var schema = schemas[name]!;
            var properties = schema["properties"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];

            // Problem details are open (extension members) and list the members always present.
            if (schema["additionalProperties"] is JsonObject)
            {
                continue;
            }

            problems.AddRange(properties.Except(required).Select(p => $"{name}.{p} is not required"));
        }

        Assert.True(answered.Except(sent).Any(), "No schema is only answered.");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void A_request_schema_requires_what_must_be_sent_and_no_more()
    {
        var required = CommittedContract.Document["components"]!["schemas"]!["CreateCase"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();

        Assert.Superset(new HashSet<string> { "crn", "firstName", "lastName", "areaCode" }, required.ToHashSet());
        Assert.DoesNotContain("middleNames", required);
        Assert.DoesNotContain("pncId", required);
        Assert.DoesNotContain("requirements", required);
    }

    [Fact]
    public void The_document_names_the_server_that_serves_it()
    {
        Assert.Equal("/", (string?)CommittedContract.Document["servers"]?[0]?["url"]);
    }

    [Fact]
    public async Task A_configured_public_base_URL_is_the_documents_server()
    {
        await using var configured = app.WithWebHostBuilder(b => b.UseSetting("Api:PublicBaseUrl", "https://case-transfer.example/"));
        using var client = configured.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken))!;

        Assert.Equal("https://case-transfer.example", (string?)document["servers"]?[0]?["url"]);
    }

    private static class InCases
    {
        public sealed record Note(string Text);
    }

    private static class InAllocations
    {
        public sealed record Note(string Text);
    }

    private static HashSet<string> Reachable(IEnumerable<JsonNode?> roots, JsonObject schemas)
    {
        var found = new HashSet<string>();
        var pending = new Stack<JsonNode?>(roots);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject o when o["$ref"] is JsonValue reference:
                    var name = reference.GetValue<string>().Split('/')[^1];
                    if (found.Add(name))
                    {
                        pending.Push(schemas[name]);
                    }

                    break;
                case JsonObject o:
                    o.Select(p => p.Value).ToList().ForEach(pending.Push);
                    break;
                case JsonArray a:
                    a.ToList().ForEach(pending.Push);
                    break;
            }
        }

        return found;
    }

    private static IEnumerable<string> CheckOperation(JsonObject operation)
    {
        if (string.IsNullOrWhiteSpace((string?)operation["summary"]))
        {
            yield return "no summary";
        }

        if (string.IsNullOrWhiteSpace((string?)operation["operationId"]))
        {
            yield return "no operationId";
        }

        var responses = operation["responses"]?.AsObject() ?? [];
        if (!responses.Any(r => r.Key.StartsWith('4') && r.Value?["content"]?["application/problem+json"] is not null))
        {
            yield return "no 4xx response with application/problem+json";
        }

        if (responses["401"] is null)
        {
            yield return "no 401 response";
        }

        var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
        if (successes.Count == 0)
        {
            yield return "no success response";
        }

        foreach (var (status, response) in successes)
        {
            if (response?["content"] is not JsonObject { Count: > 0 } content)
            {
                yield return $"{status} response has no content";
                continue;
            }

            foreach (var (mediaType, media) in content)
            {
                if (!HasExample(media))
                {
                    yield return $"{status} response {mediaType} has no example";
                }
            }
        }

        if (operation["requestBody"]?["content"] is JsonObject requestContent)
        {
            foreach (var (mediaType, media) in requestContent)
            {
                if (!HasExample(media))
                {
                    yield return $"request body {mediaType} has no example";
                }
            }
        }
    }

    private static bool HasExample(JsonNode? media) =>
        media?["example"] is not null || media?["examples"] is JsonObject { Count: > 0 };

    private static string Normalise(string json) =>
        JsonNode.Parse(json)!.ToJsonString(Indented) + "\n";

    private static string Describe(string committed, string live)
    {
        var description = new StringBuilder($"The service's OpenAPI document differs from {CommittedPath}. ")
            .AppendLine("If the change is intended, regenerate the file with UPDATE_OPENAPI=1 and commit it.");

        var committedPaths = PathsOf(committed);
        var livePaths = PathsOf(live);
        foreach (var changed in livePaths.Keys.Intersect(committedPaths.Keys).Where(p => !JsonNode.DeepEquals(livePaths[p], committedPaths[p])))
        {
            description.AppendLine($"  path changed: {changed}");
        }

        foreach (var added in livePaths.Keys.Except(committedPaths.Keys))
        {
            description.AppendLine($"  path served but not committed: {added}");
        }

        foreach (var removed in committedPaths.Keys.Except(livePaths.Keys))
        {
            description.AppendLine($"  path committed but no longer served: {removed}");
        }

        var committedLines = committed.Split('\n');
        var liveLines = live.Split('\n');
        for (var i = 0; i < Math.Max(committedLines.Length, liveLines.Length); i++)
        {
            var expected = i < committedLines.Length ? committedLines[i] : "<end of file>";
            var actual = i < liveLines.Length ? liveLines[i] : "<end of file>";
            if (expected != actual)
            {
                description.AppendLine($"  first difference at line {i + 1}:")
                    .AppendLine($"    committed: {expected.Trim()}")
                    .AppendLine($"    served:    {actual.Trim()}");
                break;
            }
        }

        return description.ToString();
    }

    private static Dictionary<string, JsonNode?> PathsOf(string json) =>
        JsonNode.Parse(json)?["paths"]?.AsObject().ToDictionary(p => p.Key, p => p.Value) ?? [];
}

