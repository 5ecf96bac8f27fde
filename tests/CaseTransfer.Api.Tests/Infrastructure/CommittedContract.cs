using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Contract;
using Json.Schema;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>An operation of the committed document: its method, path template and what it says.</summary>
public sealed record ContractOperation(string Method, string PathTemplate, JsonObject Definition)
{
    public string Id => (string?)Definition["operationId"] ?? $"{Method} {PathTemplate}";

    public override string ToString() => $"{Method} {PathTemplate} ({Id})";
}

/// <summary>
/// The committed OpenAPI document (<c>openapi/case-transfer.v1.json</c>) as a validator of JSON: each schema in it,
/// read as OpenAPI 3.0 reads it, checked by a JSON Schema 2020-12 validator (JsonSchema.Net). OpenAPI 3.0's
/// schema dialect differs from JSON Schema in one way that matters here: <c>nullable: true</c> widens the
/// <c>type</c> beside it to admit null, and does nothing without one (3.0.3). <c>$ref</c>s to
/// <c>#/components/schemas</c> become <c>$defs</c> of each schema built.
/// </summary>
public static class CommittedContract
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private static readonly Lazy<JsonObject> LazyDocument = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, OpenApiContractTests.CommittedPath)))!.AsObject());

    private static readonly Lazy<string> Definitions = new(() =>
        new JsonObject((Document["components"]?["schemas"]?.AsObject() ?? [])
            .Select(s => KeyValuePair.Create(s.Key, Convert(s.Value?.DeepClone())))).ToJsonString());

    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new();

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static JsonObject Document => LazyDocument.Value;

    public static IEnumerable<ContractOperation> Operations() =>
        from path in Document["paths"]!.AsObject()
        from method in Methods
        where path.Value?[method] is JsonObject
        select new ContractOperation(method.ToUpperInvariant(), path.Key, path.Value![method]!.AsObject());

    /// <summary>The operation a request reaches: the method's template that fits the path, the most literal one first.</summary>
    public static ContractOperation? Find(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        return Operations()
            .Where(o => o.Method == method && Fits(o.PathTemplate.Trim('/').Split('/'), segments))
            .OrderByDescending(o => o.PathTemplate.Split('/').Count(s => !s.StartsWith('{')))
            .FirstOrDefault();
    }

    private static bool Fits(string[] template, string[] segments) =>
        template.Length == segments.Length
        && template.Zip(segments).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    /// <summary>What is wrong with <paramref name="instance"/> under the OpenAPI schema <paramref name="schema"/>: one line each, none when it fits.</summary>
    public static IReadOnlyList<string> Check(JsonNode schema, JsonElement instance)
    {
        var text = schema.ToJsonString();
        var built = Built.GetOrAdd(text, _ =>
        {
            // $id first: JsonSchema.Net 8.0.5 resolves a $ref met before the $id against a made-up base, and fails.
            var root = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$id"] = $"https://case-transfer.example/contract/{Guid.NewGuid():N}",
                ["$defs"] = JsonNode.Parse(Definitions.Value),
            };
            foreach (var (keyword, value) in Convert(schema.DeepClone())!.AsObject().ToList())
            {
                root[keyword] = value?.DeepClone();
            }

            return JsonSchema.Build(JsonSerializer.SerializeToElement(root), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        });

        var results = built.Evaluate(instance, Evaluation);
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Prepend(results)
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"at '{d.InstanceLocation}' ({e.Key} in {d.EvaluationPath}): {e.Value}"))
                .Distinct()];
    }

    /// <summary>An OpenAPI 3.0 schema as JSON Schema 2020-12: <c>nullable</c> into the type, references into <c>$defs</c>.</summary>
    private static JsonNode? Convert(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject schema:
                if (schema["$ref"] is JsonValue reference)
                {
                    schema["$ref"] = reference.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                }

                if (schema.Remove("nullable", out var nullable) && nullable?.GetValue<bool>() == true && schema["type"] is JsonValue type)
                {
                    schema["type"] = new JsonArray(type.GetValue<string>(), "null");
                }

                schema.Remove("example");
                foreach (var (name, child) in schema.ToList())
                {
                    // Property names are not schemas: a property called "nullable" or "example" must survive.
                    if (name is "properties" && child is JsonObject properties)
                    {
                        foreach (var (_, property) in properties.ToList())
                        {
                            Convert(property);
                        }
                    }
                    else if (name is not ("enum" or "default" or "required"))
                    {
                        Convert(child);
                    }
                }

                return schema;
            case JsonArray array:
                foreach (var item in array)
                {
                    Convert(item);
                }

                return array;
            default:
                return node;
        }
    }
}
