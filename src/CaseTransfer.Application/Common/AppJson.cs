using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaseTransfer.Application.Common;

/// <summary>
/// The one JSON shape of the service: camelCase, enums as strings, instants in UTC with <c>Z</c>. The HTTP layer,
/// stored idempotent responses and outbox payloads all use it, so a replay is byte-for-byte the original.
/// </summary>
public static class AppJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new UtcInstantConverter());
        return options;
    }

    /// <summary>An instant as the service writes it everywhere (JSON, CSV): ISO 8601 in UTC with <c>Z</c>.</summary>
    public static string FormatInstant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes instants as ISO 8601 UTC with <c>Z</c>; reads any ISO 8601 instant and normalises it to UTC.</summary>
    private sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset().ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatInstant(value));
    }
}
