using System.Globalization;
using System.Text.Json;
using CaseTransfer.Api.Auth;
using CaseTransfer.Infrastructure.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

/// <summary>
/// The raw ADO.NET baseline for the escalation workflow behind HTTP (<c>escalate-baseline-server</c>, started by
/// <c>escalate</c> as a child process like the Api): the same three requests (<c>POST /api/v1/escalations</c>, <c>POST
/// .../{id}/acknowledge</c>, <c>POST .../{id}/accept</c>), the same bodies and bearer tokens checked the same way, each
/// handled by one transaction of raw Npgsql writing the rows the Api writes (the audit entry, the escalation row or
/// its update, on acceptance the handover grant, the closed and the new holding and the case, the same outbox rows
/// with payloads of the Api's own size, and the case's last-audited-write stamp the alert job reads), sent as one <see cref="NpgsqlBatch"/>. With <c>--reads</c> each request
/// first makes, one round trip each, the reads the Api makes, with the SQL EF sends (<see cref="EscalationReadsSql"/>),
/// and uses what they return (404 for what the caller cannot see, 409 for an open escalation or a state the action
/// does not apply to); without it the writes join what they need in SQL and nothing is read. No rules beyond those,
/// no validation, no view, no audit hash or receipt; a response of only the escalation's id.
/// </summary>
internal static class EscalateBaselineServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Opt(string name) => args[Array.IndexOf(args, name) + 1];
        var builder = BaselineSql.ServerBuilder();

        await using var source = NpgsqlDataSource.Create(DatabaseOptions.WithAutoPrepare(Opt("--connection")));
        var payloads = await PayloadsAsync(source);
        var reads = Array.IndexOf(args, "--reads") >= 0;
        var visible = await ApiReadsSql.VisibleCodesAsync(source);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapPost("/api/v1/escalations", async (HttpContext http, RequestBody body) =>
        {
            var (org, user) = Caller(http);
            var id = Guid.CreateVersion7();
            var now = DateTimeOffset.UtcNow;
            var decideBy = new DateTimeOffset(now.UtcDateTime.Date.AddDays(8), TimeSpan.Zero);
            await using var connection = await source.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            var references = JsonSerializer.Serialize(body.DocumentReferences ?? []);
            if (reads)
            {
                var subject = await EscalationReadsSql.RequestReadAsync(connection, transaction, body.Crn, visible[org], user);
                if (subject is not { } s)
                {
                    return Results.NotFound();
                }

                if (await EscalationReadsSql.OpenEscalationAsync(connection, transaction, s.CaseId))
                {
                    return Results.Conflict();
                }

                if (!await EscalationReadsSql.AssessmentAsync(connection, transaction, body.RiskAssessmentId, s.CaseId))
                {
                    return Results.BadRequest();
                }

                batch.BatchCommands.Add(BaselineSql.Command(
                    $"""
                    {EscalationInsert}
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'Requested', $2, 1)
                    """,
                    id, s.CaseId, body.Crn, s.AreaCode, org, s.Region, body.Reason, body.ReasonText, body.Urgency, body.RiskAssessmentId,
                    body.TriggeringEvents, references, user, now, decideBy));
                batch.BatchCommands.Add(Audit(now, "Disclosure", "RequestEscalation", user, org, body.Crn, id, 1, $"state: none -> Requested; urgency: {body.Urgency}; reason: {body.Reason}", s.Region));
                batch.BatchCommands.Add(BaselineSql.Outbox(now, "case-transfer.escalation.requested", body.Crn, payloads["case-transfer.escalation.requested"]));
            }
            else
            {
                batch.BatchCommands.Add(BaselineSql.Command(
                    $"""
                    {EscalationInsert}
                    SELECT $1, c."Id", c."Crn", c."AreaCode", $2, a."NpsRegionCode", $3, $4, $5, $6, $7, $8, $9, $10, $11, 'Requested', c."Id", 1
                    FROM "Cases" c JOIN "Areas" a ON a."Code" = c."AreaCode" WHERE c."Crn" = $12 AND c."HolderOrganisationCode" = $2
                    """,
                    id, org, body.Reason, body.ReasonText, body.Urgency, body.RiskAssessmentId, body.TriggeringEvents, references, user, now, decideBy, body.Crn));
                batch.BatchCommands.Add(BaselineSql.Command(
                    $"""
                    {BaselineSql.AuditInsert}
                    SELECT $1, $2, 'Disclosure', 'RequestEscalation', $3, $4, $5, NULL, $6, e."Crn", 'escalation', $7, 1, $8, NULL, e."NpsRegionCode"
                    FROM "Escalations" e WHERE e."Id" = $9
                    """,
                    Guid.CreateVersion7(), now, user, "Bench " + user, org, BaselineSql.TraceId(), id.ToString(),
                    $"state: none -> Requested; urgency: {body.Urgency}; reason: {body.Reason}", id));
                batch.BatchCommands.Add(Outbox(now, "case-transfer.escalation.requested", payloads, id));
            }

            batch.BatchCommands.Add(BaselineSql.StampCase(body.Crn, now));
            await batch.ExecuteNonQueryAsync();
            if (batch.BatchCommands[0].RecordsAffected != 1)
            {
                return Results.NotFound();
            }

            await transaction.CommitAsync();
            return Results.Json(new { id }, statusCode: StatusCodes.Status201Created);
        }).RequireAuthorization();

        app.MapPost("/api/v1/escalations/{id:guid}/acknowledge", async (HttpContext http, Guid id) =>
        {
            var (org, user) = Caller(http);
            var now = DateTimeOffset.UtcNow;
            await using var connection = await source.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            const string summary = "state: Requested -> Acknowledged; urgency: Standard; reason: RoshIncrease";
            if (reads)
            {
                if (await EscalationReadsSql.EscalationAsync(connection, transaction, id, visible[org]) is not { } e)
                {
                    return Results.NotFound();
                }

                if (e.State != "Requested" || e.Region != org)
                {
                    return Results.Conflict();
                }

                await EscalationReadsSql.ViewReadsAsync(connection, transaction, e.CaseId, e.RiskAssessmentId);
                batch.BatchCommands.Add(Audit(now, "Alteration", "AcknowledgeEscalation", user, org, e.Crn, id, e.Version + 1, summary, null));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Escalations" SET "AcknowledgedAt" = $2, "AcknowledgedBy" = $3, "State" = 'Acknowledged', "Version" = $4
                    WHERE "Id" = $1 AND "Version" = $5
                    """,
                    id, now, user, e.Version + 1, e.Version));
                batch.BatchCommands.Add(BaselineSql.Outbox(now, "case-transfer.escalation.acknowledged", e.Crn, payloads["case-transfer.escalation.acknowledged"]));
            }
            else
            {
                batch.BatchCommands.Add(BaselineSql.Command(
                    $"""
                    {BaselineSql.AuditInsert}
                    SELECT $1, $2, 'Alteration', 'AcknowledgeEscalation', $3, $4, $5, NULL, $6, e."Crn", 'escalation', $7, e."Version" + 1, $8, NULL, NULL
                    FROM "Escalations" e WHERE e."Id" = $9
                    """,
                    Guid.CreateVersion7(), now, user, "Bench " + user, org, BaselineSql.TraceId(), id.ToString(), summary, id));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Escalations" SET "AcknowledgedAt" = $2, "AcknowledgedBy" = $3, "State" = 'Acknowledged', "Version" = "Version" + 1
                    WHERE "Id" = $1 AND "State" = 'Requested' AND "NpsRegionCode" = $4
                    """,
                    id, now, user, org));
                batch.BatchCommands.Add(Outbox(now, "case-transfer.escalation.acknowledged", payloads, id));
            }

            batch.BatchCommands.Add(BaselineSql.Command(
                """
                UPDATE "Cases" SET "LastAuditedWriteAt" = $2
                WHERE "Id" = (SELECT c."Id" FROM "Cases" c JOIN "Escalations" e ON e."CaseId" = c."Id"
                  WHERE e."Id" = $1 AND c."LastAuditedWriteAt" < $2 FOR NO KEY UPDATE OF c SKIP LOCKED)
                """,
                id, now));
            await batch.ExecuteNonQueryAsync();
            if (batch.BatchCommands[1].RecordsAffected != 1)
            {
                return Results.Conflict();
            }

            await transaction.CommitAsync();
            return Results.Json(new { id, state = "Acknowledged" });
        }).RequireAuthorization();

        app.MapPost("/api/v1/escalations/{id:guid}/accept", async (HttpContext http, Guid id, AcceptBody body) =>
        {
            var (org, user) = Caller(http);
            var now = DateTimeOffset.UtcNow;
            var until = now.AddDays(14);
            await using var connection = await source.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            var officer = body.ResponsibleOfficerId;
            if (reads)
            {
                if (await EscalationReadsSql.EscalationAsync(connection, transaction, id, visible[org]) is not { } e)
                {
                    return Results.NotFound();
                }

                if (e.State is not ("Requested" or "Acknowledged") || e.Region != org)
                {
                    return Results.Conflict();
                }

                var holding = await EscalationReadsSql.CaseWithHoldingsAsync(connection, transaction, e.CaseId);
                if (!await EscalationReadsSql.PractitionerAsync(connection, transaction, officer))
                {
                    return Results.NotFound();
                }

                await ApiReadsSql.CaseloadReadAsync(connection, transaction, DateOnly.FromDateTime(now.UtcDateTime), officer);
                await EscalationReadsSql.ViewReadsAsync(connection, transaction, e.CaseId, e.RiskAssessmentId);
                var summary = $"state: Acknowledged -> Accepted; urgency: Standard; reason: RoshIncrease; acceptanceReason: {body.Reason}; holder: {e.Provider} -> {org}; handover until {until:O}";
                batch.BatchCommands.Add(Audit(now, "Alteration", "AcceptEscalation", user, org, e.Crn, id, e.Version + 1, summary, null));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    INSERT INTO "CaseAccessGrants" ("Id", "CaseId", "From", "GrantedBy", "OrganisationCode", "Reason", "Scope", "Until")
                    VALUES ($1, $2, $3, $4, $5, $6, 'ReadSummaryAndHistory', $7)
                    """,
                    Guid.CreateVersion7(), e.CaseId, now, user, e.Provider, $"Handover: escalation {id} accepted by {org}", until));
                batch.BatchCommands.Add(BaselineSql.Command("""UPDATE "CaseHoldings" SET "To" = $2 WHERE "Id" = $1""", holding.OpenHoldingId, now));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    INSERT INTO "CaseHoldings" ("Id", "CapacityAcknowledgement", "CaseId", "From", "OrganisationCode", "Reason", "ResponsibleOfficerId", "To")
                    VALUES ($1, $2, $3, $4, $5, 'Escalation accepted (RoshIncrease)', $6, NULL)
                    """,
                    Guid.CreateVersion7(), body.CapacityAcknowledgement?.GetRawText(), e.CaseId, now, org, officer));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Cases" SET "HeldSince" = $2, "HolderOrganisationCode" = $3, "LastAuditedWriteAt" = $2, "ResponsibleOfficerId" = $4, "UpdatedAt" = $2, "Version" = $5
                    WHERE "Id" = $1 AND "Version" = $6
                    """,
                    e.CaseId, now, org, officer, holding.CaseVersion + 1, holding.CaseVersion));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Escalations" SET "AcceptanceReason" = $2, "DecidedAt" = $3, "DecidedBy" = $4, "HandoverUntil" = $5, "OpenCaseId" = NULL,
                      "ResponsibleOfficerId" = $6, "State" = 'Accepted', "Version" = $7
                    WHERE "Id" = $1 AND "Version" = $8
                    """,
                    id, body.Reason, now, user, until, officer, e.Version + 1, e.Version));
                foreach (var type in AcceptEvents)
                {
                    batch.BatchCommands.Add(BaselineSql.Outbox(now, type, e.Crn, payloads[type]));
                }
            }
            else
            {
                batch.BatchCommands.Add(BaselineSql.Command(
                    $"""
                    {BaselineSql.AuditInsert}
                    SELECT $1, $2, 'Alteration', 'AcceptEscalation', $3, $4, $5, NULL, $6, e."Crn", 'escalation', $7, e."Version" + 1,
                      'state: Acknowledged -> Accepted; urgency: Standard; reason: RoshIncrease; acceptanceReason: ' || $8 || '; holder: ' || e."ProviderCode" || ' -> ' || $5 || '; handover until ' || $9, NULL, NULL
                    FROM "Escalations" e WHERE e."Id" = $10
                    """,
                    Guid.CreateVersion7(), now, user, "Bench " + user, org, BaselineSql.TraceId(), id.ToString(), body.Reason, until.ToString("O", CultureInfo.InvariantCulture), id));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    INSERT INTO "CaseAccessGrants" ("Id", "CaseId", "From", "GrantedBy", "OrganisationCode", "Reason", "Scope", "Until")
                    SELECT $1, e."CaseId", $2, $3, e."ProviderCode", 'Handover: escalation ' || e."Id" || ' accepted by ' || $4, 'ReadSummaryAndHistory', $5
                    FROM "Escalations" e WHERE e."Id" = $6
                    """,
                    Guid.CreateVersion7(), now, user, org, until, id));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """UPDATE "CaseHoldings" h SET "To" = $2 FROM "Escalations" e WHERE e."Id" = $1 AND h."CaseId" = e."CaseId" AND h."To" IS NULL""", id, now));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    INSERT INTO "CaseHoldings" ("Id", "CapacityAcknowledgement", "CaseId", "From", "OrganisationCode", "Reason", "ResponsibleOfficerId", "To")
                    SELECT $1, $2, e."CaseId", $3, $4, 'Escalation accepted (' || e."Reason" || ')', $5, NULL FROM "Escalations" e WHERE e."Id" = $6
                    """,
                    Guid.CreateVersion7(), body.CapacityAcknowledgement?.GetRawText(), now, org, officer, id));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Cases" c SET "HeldSince" = $2, "HolderOrganisationCode" = $3, "LastAuditedWriteAt" = $2, "ResponsibleOfficerId" = $4, "UpdatedAt" = $2,
                      "Version" = c."Version" + 1
                    FROM "Escalations" e WHERE e."Id" = $1 AND c."Id" = e."CaseId"
                    """,
                    id, now, org, officer));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Escalations" SET "AcceptanceReason" = $2, "DecidedAt" = $3, "DecidedBy" = $4, "HandoverUntil" = $5, "OpenCaseId" = NULL,
                      "ResponsibleOfficerId" = $6, "State" = 'Accepted', "Version" = "Version" + 1
                    WHERE "Id" = $1 AND "State" IN ('Requested', 'Acknowledged') AND "NpsRegionCode" = $7
                    """,
                    id, body.Reason, now, user, until, officer, org));
                foreach (var type in AcceptEvents)
                {
                    batch.BatchCommands.Add(Outbox(now, type, payloads, id));
                }
            }

            await batch.ExecuteNonQueryAsync();
            if (batch.BatchCommands[5].RecordsAffected != 1)
            {
                return Results.Conflict();
            }

            await transaction.CommitAsync();
            return Results.Json(new { id, state = "Accepted" });
        }).RequireAuthorization();
        app.MapGet("/health/ready", () => Results.Ok()).AllowAnonymous();
        await app.RunAsync(Opt("--url"));
        return 0;
    }

    private static readonly string[] AcceptEvents =
        ["case-transfer.escalation.accepted", "case-transfer.case.holder-changed", "case-transfer.case.responsible-officer-assigned"];

    private const string EscalationInsert = """
        INSERT INTO "Escalations" ("Id", "CaseId", "Crn", "AreaCode", "ProviderCode", "NpsRegionCode", "Reason", "ReasonText", "Urgency", "RiskAssessmentId",
          "TriggeringEvents", "DocumentReferences", "RequestedBy", "RequestedAt", "DecideBy", "State", "OpenCaseId", "Version")
        """;

    private static (string Org, string User) Caller(HttpContext http) =>
        (http.User.FindFirst(Claims.Organisation)!.Value, http.User.FindFirst(Claims.Subject)!.Value);

    private static NpgsqlBatchCommand Audit(DateTimeOffset now, string operation, string action, string actor, string org, string crn, Guid resource, long version, string summary, string? recipients) =>
        BaselineSql.Command(
            $"""
            {BaselineSql.AuditInsert}
            VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, 'escalation', $10, $11, $12, NULL, $13)
            """,
            Guid.CreateVersion7(), now, operation, action, actor, "Bench " + actor, org, BaselineSql.TraceId(), crn, resource.ToString(), version, summary, recipients);

    private static NpgsqlBatchCommand Outbox(DateTimeOffset now, string type, Dictionary<string, string> payloads, Guid escalation) => BaselineSql.Command(
        $"""{BaselineSql.OutboxInsert} SELECT $1, $2, $3, e."Crn", $4 FROM "Escalations" e WHERE e."Id" = $5""",
        Guid.CreateVersion7(), type, now, payloads[type], escalation);

    /// <summary>The latest payload the Api wrote for each event type of the workflow, so the baseline's rows are of the same size.</summary>
    private static async Task<Dictionary<string, string>> PayloadsAsync(NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand(
            """
            SELECT DISTINCT ON ("EventType") "EventType", "Payload" FROM "OutboxMessages"
            WHERE "EventType" LIKE 'case-transfer.escalation.%' OR "EventType" IN ('case-transfer.case.holder-changed', 'case-transfer.case.responsible-officer-assigned')
            ORDER BY "EventType", "Sequence" DESC
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var payloads = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            payloads[reader.GetString(0)] = reader.GetString(1);
        }

        return payloads;
    }

    internal sealed record RequestBody(
        string Crn, string Reason, string? ReasonText, string Urgency, Guid RiskAssessmentId, string TriggeringEvents, string[]? DocumentReferences);

    internal sealed record AcceptBody(string Reason, Guid ResponsibleOfficerId, JsonElement? CapacityAcknowledgement);
}

/// <summary>
/// The reads the Api makes for request, acknowledge and accept (<c>baseline-http-reads</c>), in the SQL EF Core 10 /
/// Npgsql sends: captured on 2026-12-07 from the Release Api under <c>escalate --modes http --clients 1</c> with
/// <c>--setting Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information</c> (kept in
/// <c>bench/results/2026-12-07-s7-escalate-captured-sql.txt</c>). The request's case read is the allocation
/// proposal's (<see cref="ApiReadsSql.Propose"/>, the same <c>CaseFactsReader</c>). <b>Re-capture whenever the
/// escalation handlers' queries or the mapped columns change</b>, or this baseline stops measuring the Api's reads.
/// </summary>
internal static class EscalationReadsSql
{
    // EF: @subject_CaseId='?' (DbType = Guid)
    private const string OpenEscalation = """
        SELECT EXISTS (
            SELECT 1
            FROM "Escalations" AS e
            WHERE e."OpenCaseId" = @subject_CaseId)
        """;

    // EF: @id='?' (DbType = Guid), @caseId='?' (DbType = Guid)
    private const string Assessment = """
        SELECT r."Id", r."CaseId", r."RecordedAt", r."RecordedBy", r."RecordedByOrganisation", r."AssessedOn", r."Flags", r."MappaCategory", r."MappaLevel", r."OgrsPercent", r."Rosh", r."RsrPercent", r."Tier"
        FROM "RiskAssessments" AS r
        WHERE r."Id" = @id AND r."CaseId" = @caseId
        LIMIT 2
        """;

    // EF: @Value='?' (DbType = Object), @id='?' (DbType = Guid)
    private const string Escalation = """
        SELECT e."Id", e."AcceptanceReason", e."AcknowledgeBy", e."AcknowledgedAt", e."AcknowledgedBy", e."AreaCode", e."CapacityAcknowledgement", e."CaseId", e."Crn", e."DecideBy", e."DecidedAt", e."DecidedBy", e."DecisionText", e."DeclineReason", e."DocumentReferences", e."HandoverUntil", e."NpsRegionCode", e."OpenCaseId", e."ProviderCode", e."Reason", e."ReasonText", e."RequestedAt", e."RequestedBy", e."ResponsibleOfficerId", e."RiskAssessmentId", e."State", e."TriggeringEvents", e."Urgency", e."Version"
        FROM "Escalations" AS e
        WHERE (e."ProviderCode" = ANY (@Value) OR e."NpsRegionCode" = ANY (@Value)) AND e."Id" = @id
        LIMIT 2
        """;

    // EF: @caseIds='?' (DbType = Object)
    private const string CaseViews = """
        SELECT c."Id", c."Crn", c."FirstName", c."MiddleNames", c."LastName", c."DateOfBirth", c."Tier", c."Version", c."SentenceType", a1."Code", a1."Name", a1.c
        FROM "Cases" AS c
        LEFT JOIN (
            SELECT a0."Code", a0."Name", a0.c
            FROM (
                SELECT a."Code", a."Name", 1 AS c, ROW_NUMBER() OVER(PARTITION BY a."Code" ORDER BY a."Code") AS row
                FROM "Areas" AS a
            ) AS a0
            WHERE a0.row <= 1
        ) AS a1 ON c."AreaCode" = a1."Code"
        WHERE c."Id" = ANY (@caseIds)
        """;

    // EF: @caseIds='?' (DbType = Object)
    private const string AssessmentsOfCases = """
        SELECT r."Id", r."CaseId", r."RecordedAt", r."RecordedBy", r."RecordedByOrganisation", r."AssessedOn", r."Flags", r."MappaCategory", r."MappaLevel", r."OgrsPercent", r."Rosh", r."RsrPercent", r."Tier"
        FROM "RiskAssessments" AS r
        WHERE r."CaseId" = ANY (@caseIds)
        """;

    // EF: @assessmentIds='?' (DbType = Object)
    private const string AssessmentsById = """
        SELECT r."Id", r."CaseId", r."RecordedAt", r."RecordedBy", r."RecordedByOrganisation", r."AssessedOn", r."Flags", r."MappaCategory", r."MappaLevel", r."OgrsPercent", r."Rosh", r."RsrPercent", r."Tier"
        FROM "RiskAssessments" AS r
        WHERE r."Id" = ANY (@assessmentIds)
        """;

    // EF: @escalation_CaseId='?' (DbType = Guid)
    private const string CaseWithHoldings = """
        SELECT c1."Id", c1."AreaCode", c1."CreatedAt", c1."Crn", c1."DateOfBirth", c1."FirstName", c1."HasAccessLimits", c1."HeldSince", c1."HolderOrganisationCode", c1."LastName", c1."MiddleNames", c1."NomsNumber", c1."PncId", c1."ResponsibleOfficerId", c1."Tier", c1."UpdatedAt", c1."Version", c1."ExpectedEndDate", c1."LicenceEndDate", c1."ReleaseDate", c1."SentenceDate", c1."StartDate", c1."SentenceType", c0."Id", c0."CapacityAcknowledgement", c0."CaseId", c0."From", c0."OrganisationCode", c0."Reason", c0."ResponsibleOfficerId", c0."To"
        FROM (
            SELECT c."Id", c."AreaCode", c."CreatedAt", c."Crn", c."DateOfBirth", c."FirstName", c."HasAccessLimits", c."HeldSince", c."HolderOrganisationCode", c."LastName", c."MiddleNames", c."NomsNumber", c."PncId", c."ResponsibleOfficerId", c."Tier", c."UpdatedAt", c."Version", c."ExpectedEndDate", c."LicenceEndDate", c."ReleaseDate", c."SentenceDate", c."StartDate", c."SentenceType"
            FROM "Cases" AS c
            WHERE c."Id" = @escalation_CaseId
            LIMIT 2
        ) AS c1
        LEFT JOIN "CaseHoldings" AS c0 ON c1."Id" = c0."CaseId"
        ORDER BY c1."Id"
        """;

    // EF: @practitionerId='?' (DbType = Guid)
    private const string Practitioner = """
        SELECT p."Id", p."AvailableHours", p."ContractedHours", p."Grade", p."Name", p."OrganisationCode", p."StaffCode"
        FROM "Practitioners" AS p
        WHERE p."Id" = @practitionerId
        LIMIT 2
        """;

    internal readonly record struct RequestSubject(Guid CaseId, string AreaCode, string Region);

    internal readonly record struct EscalationRow(Guid CaseId, string Crn, string State, string Provider, string Region, Guid RiskAssessmentId, long Version);

    internal readonly record struct CaseRow(long CaseVersion, Guid OpenHoldingId);

    /// <summary>The request's case read (the allocation proposal's): null when the caller sees no such case.</summary>
    public static async Task<RequestSubject?> RequestReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string crn, string[] codes, string user)
    {
        await using var command = new NpgsqlCommand(ApiReadsSql.Propose, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("crn", crn));
        command.Parameters.Add(new NpgsqlParameter("codes", codes));
        command.Parameters.Add(new NpgsqlParameter("user", user));
        await using var reader = await command.ExecuteReaderAsync();
        RequestSubject? subject = null;
        while (await reader.ReadAsync())
        {
            Consume(reader);
            subject = new RequestSubject(reader.GetGuid(0), reader.GetString(1), reader.GetString(reader.GetOrdinal("NpsRegionCode")));
        }

        return subject;
    }

    public static async Task<bool> OpenEscalationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid caseId)
    {
        await using var command = new NpgsqlCommand(OpenEscalation, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("subject_CaseId", caseId));
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public static Task<bool> AssessmentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid caseId) =>
        AnyAsync(connection, transaction, Assessment, ("id", id), ("caseId", caseId));

    public static async Task<EscalationRow?> EscalationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string[] codes)
    {
        await using var command = new NpgsqlCommand(Escalation, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("Value", codes));
        command.Parameters.Add(new NpgsqlParameter("id", id));
        await using var reader = await command.ExecuteReaderAsync();
        EscalationRow? row = null;
        while (await reader.ReadAsync())
        {
            Consume(reader);
            row = new EscalationRow(reader.GetGuid(7), reader.GetString(8), reader.GetString(25), reader.GetString(18), reader.GetString(16), reader.GetGuid(24), reader.GetInt64(28));
        }

        return row;
    }

    /// <summary>What the Api reads to answer with the escalation's view: the case, its assessments, the one the escalation rests on.</summary>
    public static async Task ViewReadsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid caseId, Guid assessmentId)
    {
        await AnyAsync(connection, transaction, CaseViews, ("caseIds", new[] { caseId }));
        await AnyAsync(connection, transaction, AssessmentsOfCases, ("caseIds", new[] { caseId }));
        await AnyAsync(connection, transaction, AssessmentsById, ("assessmentIds", new[] { assessmentId }));
    }

    public static async Task<CaseRow> CaseWithHoldingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid caseId)
    {
        await using var command = new NpgsqlCommand(CaseWithHoldings, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("escalation_CaseId", caseId));
        await using var reader = await command.ExecuteReaderAsync();
        var row = default(CaseRow);
        while (await reader.ReadAsync())
        {
            Consume(reader);
            if (reader.IsDBNull(reader.FieldCount - 1))
            {
                row = new CaseRow(reader.GetInt64(16), reader.GetGuid(23));
            }
        }

        return row;
    }

    public static Task<bool> PractitionerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id) =>
        AnyAsync(connection, transaction, Practitioner, ("practitionerId", id));

    private static async Task<bool> AnyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        await using var reader = await command.ExecuteReaderAsync();
        var any = false;
        while (await reader.ReadAsync())
        {
            Consume(reader);
            any = true;
        }

        return any;
    }

    private static void Consume(NpgsqlDataReader reader)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            _ = reader.GetValue(i);
        }
    }
}
