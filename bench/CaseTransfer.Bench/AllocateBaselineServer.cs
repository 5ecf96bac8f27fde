using System.Diagnostics;
using System.Text.Json;
using CaseTransfer.Api.Auth;
using CaseTransfer.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

/// <summary>
/// The raw ADO.NET baseline behind HTTP (<c>allocate-baseline-server</c>, started by <c>allocate</c> as a child process
/// like the Api): the same two requests the Api serves (<c>POST /api/v1/allocations</c>, <c>POST
/// /api/v1/allocations/{id}/accept</c>, the same bodies, the same bearer tokens checked the same way), each handled
/// by one transaction of raw Npgsql that writes exactly the rows the in-process baseline writes, sent as one
/// <see cref="NpgsqlBatch"/>. Nothing else: no reads before the write (the case and the allocation are joined into the
/// statements), no validation beyond what the database refuses, no rules, no view, no audit hash or receipt, a
/// response of only the allocation's id. It is what a hand-written service would cost per request, HTTP included.
/// </summary>
internal static class AllocateBaselineServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Opt(string name) => args[Array.IndexOf(args, name) + 1];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        var auth = new AuthOptions { SigningKey = Environment.GetEnvironmentVariable("Auth__SigningKey") };
        var key = auth.ResolveKey();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            // As the Api (ServiceRegistration.AddAuthentication): the same validation parameters and claim mapping.
            o.MapInboundClaims = false;
            o.TokenValidationParameters = auth.ValidationParameters(key);
        });

        // The Api's own connection settings: statements prepared, no session reset.
        await using var source = NpgsqlDataSource.Create(DatabaseOptions.WithAutoPrepare(Opt("--connection")));
        var template = await AllocateBench.TemplateAsync(source);
        var outboxPerPair = int.Parse(Opt("--outbox"), System.Globalization.CultureInfo.InvariantCulture);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/api/v1/allocations", async (HttpContext http, ProposeBody body) =>
        {
            var org = http.User.FindFirst(Claims.Organisation)!.Value;
            var user = http.User.FindFirst(Claims.Subject)!.Value;
            var id = Guid.CreateVersion7();
            var now = DateTimeOffset.UtcNow;
            await using var connection = await source.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(BaselineSql.Command(
                """
                INSERT INTO "Allocations" ("Id", "CaseId", "Crn", "AreaCode", "FromOrganisationCode", "ToOrganisationCode", "Reason", "RulesOutcome",
                  "RulesOrganisationCode", "RulesProvisional", "RulesetVersion", "RulesetHash", "FactsJson", "DecisionJson", "IsOverride", "ProposedBy",
                  "ProposedAt", "SentAt", "DueBy", "State", "OpenCaseId", "Version")
                SELECT $1, c."Id", c."Crn", c."AreaCode", $2, $3, $4, 'AllocateToProvider', $3, false, $5, $6, $7, $8, false, $9, $10, $10, $11, 'Proposed', c."Id", 1
                FROM "Cases" c WHERE c."Crn" = $12 AND c."HolderOrganisationCode" = $2
                """,
                id, org, body.ToOrganisation, body.Reason, template.RulesetVersion, template.RulesetHash, template.FactsJson, template.DecisionJson,
                user, now, now.AddDays(14), body.Crn));
            batch.BatchCommands.Add(BaselineSql.Audit(now, "Disclosure", "ProposeAllocation", user, org, body.Crn, id, 1, "allocation proposed", body.ToOrganisation));
            batch.BatchCommands.Add(BaselineSql.Outbox(now, "case-transfer.allocation.proposed", body.Crn, template.Payload));
            await batch.ExecuteNonQueryAsync();
            if (batch.BatchCommands[0].RecordsAffected != 1)
            {
                return Results.NotFound();
            }

            await transaction.CommitAsync();
            return Results.Json(new { id }, statusCode: StatusCodes.Status201Created);
        }).RequireAuthorization();
        app.MapPost("/api/v1/allocations/{id:guid}/accept", async (HttpContext http, Guid id, AcceptBody body) =>
        {
            var org = http.User.FindFirst(Claims.Organisation)!.Value;
            var user = http.User.FindFirst(Claims.Subject)!.Value;
            var now = DateTimeOffset.UtcNow;
            await using var connection = await source.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(BaselineSql.Command(
                """
                UPDATE "Allocations" SET "State" = 'Accepted', "DecidedBy" = $2, "DecidedAt" = $3, "ResponsibleOfficerId" = $4,
                  "CapacityAcknowledgement" = $5, "OpenCaseId" = NULL, "Version" = "Version" + 1
                WHERE "Id" = $1 AND "State" = 'Proposed' AND "ToOrganisationCode" = $6
                """,
                id, user, now, body.ResponsibleOfficerId, body.CapacityAcknowledgement?.GetRawText(), org));
            batch.BatchCommands.Add(BaselineSql.Command(
                """
                UPDATE "Cases" c SET "HolderOrganisationCode" = a."ToOrganisationCode", "ResponsibleOfficerId" = $2, "HeldSince" = $3, "UpdatedAt" = $3,
                  "Version" = c."Version" + 1
                FROM "Allocations" a WHERE a."Id" = $1 AND c."Id" = a."CaseId"
                """,
                id, body.ResponsibleOfficerId, now));
            batch.BatchCommands.Add(BaselineSql.Command(
                """UPDATE "CaseHoldings" h SET "To" = $2 FROM "Allocations" a WHERE a."Id" = $1 AND h."CaseId" = a."CaseId" AND h."To" IS NULL""", id, now));
            batch.BatchCommands.Add(BaselineSql.Command(
                """
                INSERT INTO "CaseHoldings" ("Id", "CaseId", "OrganisationCode", "ResponsibleOfficerId", "From", "Reason")
                SELECT $2, a."CaseId", a."ToOrganisationCode", $3, $4, 'Allocation accepted' FROM "Allocations" a WHERE a."Id" = $1
                """,
                id, Guid.CreateVersion7(), body.ResponsibleOfficerId, now));
            batch.BatchCommands.Add(BaselineSql.Command(
                $"""
                {BaselineSql.AuditInsert}
                SELECT $1, $2, 'Alteration', 'AcceptAllocation', $3, $3, $4, NULL, $5, a."Crn", 'allocation', $6, 2, 'allocation accepted; case holder changed', NULL, NULL
                FROM "Allocations" a WHERE a."Id" = $7
                """,
                Guid.CreateVersion7(), now, user, org, BaselineSql.TraceId(), id.ToString(), id));
            for (var i = 1; i < outboxPerPair; i++)
            {
                batch.BatchCommands.Add(BaselineSql.Command(
                    $"""{BaselineSql.OutboxInsert} SELECT $1, 'case-transfer.allocation.accepted', $2, a."Crn", $3 FROM "Allocations" a WHERE a."Id" = $4""",
                    Guid.CreateVersion7(), now, template.Payload, id));
            }

            await batch.ExecuteNonQueryAsync();
            if (batch.BatchCommands[0].RecordsAffected != 1)
            {
                return Results.NotFound();
            }

            await transaction.CommitAsync();
            return Results.Json(new { id, state = "Accepted" });
        }).RequireAuthorization();
        app.MapGet("/health/ready", () => Results.Ok()).AllowAnonymous();
        await app.RunAsync(Opt("--url"));
        return 0;
    }

    internal sealed record ProposeBody(string Crn, string ToOrganisation, string Reason);

    internal sealed record AcceptBody(Guid ResponsibleOfficerId, JsonElement? CapacityAcknowledgement);
}

/// <summary>The statements both baselines share: one audit entry and outbox row, as the Api's writes them.</summary>
internal static class BaselineSql
{
    public const string AuditInsert = """
        INSERT INTO "AuditEntries" ("Id", "OccurredAt", "Operation", "Action", "ActorUserId", "ActorUserName", "ActorOrganisation", "ClientId", "TraceId",
          "Crn", "ResourceType", "ResourceId", "ResourceVersion", "Summary", "Justification", "Recipients")
        """;

    public const string OutboxInsert = """INSERT INTO "OutboxMessages" ("Id", "EventType", "OccurredAt", "Crn", "Payload")""";

    public static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    public static string TraceId() => Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");

    public static NpgsqlBatchCommand Audit(DateTimeOffset now, string operation, string action, string actor, string org, string crn, Guid resource, long version, string summary, string? recipients) => Command(
        $"""
        {AuditInsert}
        VALUES ($1, $2, $3, $4, $5, $5, $6, NULL, $7, $8, 'allocation', $9, $10, $11, NULL, $12)
        """,
        Guid.CreateVersion7(), now, operation, action, actor, org, TraceId(), crn, resource.ToString(), version, summary, recipients);

    public static NpgsqlBatchCommand Outbox(DateTimeOffset now, string type, string crn, string payload) => Command(
        $"""{OutboxInsert} VALUES ($1, $2, $3, $4, $5)""", Guid.CreateVersion7(), type, now, crn, payload);
}
