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
/// With <c>--reads</c> (mode <c>baseline-http-reads</c>) each request first makes, in its transaction and one round
/// trip each, the reads the Api's rules need, with the statements EF sends (<see cref="ApiReadsSql"/>): propose the
/// visible case with its facts, area, current risk and open-allocation check (404 before 409, as the Api); accept the
/// visible allocation with its case, holdings, area name, current risk and named practitioner (404), then the
/// practitioner's caseload aggregate. Every row and column is read; the write batch that follows is the same.
/// </summary>
internal static class AllocateBaselineServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Opt(string name) => args[Array.IndexOf(args, name) + 1];
        var builder = BaselineSql.ServerBuilder();

        // The Api's own connection settings: statements prepared, no session reset.
        await using var source = NpgsqlDataSource.Create(DatabaseOptions.WithAutoPrepare(Opt("--connection")));
        var template = await AllocateBench.TemplateAsync(source);
        var outboxPerPair = int.Parse(Opt("--outbox"), System.Globalization.CultureInfo.InvariantCulture);
        var reads = Array.IndexOf(args, "--reads") >= 0;
        // The holder codes each organisation sees (its own and those below it), as the Api's CaseAccess derives them
        // from the organisations it keeps per process (reference data; it re-reads them every 30 s, this server once).
        var visible = reads ? await ApiReadsSql.VisibleCodesAsync(source) : [];
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
            if (reads)
            {
                var open = await ApiReadsSql.ProposeReadAsync(connection, transaction, body.Crn, visible[org], user);
                if (open is null)
                {
                    return Results.NotFound();
                }

                if (open.Value)
                {
                    return Results.Conflict();
                }
            }

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
            batch.BatchCommands.Add(BaselineSql.StampCase(body.Crn, now));
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
            if (reads)
            {
                if (!await ApiReadsSql.AcceptReadAsync(connection, transaction, body.ResponsibleOfficerId, id, visible[org]))
                {
                    return Results.NotFound();
                }

                await ApiReadsSql.CaseloadReadAsync(connection, transaction, DateOnly.FromDateTime(now.UtcDateTime), body.ResponsibleOfficerId);
            }

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
                  "LastAuditedWriteAt" = $3, "Version" = c."Version" + 1
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

/// <summary>What the raw baselines share: their web host, and one audit entry and outbox row as the Api's writes them.</summary>
internal static class BaselineSql
{
    /// <summary>A bare web host that checks bearer tokens exactly as the Api does (ServiceRegistration.AddAuthentication), logging nothing.</summary>
    public static WebApplicationBuilder ServerBuilder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        var auth = new AuthOptions { SigningKey = Environment.GetEnvironmentVariable("Auth__SigningKey") };
        var key = auth.ResolveKey();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = auth.ValidationParameters(key);
        });
        return builder;
    }

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

    /// <summary>
    /// The case's last audited write, as the Api's TransactionBehaviour keeps it when a change does not write the case
    /// itself (a row another transaction holds is skipped). A change that updates the case sets it in that update.
    /// </summary>
    public static NpgsqlBatchCommand StampCase(string crn, DateTimeOffset now) => Command(
        """
        UPDATE "Cases" SET "LastAuditedWriteAt" = $2
        WHERE "Id" = (SELECT "Id" FROM "Cases" WHERE "Crn" = $1 AND "LastAuditedWriteAt" < $2 FOR NO KEY UPDATE SKIP LOCKED)
        """,
        crn, now);

    public static NpgsqlBatchCommand Outbox(DateTimeOffset now, string type, string crn, string payload) => Command(
        $"""{OutboxInsert} VALUES ($1, $2, $3, $4, $5)""", Guid.CreateVersion7(), type, now, crn, payload);
}

/// <summary>
/// The reads the Api makes per request (<c>baseline-http-reads</c>), in the exact SQL EF Core 10 / Npgsql sends for
/// them: captured on 2026-11-27 (session 5) from the Release Api under <c>allocate</c> with
/// <c>--setting Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information</c> (the Api's log,
/// <c>api.log</c> in the bench's work directory; kept in <c>bench/results/2026-11-27-s5-reads-captured-sql.txt</c>),
/// from the compiled queries <c>CaseFactsReader</c> ByVisibleCrn (propose), <c>AcceptAllocation.Read</c> (accept) and
/// <c>Caseloads</c> ByOfficer (the capacity gate). The parameters are named and typed as EF names and types them
/// (Npgsql rewrites <c>@name</c> to <c>$n</c> for both). <b>Re-capture and paste them again whenever those queries or
/// the mapped columns change</b>, or this baseline stops measuring the Api's reads.
/// </summary>
internal static class ApiReadsSql
{
    // EF: @crn='?', @codes='?' (DbType = Object), @user='?'
    public const string Propose = """
        SELECT s."Id", s."AreaCode", s."CreatedAt", s."Crn", s."DateOfBirth", s."FirstName", s."HasAccessLimits", s."HeldSince", s."HolderOrganisationCode", s."LastName", s."MiddleNames", s."NomsNumber", s."PncId", s."ResponsibleOfficerId", s."Tier", s."UpdatedAt", s."Version", s."ExpectedEndDate", s."LicenceEndDate", s."ReleaseDate", s."SentenceDate", s."StartDate", s."SentenceType", s."Code", s."Id0", r1."Id", r1."CaseId", r1."ExpectedEndDate", r1."StartDate", r1."Type", s."Name", s."NpsRegionCode", s."ProviderCode", s."CaseId", s."RecordedAt", s."RecordedBy", s."RecordedByOrganisation", s."AssessedOn", s."Flags", s."MappaCategory", s."MappaLevel", s."OgrsPercent", s."Rosh", s."RsrPercent", s."Tier0", s.c
        FROM (
            SELECT c."Id", c."AreaCode", c."CreatedAt", c."Crn", c."DateOfBirth", c."FirstName", c."HasAccessLimits", c."HeldSince", c."HolderOrganisationCode", c."LastName", c."MiddleNames", c."NomsNumber", c."PncId", c."ResponsibleOfficerId", c."Tier", c."UpdatedAt", c."Version", c."ExpectedEndDate", c."LicenceEndDate", c."ReleaseDate", c."SentenceDate", c."StartDate", c."SentenceType", a."Code", a."Name", a."NpsRegionCode", a."ProviderCode", r."Id" AS "Id0", r."CaseId", r."RecordedAt", r."RecordedBy", r."RecordedByOrganisation", r."AssessedOn", r."Flags", r."MappaCategory", r."MappaLevel", r."OgrsPercent", r."Rosh", r."RsrPercent", r."Tier" AS "Tier0", EXISTS (
                SELECT 1
                FROM "Allocations" AS a0
                WHERE a0."OpenCaseId" = c."Id") AS c
            FROM "Cases" AS c
            INNER JOIN "Areas" AS a ON c."AreaCode" = a."Code"
            LEFT JOIN "RiskAssessments" AS r ON c."Id" = r."CaseId" AND (
                SELECT r0."Id"
                FROM "RiskAssessments" AS r0
                WHERE r0."CaseId" = c."Id"
                ORDER BY r0."AssessedOn" DESC, r0."RecordedAt" DESC
                LIMIT 1) = r."Id"
            WHERE c."Crn" = @crn AND c."HolderOrganisationCode" = ANY (@codes) AND (NOT (c."HasAccessLimits") OR (NOT EXISTS (
                SELECT 1
                FROM "CaseAccessLimits" AS c0
                WHERE c0."RemovedAt" IS NULL AND c0."CaseId" = c."Id" AND c0."Kind" = 'Exclusion' AND c0."StaffCode" = @user) AND (NOT EXISTS (
                SELECT 1
                FROM "CaseAccessLimits" AS c1
                WHERE c1."RemovedAt" IS NULL AND c1."CaseId" = c."Id" AND c1."Kind" = 'Restriction') OR EXISTS (
                SELECT 1
                FROM "CaseAccessLimits" AS c2
                WHERE c2."RemovedAt" IS NULL AND c2."CaseId" = c."Id" AND c2."Kind" = 'Restriction' AND c2."StaffCode" = @user))))
            LIMIT 2
        ) AS s
        LEFT JOIN "Requirement" AS r1 ON s."Id" = r1."CaseId"
        ORDER BY s."Id", s."Code", s."Id0"
        """;

    // EF: @officerId='?' (DbType = Guid), @id='?' (DbType = Guid), @codes='?' (DbType = Object)
    public const string Accept = """
        SELECT s."Id", s."ApprovedAt", s."ApprovedBy", s."AreaCode", s."CapacityAcknowledgement", s."CaseId", s."Crn", s."DecidedAt", s."DecidedBy", s."DecisionJson", s."DecisionText", s."DueBy", s."FactsJson", s."FromOrganisationCode", s."IsOverride", s."OpenCaseId", s."OverrideJustification", s."ProposedAt", s."ProposedBy", s."Reason", s."ReasonText", s."RejectionReason", s."ResponsibleOfficerId", s."RulesOrganisationCode", s."RulesOutcome", s."RulesProvisional", s."RulesetHash", s."RulesetVersion", s."SentAt", s."State", s."ToOrganisationCode", s."Version", s."Id0", s."AreaCode0", s."CreatedAt", s."Crn0", s."DateOfBirth", s."FirstName", s."HasAccessLimits", s."HeldSince", s."HolderOrganisationCode", s."LastName", s."MiddleNames", s."NomsNumber", s."PncId", s."ResponsibleOfficerId0", s."Tier", s."UpdatedAt", s."Version0", s."ExpectedEndDate", s."LicenceEndDate", s."ReleaseDate", s."SentenceDate", s."StartDate", s."SentenceType", s."Id1", c0."Id", c0."CapacityAcknowledgement", c0."CaseId", c0."From", c0."OrganisationCode", c0."Reason", c0."ResponsibleOfficerId", c0."To", s.c, s.c0, s.c1, s."AvailableHours", s."ContractedHours", s."Grade", s."Name", s."OrganisationCode", s."StaffCode"
        FROM (
            SELECT a."Id", a."ApprovedAt", a."ApprovedBy", a."AreaCode", a."CapacityAcknowledgement", a."CaseId", a."Crn", a."DecidedAt", a."DecidedBy", a."DecisionJson", a."DecisionText", a."DueBy", a."FactsJson", a."FromOrganisationCode", a."IsOverride", a."OpenCaseId", a."OverrideJustification", a."ProposedAt", a."ProposedBy", a."Reason", a."ReasonText", a."RejectionReason", a."ResponsibleOfficerId", a."RulesOrganisationCode", a."RulesOutcome", a."RulesProvisional", a."RulesetHash", a."RulesetVersion", a."SentAt", a."State", a."ToOrganisationCode", a."Version", c."Id" AS "Id0", c."AreaCode" AS "AreaCode0", c."CreatedAt", c."Crn" AS "Crn0", c."DateOfBirth", c."FirstName", c."HasAccessLimits", c."HeldSince", c."HolderOrganisationCode", c."LastName", c."MiddleNames", c."NomsNumber", c."PncId", c."ResponsibleOfficerId" AS "ResponsibleOfficerId0", c."Tier", c."UpdatedAt", c."Version" AS "Version0", c."ExpectedEndDate", c."LicenceEndDate", c."ReleaseDate", c."SentenceDate", c."StartDate", c."SentenceType", (
                SELECT a0."Name"
                FROM "Areas" AS a0
                WHERE a0."Code" = c."AreaCode"
                LIMIT 1) AS c, (
                SELECT r."Tier"
                FROM "RiskAssessments" AS r
                WHERE r."CaseId" = c."Id"
                ORDER BY r."AssessedOn" DESC, r."RecordedAt" DESC
                LIMIT 1) AS c0, (
                SELECT r0."Rosh"
                FROM "RiskAssessments" AS r0
                WHERE r0."CaseId" = c."Id"
                ORDER BY r0."AssessedOn" DESC, r0."RecordedAt" DESC
                LIMIT 1) AS c1, p."Id" AS "Id1", p."AvailableHours", p."ContractedHours", p."Grade", p."Name", p."OrganisationCode", p."StaffCode"
            FROM "Allocations" AS a
            INNER JOIN "Cases" AS c ON a."CaseId" = c."Id"
            LEFT JOIN "Practitioners" AS p ON @officerId = p."Id"
            WHERE a."Id" = @id AND (a."FromOrganisationCode" = ANY (@codes) OR (a."ToOrganisationCode" = ANY (@codes) AND a."SentAt" IS NOT NULL))
            LIMIT 2
        ) AS s
        LEFT JOIN "CaseHoldings" AS c0 ON s."Id0" = c0."CaseId"
        ORDER BY s."Id", s."Id0", s."Id1"
        """;

    // EF: @today='?' (DbType = Date), @id='?' (DbType = Guid)
    public const string Caseload = """
        SELECT c0."ResponsibleOfficerId", c0."Tier", c0."SentenceType", c0."Released", c0."LicenceEnded", count(*)::int
        FROM (
            SELECT c."ResponsibleOfficerId", c."Tier", c."SentenceType", c."ReleaseDate" IS NOT NULL AND c."ReleaseDate" <= @today AS "Released", c."LicenceEndDate" IS NOT NULL AND c."LicenceEndDate" < @today AS "LicenceEnded"
            FROM "Cases" AS c
            WHERE c."ResponsibleOfficerId" = @id
        ) AS c0
        GROUP BY c0."ResponsibleOfficerId", c0."Tier", c0."SentenceType", c0."Released", c0."LicenceEnded"
        """;

    /// <summary>Each organisation's visible holder codes: its own and its children's (CaseAccess's rule).</summary>
    public static async Task<Dictionary<string, string[]>> VisibleCodesAsync(NpgsqlDataSource source)
    {
        var parents = new List<(string Code, string? Parent)>();
        await using var command = source.CreateCommand("""SELECT "Code", "ParentCode" FROM "Organisations" """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            parents.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return parents.ToDictionary(o => o.Code, o => parents.Where(x => x.Code == o.Code || x.Parent == o.Code).Select(x => x.Code).ToArray());
    }

    /// <summary>The propose read: null when the caller sees no such case, else whether it has an open allocation (the last column).</summary>
    public static async Task<bool?> ProposeReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string crn, string[] codes, string user)
    {
        await using var command = new NpgsqlCommand(Propose, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("crn", crn));
        command.Parameters.Add(new NpgsqlParameter("codes", codes));
        command.Parameters.Add(new NpgsqlParameter("user", user));
        await using var reader = await command.ExecuteReaderAsync();
        bool? open = null;
        while (await reader.ReadAsync())
        {
            Consume(reader);
            open = reader.GetBoolean(reader.FieldCount - 1);
        }

        return open;
    }

    /// <summary>The accept read: whether the caller sees the allocation (its case, holdings, area, risk and practitioner read with it).</summary>
    public static async Task<bool> AcceptReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid officerId, Guid id, string[] codes)
    {
        await using var command = new NpgsqlCommand(Accept, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("officerId", officerId));
        command.Parameters.Add(new NpgsqlParameter("id", id));
        command.Parameters.Add(new NpgsqlParameter("codes", codes));
        await using var reader = await command.ExecuteReaderAsync();
        var found = false;
        while (await reader.ReadAsync())
        {
            Consume(reader);
            found = true;
        }

        return found;
    }

    /// <summary>The named practitioner's caseload, grouped as the capacity gate weighs it; returns the cases counted.</summary>
    public static async Task<int> CaseloadReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly today, Guid officerId)
    {
        await using var command = new NpgsqlCommand(Caseload, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("today", today));
        command.Parameters.Add(new NpgsqlParameter("id", officerId));
        await using var reader = await command.ExecuteReaderAsync();
        var cases = 0;
        while (await reader.ReadAsync())
        {
            Consume(reader);
            cases += reader.GetInt32(reader.FieldCount - 1);
        }

        return cases;
    }

    /// <summary>Every column of the current row read (as EF materialises them all), none skipped.</summary>
    private static void Consume(NpgsqlDataReader reader)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            _ = reader.GetValue(i);
        }
    }
}
