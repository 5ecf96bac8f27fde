using System.Diagnostics;
using System.Globalization;
using CaseTransfer.Application.Common;
using Microsoft.Net.Http.Headers;

namespace CaseTransfer.Api.Http;

/// <summary>Per-request facts read from headers, plus the trace id that also goes into every problem details body.</summary>
public sealed class RequestContext(IHttpContextAccessor accessor) : IRequestContext
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string AuditReceiptHeader = "Audit-Receipt";
    public const int IdempotencyKeyMaxLength = 200;

    public string? IdempotencyKey
    {
        get
        {
            var value = accessor.HttpContext?.Request.Headers[IdempotencyKeyHeader].ToString();
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            return value.Length <= IdempotencyKeyMaxLength && value.All(c => c is >= '!' and <= '~')
                ? value
                : throw new BadHttpRequestException(
                    $"The {IdempotencyKeyHeader} header must be 1 to {IdempotencyKeyMaxLength} printable ASCII characters.");
        }
    }

    public string TraceId => Current(accessor.HttpContext);

    public bool Replayed { get; set; }

    public string? AuditReceipt { get; set; }

    public static string Current(HttpContext? http) => Activity.Current?.TraceId.ToString() ?? http?.TraceIdentifier ?? "";
}

/// <summary>Strong ETags carry the resource version: <c>"7"</c>.</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>
    /// The versions an If-Match header allows a change at, or null when there is no condition (no header, or
    /// <c>*</c>: any current version). Any well-formed entity tag, or list of them, is a condition (RFC 9110 section
    /// 13.1.1): a tag that is not this service's strong <c>"version"</c> names no version and so never matches
    /// (412 once the resource is found). Only a value that is not an entity tag at all is a 400.
    /// </summary>
    public static IfMatch? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(values.ToString()))
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(values, out var tags) || tags.Count == 0)
        {
            throw new BadHttpRequestException(
                "If-Match must be * or a list of entity tags such as \"3\" (RFC 9110 section 13.1.1).", StatusCodes.Status400BadRequest);
        }

        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any))
            ? null
            : new IfMatch([.. tags.Where(t => !t.IsWeak).Select(VersionOf).OfType<long>().Distinct()]);
    }

    private static long? VersionOf(EntityTagHeaderValue tag) =>
        long.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
}
