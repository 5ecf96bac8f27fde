using System.Text.Json;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Documents;
using CaseTransfer.Domain.Common;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Api.Http;

/// <summary>Problem type URIs. A refusal by a domain rule names the rule: <c>.../rules/{rule}</c>.</summary>
public static class ProblemTypes
{
    public const string Base = "https://case-transfer.example/problems/";
    public const string Validation = Base + "validation";
    public const string MalformedRequest = Base + "malformed-request";
    public const string TooLarge = Base + "request-too-large";
    public const string Unauthenticated = Base + "unauthenticated";
    public const string Forbidden = Base + "forbidden";
    public const string NotFound = Base + "not-found";
    public const string PreconditionFailed = Base + "precondition-failed";
    public const string ConcurrentChange = Base + "concurrent-change";
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";
    public const string IdempotencyKeyInFlight = Base + "idempotency-key-in-flight";
    public const string DocumentIntegrity = Base + "document-integrity";
    public const string DocumentContentMissing = Base + "document-content-missing";

    public static string Rule(string rule) => Base + "rules/" + rule;
}

/// <summary>
/// The one place exceptions become HTTP answers (RFC 9457). Anything the client sent wrongly is a 4xx that says
/// what; only the service's own faults fall through to a 500.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, IDatabaseErrors databaseErrors) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private ProblemDetails? Describe(Exception exception) => exception switch
    {
        ValidationException v => new HttpValidationProblemDetails(
            v.Errors.GroupBy(e => CamelCasePath(e.PropertyName)).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.Validation,
            Title = "The request is not valid.",
            Detail = "See errors for each field that was wrong.",
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problem(
            StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooLarge, "The request body is too large.", exception.Message),
        BadHttpRequestException bad => Malformed(bad),
        JsonException json => Malformed(json),
        NotFoundException => Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found.", exception.Message),
        CaseTransfer.Domain.SubjectAccess.SubjectAccessBundleGoneException => Problem(StatusCodes.Status410Gone, ProblemTypes.Rule("subject-access-bundle-expired"), "The bundle has expired.", exception.Message),
        ForbiddenException => Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden.", exception.Message),
        PreconditionFailedException => Problem(
            StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "The resource has changed.", exception.Message),
        DomainRuleViolation rule => WithFacts(Problem(StatusCodes.Status409Conflict, ProblemTypes.Rule(rule.Rule), "A rule forbids this action.", rule.Message), rule.Facts),
        DocumentRefusedException refused => Problem(refused.Status, ProblemTypes.Rule(refused.Rule), "The document was refused.", refused.Message),
        DocumentIntegrityException => Problem(
            StatusCodes.Status500InternalServerError, ProblemTypes.DocumentIntegrity, "The document failed its integrity check.", exception.Message),
        DocumentContentMissingException => Problem(
            StatusCodes.Status500InternalServerError, ProblemTypes.DocumentContentMissing, "The document's content is missing.", "The document's stored content could not be found."),
        IdempotencyKeyReusedException => Problem(
            StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency-Key reused.", exception.Message),
        IdempotencyKeyInFlightException => Problem(
            StatusCodes.Status409Conflict, ProblemTypes.IdempotencyKeyInFlight, "Idempotency-Key in flight.", exception.Message),
        DbUpdateConcurrencyException => Problem(
            StatusCodes.Status409Conflict, ProblemTypes.ConcurrentChange, "Someone else changed this first.", "The resource was changed by another request at the same time; read it again and retry."),
        DbUpdateException when databaseErrors.IsUniqueViolation(exception) => Problem(
            StatusCodes.Status409Conflict, ProblemTypes.ConcurrentChange, "Someone else created this first.", "A conflicting record was written by another request at the same time."),
        _ when databaseErrors.IsConcurrencyFailure(exception) => Problem(
            StatusCodes.Status409Conflict, ProblemTypes.ConcurrentChange, "Another request got in the way.",
            "The database gave this request up for another one running at the same time; nothing it would have written was kept. Retry it."),
        _ => null,
    };

    private static ProblemDetails Malformed(Exception exception)
    {
        // Find the JSON error underneath the binding exception: its path names the field ("$.sentence.type").
        var json = exception as JsonException ?? exception.InnerException as JsonException ?? exception.InnerException?.InnerException as JsonException;
        if (json is null)
        {
            // Route and query values that do not bind (?limit=abc) name their parameter, like any other bad field.
            if (BindFailure().Match(exception.Message) is { Success: true } bind)
            {
                return new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [bind.Groups["name"].Value] = [$"'{bind.Groups["value"].Value}' is not a valid value"],
                })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Type = ProblemTypes.MalformedRequest,
                    Title = "The request is malformed.",
                    Detail = $"The value of '{bind.Groups["name"].Value}' could not be read.",
                };
            }

            // An empty body (or the JSON literal null) is reported by the framework in words meant for its developers.
            return exception.Message.Contains("no body was provided", StringComparison.Ordinal)
                ? Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "The request body is missing.", "A JSON body is required.")
                : Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "The request is malformed.", exception.Message);
        }

        // A property the request type does not define (refused, so that a misspelt field is not dropped in silence):
        // named as the client spelt it, with the path to it.
        if (UnmappedMember().Match(json.Message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups["name"].Value;
            var path = json.Path?.TrimStart('$', '.') is { Length: > 0 } p ? p : name;
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [path] = ["is not a property of this request; check its spelling against the API's schema"],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Type = ProblemTypes.MalformedRequest,
                Title = "The request body could not be read.",
                Detail = $"'{path}' is not a property of this request.",
            };
        }

        // A syntax error (truncated or broken JSON) comes from the reader, wrapped with the path where reading stopped;
        // it is not a wrong value at that path.
        var syntax = json.Path is null or "$" || json.InnerException is JsonException;
        var field = syntax ? "$" : CamelCasePath(json.Path!.TrimStart('$', '.'));
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [syntax ? "the body is not valid JSON" : "has the wrong type or an unknown value"],
        })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.MalformedRequest,
            Title = "The request body could not be read.",
            Detail = syntax
                ? $"The body is not valid JSON (reading stopped at '{json.Path ?? "$"}', line {json.LineNumber}, byte {json.BytePositionInLine})."
                : $"The value at '{json.Path}' has the wrong type or an unknown value.",
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex("^The JSON property '(?<name>.*)' could not be mapped to any \\.NET member", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex UnmappedMember();

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?:[^\"]* )?(?<name>[A-Za-z0-9_]+)\" from \"(?<value>.*)\"\\.$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    private static ProblemDetails WithFacts(ProblemDetails problem, IReadOnlyDictionary<string, object?>? facts)
    {
        foreach (var (name, value) in facts ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        return problem;
    }

    public static ProblemDetails Problem(int status, string type, string title, string detail) =>
        new() { Status = status, Type = type, Title = title, Detail = detail };

    public static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
