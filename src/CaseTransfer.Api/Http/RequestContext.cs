using System.Diagnostics;
using CaseTransfer.Application.Common;

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

    /// <summary>The version an If-Match header demands, or null when absent or <c>*</c>.</summary>
    public static long? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        // If-Match uses strong comparison (RFC 9110 13.1.1): a weak tag never matches, so the change is refused.
        if (header.StartsWith("W/", StringComparison.Ordinal))
        {
            throw new PreconditionFailedException("If-Match needs a strong ETag; a weak one never matches.");
        }

        var tag = header;
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && long.TryParse(tag[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new BadHttpRequestException("If-Match must be a single ETag this service issued, such as \"3\".", StatusCodes.Status400BadRequest);
    }
}
