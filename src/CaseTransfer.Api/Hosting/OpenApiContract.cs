using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CaseTransfer.Api.Hosting;

/// <summary>
/// Schema names as a partner's generated client shows them: the domain's names (<c>AllocationReason</c>,
/// <c>AcceptAllocationRequest</c>, <c>ProblemDetails</c>), never our namespaces; a generic type is named with its
/// arguments (<c>PageOfAllocationView</c>). Two types of one name are not quietly renamed: the generator refuses
/// the second (its schema repository throws, naming both types), so the clash stops the document and the
/// contract tests, and whoever added the type names it.
/// <para>
/// A name a client generator keeps for itself is not given to a schema: Kiota's C# client imports
/// <c>Microsoft.Kiota.Abstractions</c> into every request builder, so a model called <c>RequestInformation</c> (the
/// command that opens an information request) makes every use of that name ambiguous and the client does not build.
/// Such a type's schema is named as the other request bodies are, with <c>Request</c> after it.
/// </para>
/// </summary>
public static class OpenApiSchemaIds
{
    /// <summary>Type names that collide with a generated client's own types (Kiota's abstractions, for C#).</summary>
    private static readonly HashSet<string> ReservedByClients = new(StringComparer.Ordinal) { "RequestInformation" };

    public static string For(Type type) => type.IsConstructedGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}Of{string.Join("And", type.GetGenericArguments().Select(For))}"
        : ReservedByClients.Contains(type.Name) ? type.Name + "Request" : type.Name;
}

/// <summary>
/// Says of each object schema's properties which are <c>required</c> and which may be null, in the form OpenAPI 3.0
/// tools read.
/// <para>Required, in the sense a generated client needs for its direction:</para>
/// <list type="bullet">
/// <item>A response (anything not sent in a request body): every property, because the service writes every
/// property, nulls included (AppJson).</item>
/// <item>A request body, and whatever it contains: what the client must send, a property neither nullable in C#
/// nor given a default. A type sent both ways gets this shorter list, which is still true of its responses.</item>
/// <item>Problem details: the framework leaves out null members, so none is ever null, and what is always there
/// is what the conventions promise (<c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>instance</c>,
/// <c>traceId</c>); the rest (<c>errors</c>, a rule's facts) comes only where it applies.</item>
/// </list>
/// <para>
/// Nullable comes from C# nullability (the generator's own, for values), and for a property that refers to another
/// schema it is written so OpenAPI 3.0 tools honour it. <c>nullable</c> beside a <c>$ref</c> is ignored, and beside
/// <c>allOf: [$ref]</c> (the generator's UseAllOfToExtendReferenceSchemas) it cannot admit null either: since 3.0.3
/// it only widens a <c>type</c> in the same object, and the referenced schema still refuses null (both linters
/// say so). So such a property is one of the referenced schema or null:
/// <c>oneOf: [{$ref}, {type, nullable: true, enum: [null]}]</c>.
/// </para>
/// </summary>
public sealed class RequiredAndNullable(IApiDescriptionGroupCollectionProvider apis, ISerializerDataContractResolver contracts) : ISchemaFilter
{
    private static readonly string[] ProblemMembers = ["type", "title", "status", "detail", "instance", "traceId"];

    private readonly Lazy<HashSet<Type>> _requestTypes = new(() => RequestTypes(apis, contracts));

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        // Only a type's own schema; the schemas of its properties and of parameters pass through here too.
        if (context.MemberInfo is not null || context.ParameterInfo is not null || schema is not OpenApiSchema { Properties.Count: > 0 } objectSchema)
        {
            return;
        }

        var properties = objectSchema.Properties!;
        if (typeof(ProblemDetails).IsAssignableFrom(context.Type))
        {
            properties["traceId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The request's trace id, as in the service's logs: quote it when reporting a problem.",
            };
            foreach (var member in properties.Values.OfType<OpenApiSchema>())
            {
                var type = member.Type & ~JsonSchemaType.Null;
                member.Type = type == 0 ? null : type;
            }

            objectSchema.Required = new SortedSet<string>(ProblemMembers, StringComparer.Ordinal);
            return;
        }

        // Added to what the generator already requires ([JsonRequired], [Required], C# required members).
        var members = contracts.GetDataContractForType(context.Type).ObjectProperties.ToList();
        var required = _requestTypes.Value.Contains(context.Type) ? members.Where(MustBeSent).Select(p => p.Name) : properties.Keys;
        objectSchema.Required = new SortedSet<string>((objectSchema.Required ?? new HashSet<string>()).Concat(required), StringComparer.Ordinal);

        foreach (var property in members.Where(IsNullable))
        {
            if (properties.TryGetValue(property.Name, out var schemaOfProperty) && schemaOfProperty is OpenApiSchemaReference reference)
            {
                properties[property.Name] = ReferenceOrNull(reference, context.SchemaRepository);
            }
        }
    }

    private static OpenApiSchema ReferenceOrNull(OpenApiSchemaReference reference, SchemaRepository schemas)
    {
        var type = schemas.Schemas.TryGetValue(reference.Reference.Id!, out var referenced) ? referenced.Type : null;
        return new OpenApiSchema
        {
            OneOf = [reference, new OpenApiSchema { Type = (type ?? JsonSchemaType.Object) | JsonSchemaType.Null, Enum = [null!] }],
        };
    }

    private static bool IsNullable(DataProperty property) => property.MemberType.IsValueType
        ? Nullable.GetUnderlyingType(property.MemberType) is not null
        : property.MemberInfo is null || !property.MemberInfo.IsNonNullableReferenceType();

    private static bool MustBeSent(DataProperty property) => !IsNullable(property) && !HasDefault(property.MemberInfo);

    /// <summary>A positional record's parameter with a default (<c>X Name = ...</c>) may be left out.</summary>
    private static bool HasDefault(MemberInfo? member) =>
        member?.DeclaringType?.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Any(p => p.HasDefaultValue && string.Equals(p.Name, member.Name, StringComparison.OrdinalIgnoreCase)) ?? false;

    /// <summary>The types a request body is made of: each operation's body type and, through its properties, all it holds.</summary>
    private static HashSet<Type> RequestTypes(IApiDescriptionGroupCollectionProvider apis, ISerializerDataContractResolver contracts)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(apis.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .SelectMany(d => d.ParameterDescriptions)
            .Where(p => p.Source == BindingSource.Body && p.Type is not null)
            .Select(p => p.Type));
        while (pending.TryPop(out var type))
        {
            var contract = contracts.GetDataContractForType(type);
            IEnumerable<Type> held = contract.DataType switch
            {
                DataType.Array => [contract.ArrayItemType],
                DataType.Dictionary => [contract.DictionaryValueType],
                DataType.Object when found.Add(contract.UnderlyingType) => contract.ObjectProperties.Select(p => p.MemberType),
                _ => [],
            };
            foreach (var next in held.Where(t => t is not null))
            {
                pending.Push(next);
            }
        }

        return found;
    }
}

/// <summary>
/// Documents the text answers an operation gives beside its JSON one (<see cref="Endpoints.EndpointConventions.ProducesText"/>):
/// the generator gives every media type of a status the one schema, so a CSV answer would be described as JSON.
/// </summary>
public sealed class TextResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var text in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Endpoints.ProducesTextMetadata>())
        {
            if (operation.Responses?.TryGetValue(text.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) is true
                && response is OpenApiResponse { Content: { } content })
            {
                content[text.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }
    }
}

/// <summary>
/// Documents on every operation the answer to a fault of the service's own (500, problem details like every other
/// error), never caused by what the client sent: a read whose audit entry cannot be written is one (it is refused
/// rather than answered unlogged).
/// </summary>
public sealed class ServerFaults : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd("500", new OpenApiResponse
        {
            Description = "The service failed: its fault, not the request's. Quote the traceId when reporting it.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
            },
        });
    }
}

/// <summary>
/// Documents the bytes of a document (<see cref="Endpoints.DocumentBodyMetadata"/>) in every accepted type: the upload's
/// request body, or the 200 answer of a view or download. The generator knows nothing of a raw body or a streamed file.
/// </summary>
public sealed class DocumentBodies : IOperationFilter
{
    private const string Example = "(the document's bytes)";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Endpoints.DocumentBodyMetadata>().FirstOrDefault() is not { } body)
        {
            return;
        }

        var content = Domain.Documents.DocumentTypes.Accepted.ToDictionary(
            type => type,
            _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }, Example = System.Text.Json.Nodes.JsonValue.Create(Example) });
        if (body.Request)
        {
            operation.RequestBody = new OpenApiRequestBody { Required = true, Description = "The document, as its Content-Type declares it.", Content = content };
        }
        else
        {
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse { Description = "The document's bytes, checked against their SHA-256 (Repr-Digest).", Content = content };
        }
    }
}

/// <summary>Documents a 200 answer of raw bytes of one media type (<see cref="Endpoints.BinaryResponseMetadata"/>): a bundle's PDF.</summary>
public sealed class BinaryResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Endpoints.BinaryResponseMetadata>().FirstOrDefault() is not { } binary)
        {
            return;
        }

        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = binary.Description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [binary.MediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }, Example = System.Text.Json.Nodes.JsonValue.Create("(the PDF's bytes)") },
            },
        };
    }
}

/// <summary>
/// Documents the request headers that make a write safe to retry (the API conventions), so a partner's generated client
/// can offer them: <c>Idempotency-Key</c> on every operation that keeps a key (those that can answer 422 for a key
/// reused with another body) and <c>If-Match</c> on every one that checks a version (those that can answer 412).
/// </summary>
public sealed class WriteHeaders : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses is not { } responses)
        {
            return;
        }

        if (responses.ContainsKey("422"))
        {
            Add(operation, new OpenApiParameter
            {
                Name = Http.RequestContext.IdempotencyKeyHeader,
                In = ParameterLocation.Header,
                Description = "A key of the caller's choosing (a UUID, say) that makes the request safe to retry: the same key and body "
                    + "within 24 hours replays the stored response (Idempotent-Replayed: true) and does nothing twice; the same key "
                    + "with another body is 422; a key whose first request is still running is 409.",
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MinLength = 1,
                    MaxLength = Http.RequestContext.IdempotencyKeyMaxLength,
                    Pattern = "^[!-~]+$",
                },
            });
        }

        if (responses.ContainsKey("412"))
        {
            Add(operation, new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "The ETag of the version the change was made against (RFC 9110 section 13.1.1), or *: any other "
                    + "entity tag is 412 with nothing written; a value that is not an entity tag is 400.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    private static void Add(OpenApiOperation operation, OpenApiParameter parameter)
    {
        operation.Parameters ??= [];
        if (!operation.Parameters.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            operation.Parameters.Add(parameter);
        }
    }
}
