using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>Checks that an answer is an RFC 9457 problem details body with every member the conventions promise.</summary>
public static class Problems
{
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? typeEndsWith = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        foreach (var member in new[] { "type", "title", "detail", "instance", "traceId" })
        {
            Assert.True(
                body[member] is JsonValue v && !string.IsNullOrWhiteSpace(v.GetValue<string>()),
                $"problem details member '{member}' is missing or empty: {text}");
        }

        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        if (typeEndsWith is not null)
        {
            Assert.EndsWith(typeEndsWith, body["type"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        return body;
    }

    /// <summary>
    /// Of answers to one change sent at once: exactly one is <paramref name="success"/>, every other a 409 or a 412 as
    /// problem details. Returns the winner.
    /// </summary>
    public static async Task<HttpResponseMessage> AssertOneWinsAsync(IReadOnlyList<HttpResponseMessage> answers, HttpStatusCode success, string round)
    {
        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.True(
            statuses.Count(s => s == success) == 1 && statuses.Count(s => s is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed) == answers.Count - 1,
            $"round {round}: {string.Join(", ", statuses)}");
        foreach (var loser in answers.Where(a => a.StatusCode != success))
        {
            await AssertProblemAsync(loser, loser.StatusCode);
        }

        return answers.Single(a => a.StatusCode == success);
    }

    /// <summary>The field names listed under <c>errors</c>.</summary>
    public static IReadOnlyCollection<string> ErrorFields(JsonObject problem) =>
        problem["errors"] is JsonObject errors ? errors.Select(e => e.Key).ToList() : [];

    public static void AssertNamesField(JsonObject problem, string field) =>
        Assert.True(ErrorFields(problem).Contains(field), $"errors should name '{field}': {problem.ToJsonString()}");

    public sealed record Rows(int Cases, int AuditEntries, int OutboxMessages, int RiskAssessments);

    public static Task<Rows> CountRowsAsync(this CaseTransferApp app) => app.InDatabaseAsync(async db => new Rows(
        await db.Cases.CountAsync(),
        await db.AuditEntries.CountAsync(),
        await db.OutboxMessages.CountAsync(),
        await db.RiskAssessments.CountAsync()));
}
