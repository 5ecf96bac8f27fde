using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

/// <summary>
/// Propose + accept benchmark (issue 5), PostgreSQL: the allocation workflow over HTTP (POST /api/v1/allocations, then
/// POST /api/v1/allocations/{id}/accept by the provider) against a raw ADO.NET baseline (Npgsql, no EF, no HTTP) that
/// performs the same inserts and updates as the HTTP path in one transaction per request: the allocation row, then
/// on accept its update, the case update, the open holding closed and a new one inserted, one audit entry per request
/// and the same number of outbox rows. Same cluster, same run, N concurrent clients, the two modes alternating round
/// by round so load on the machine falls on both alike. Each pair uses a fresh case (an accepted case has left the NPS).
/// </summary>
internal static class AllocateBench
{
    private const string Region = "NPS-NW";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => int.Parse(Opt(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var clients = Int("--clients", 16);
        var perRound = Int("--per-round", 400);
        var rounds = Int("--rounds", 3);
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost("postgres", apiDll, Opt("--keep") is { } keep ? Path.GetFullPath(keep) : null);
        // --setting Key=Value (repeatable): passed to the Api, e.g. log levels for profiling.
        for (var i = Array.IndexOf(args, "--setting"); i >= 0 && i + 1 < args.Length; i = Array.IndexOf(args, "--setting", i + 1))
        {
            var (key, value) = (args[i + 1].Split('=', 2)[0], args[i + 1].Split('=', 2)[1]);
            host.ExtraSettings[key] = value;
        }

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            host.Cancel();
        };
        Console.WriteLine($"CaseTransfer allocate bench: postgres, {clients} clients, {rounds} rounds x {perRound} propose+accept pairs per mode");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {host.WorkDir}");
        try
        {
            await host.StartDatabaseAsync();
            var db = new BenchDatabase("postgres", host.ConnectionString);

            // Cases the rules send to a provider make up about half the caseload; keep a margin.
            var needed = (long)perRound * rounds * 2 * 3;
            var existing = await db.TableExistsAsync("Cases") ? await db.ScalarAsync<long>($"""SELECT COUNT(*) FROM "Cases" c WHERE "HolderOrganisationCode" = '{Region}' AND NOT EXISTS (SELECT 1 FROM "Allocations" a WHERE a."CaseId" = c."Id")""") : 0;
            if (existing < needed)
            {
                Console.WriteLine($"Seeding {needed - existing:N0} cases in {Region}'s areas...");
                if (await host.RunApiVerbAsync(["seed", "--cases", (needed - existing).ToString(CultureInfo.InvariantCulture), "--region", Region]) != 0)
                {
                    throw new InvalidOperationException("seed failed");
                }
            }

            var url = await host.StartApiAsync(auditEntries: true, consultations: true, integrate: true);
            using var allocator = host.Client(url, Region, "bench-allocator", "allocator");
            var providers = new Dictionary<string, HttpClient>();
            HttpClient Provider(string org) => providers.TryGetValue(org, out var c) ? c : providers[org] = host.Client(url, org, $"bench-{org.ToLowerInvariant()}", "case-manager");

            var candidates = await CandidatesAsync(db, needed);
            Console.WriteLine($"Previewing {candidates.Count:N0} cases to keep those the rules send to a provider...");
            var usable = new ConcurrentBag<Candidate>();
            await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
            {
                var preview = await (await allocator.PostAsJsonAsync("api/v1/allocations/preview", new { crn = c.Crn }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
                var decision = preview?["decision"];
                if (decision?["outcome"]?.GetValue<string>() == "AllocateToProvider" && decision["provisional"]?.GetValue<bool>() == false)
                {
                    usable.Add(c with { Provider = decision["receivingOrganisationCode"]!.GetValue<string>() });
                }
            });
            var queue = usable.OrderBy(c => c.Crn, StringComparer.Ordinal).ToList();
            var officers = await OfficersAsync(db);
            Console.WriteLine($"{queue.Count:N0} cases go to a provider (needed {perRound * rounds * 2:N0}); officers: {string.Join(", ", officers.Select(o => $"{o.Key} {o.Value}"))}");
            if (queue.Count < perRound * rounds * 2)
            {
                throw new InvalidOperationException("not enough cases the rules send to a provider; raise the seed");
            }

            // Warm both paths (JIT, pools, plans) on cases not counted, then learn what one HTTP pair writes.
            var next = 0;
            List<Candidate> Take(int n)
            {
                var taken = queue.Skip(next).Take(n).ToList();
                next += n;
                return taken;
            }

            var before = await RowCountsAsync(db);
            await RunAsync(Take(clients * 2), clients, c => HttpPairAsync(allocator, Provider(c.Provider), c, officers[c.Provider]));
            var after = await RowCountsAsync(db);
            var perPair = after.Subtract(before).Per(clients * 2);
            Console.WriteLine($"one HTTP propose+accept writes: {perPair}");
            var template = await TemplateAsync(db);
            await using var source = NpgsqlDataSource.Create(host.ConnectionString);
            var baseline = new Baseline(source, template, perPair.Outbox);
            await RunAsync(Take(clients * 2), clients, c => baseline.PairAsync(c, officers[c.Provider]));
            var baselineWrites = (await RowCountsAsync(db)).Subtract(after).Per(clients * 2);
            Console.WriteLine($"one baseline pair writes:          {baselineWrites}");

            var results = new List<(string Mode, int Round, double PairsPerSecond, string Load)>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var mode in round % 2 == 1 ? new[] { "http", "baseline" } : ["baseline", "http"])
                {
                    var cases = Take(perRound);
                    var load = TransferBench.Load();
                    var seconds = mode == "http"
                        ? await RunAsync(cases, clients, c => HttpPairAsync(allocator, Provider(c.Provider), c, officers[c.Provider]))
                        : await RunAsync(cases, clients, c => baseline.PairAsync(c, officers[c.Provider]));
                    results.Add((mode, round, perRound / seconds, load));
                    Console.WriteLine($"round {round} {mode,-8}: {perRound} pairs in {seconds:N2} s = {perRound / seconds:N1} pairs/s ({2 * perRound / seconds:N1} requests/s); load {load}");
                }
            }

            var http = results.Where(r => r.Mode == "http").Sum(r => r.PairsPerSecond) / rounds;
            var raw = results.Where(r => r.Mode == "baseline").Sum(r => r.PairsPerSecond) / rounds;
            Console.WriteLine();
            Console.WriteLine($"=== Results: allocate, postgres, {clients} clients, {rounds} x {perRound} pairs per mode, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ===");
            Console.WriteLine($"HTTP (propose + accept):  {http:N1} pairs/s");
            Console.WriteLine($"raw ADO.NET baseline:     {raw:N1} pairs/s");
            Console.WriteLine($"ratio HTTP / baseline:    {100 * http / raw:N1}% (target >= 70%: {(http >= 0.7 * raw ? "met" : "MISSED")})");
            Console.WriteLine($"per round ratio: {string.Join(", ", Enumerable.Range(1, rounds).Select(r => $"{100 * results.Single(x => x.Round == r && x.Mode == "http").PairsPerSecond / results.Single(x => x.Round == r && x.Mode == "baseline").PairsPerSecond:N0}%"))}");
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
    }

    internal sealed record Candidate(Guid CaseId, string Crn, string AreaCode, string Provider = "");

    private static async Task<List<Candidate>> CandidatesAsync(BenchDatabase db, long count)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT c."Id", c."Crn", c."AreaCode" FROM "Cases" c
            WHERE c."HolderOrganisationCode" = '{Region}' AND NOT EXISTS (SELECT 1 FROM "Allocations" a WHERE a."CaseId" = c."Id")
            ORDER BY c."Crn" LIMIT {count}
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<Candidate>();
        while (await reader.ReadAsync())
        {
            list.Add(new Candidate(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        }

        return list;
    }

    /// <summary>A probation officer of each provider, who receives every accepted case.</summary>
    private static async Task<Dictionary<string, Guid>> OfficersAsync(BenchDatabase db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT DISTINCT ON ("OrganisationCode") "OrganisationCode", "Id" FROM "Practitioners" WHERE "Grade" = 'Po' ORDER BY "OrganisationCode", "StaffCode" """;
        await using var reader = await command.ExecuteReaderAsync();
        var officers = new Dictionary<string, Guid>();
        while (await reader.ReadAsync())
        {
            officers[reader.GetString(0)] = reader.GetGuid(1);
        }

        return officers;
    }

    private static async Task<double> RunAsync(List<Candidate> cases, int clients, Func<Candidate, Task> pair)
    {
        var index = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref index)) < cases.Count)
            {
                await pair(cases[i]);
            }
        }));
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task HttpPairAsync(HttpClient allocator, HttpClient provider, Candidate c, Guid officer)
    {
        using var proposed = await allocator.PostAsJsonAsync("api/v1/allocations", new { crn = c.Crn, toOrganisation = c.Provider, reason = "NewSentence" });
        if (proposed.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"propose {c.Crn} answered {(int)proposed.StatusCode}: {await proposed.Content.ReadAsStringAsync()}");
        }

        var id = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var accepted = await provider.PostAsJsonAsync($"api/v1/allocations/{id}/accept", new
        {
            responsibleOfficerId = officer,
            capacityAcknowledgement = new { capacityPercent = 100, points = 0, availablePoints = 0, caseCount = 0 },
        });
        if (accepted.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"accept {c.Crn} answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        }
    }

    internal sealed record Rows(long Allocations, long Audit, long Outbox, long Holdings, long Idempotency)
    {
        public Rows Subtract(Rows o) => new(Allocations - o.Allocations, Audit - o.Audit, Outbox - o.Outbox, Holdings - o.Holdings, Idempotency - o.Idempotency);

        public PerPair Per(int pairs) => new(Allocations / (double)pairs, Audit / (double)pairs, (int)Math.Round(Outbox / (double)pairs), Holdings / (double)pairs, Idempotency / (double)pairs);
    }

    internal sealed record PerPair(double Allocations, double Audit, int Outbox, double Holdings, double Idempotency)
    {
        public override string ToString() =>
            $"{Allocations:0.##} allocation rows, {Audit:0.##} audit entries, {Outbox} outbox rows, {Holdings:0.##} new holdings, {Idempotency:0.##} idempotency rows";
    }

    private static async Task<Rows> RowCountsAsync(BenchDatabase db) => new(
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "Allocations" """),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "AuditEntries" WHERE "Operation" <> 'Consultation'"""),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "OutboxMessages" """),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "CaseHoldings" """),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "IdempotencyRecords" """));

    /// <summary>The stored decision and facts of a real proposal, so the baseline writes rows of the same size.</summary>
    internal sealed record Template(string RulesetVersion, string RulesetHash, string FactsJson, string DecisionJson, string Payload);

    private static async Task<Template> TemplateAsync(BenchDatabase db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a."RulesetVersion", a."RulesetHash", a."FactsJson", a."DecisionJson",
              (SELECT o."Payload" FROM "OutboxMessages" o WHERE o."EventType" LIKE 'case-transfer.allocation.%' ORDER BY o."Sequence" DESC LIMIT 1)
            FROM "Allocations" a ORDER BY a."ProposedAt" DESC LIMIT 1
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Template(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
    }

    /// <summary>The same writes as the HTTP path, in one transaction per request, sent as one batch each.</summary>
    private sealed class Baseline(NpgsqlDataSource source, Template template, int outboxPerPair)
    {
        public async Task PairAsync(Candidate c, Guid officer)
        {
            var allocationId = Guid.CreateVersion7();
            var now = DateTimeOffset.UtcNow;
            await using (var connection = await source.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(Command(
                    """
                    INSERT INTO "Allocations" ("Id", "CaseId", "Crn", "AreaCode", "FromOrganisationCode", "ToOrganisationCode", "Reason", "RulesOutcome",
                      "RulesOrganisationCode", "RulesProvisional", "RulesetVersion", "RulesetHash", "FactsJson", "DecisionJson", "IsOverride", "ProposedBy",
                      "ProposedAt", "SentAt", "DueBy", "State", "OpenCaseId", "Version")
                    VALUES ($1, $2, $3, $4, $5, $6, 'NewSentence', 'AllocateToProvider', $6, false, $7, $8, $9, $10, false, 'bench-allocator', $11, $11, $12, 'Proposed', $2, 1)
                    """,
                    allocationId, c.CaseId, c.Crn, c.AreaCode, Region, c.Provider, template.RulesetVersion, template.RulesetHash, template.FactsJson, template.DecisionJson,
                    now, now.AddDays(14)));
                batch.BatchCommands.Add(Audit(now, "Disclosure", "ProposeAllocation", "bench-allocator", Region, c.Crn, allocationId, 1, "allocation proposed", c.Provider));
                batch.BatchCommands.Add(Outbox(now, "case-transfer.allocation.proposed", c.Crn));
                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            now = DateTimeOffset.UtcNow;
            await using (var connection = await source.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(Command(
                    """
                    UPDATE "Allocations" SET "State" = 'Accepted', "DecidedBy" = 'bench-provider', "DecidedAt" = $2, "ResponsibleOfficerId" = $3,
                      "CapacityAcknowledgement" = $4, "OpenCaseId" = NULL, "Version" = "Version" + 1 WHERE "Id" = $1 AND "Version" = 1
                    """,
                    allocationId, now, officer, """{"onScreen":{"capacityPercent":100,"points":0,"availablePoints":0,"caseCount":0}}"""));
                batch.BatchCommands.Add(Command(
                    """
                    UPDATE "Cases" SET "HolderOrganisationCode" = $2, "ResponsibleOfficerId" = $3, "HeldSince" = $4, "UpdatedAt" = $4, "Version" = "Version" + 1
                    WHERE "Id" = $1
                    """,
                    c.CaseId, c.Provider, officer, now));
                batch.BatchCommands.Add(Command("""UPDATE "CaseHoldings" SET "To" = $2 WHERE "CaseId" = $1 AND "To" IS NULL""", c.CaseId, now));
                batch.BatchCommands.Add(Command(
                    """INSERT INTO "CaseHoldings" ("Id", "CaseId", "OrganisationCode", "ResponsibleOfficerId", "From", "Reason") VALUES ($1, $2, $3, $4, $5, 'Allocation accepted')""",
                    Guid.CreateVersion7(), c.CaseId, c.Provider, officer, now));
                batch.BatchCommands.Add(Audit(now, "Alteration", "AcceptAllocation", "bench-provider", c.Provider, c.Crn, allocationId, 2, "allocation accepted; case holder changed", null));
                for (var i = 1; i < outboxPerPair; i++)
                {
                    batch.BatchCommands.Add(Outbox(now, "case-transfer.allocation.accepted", c.Crn));
                }

                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        }

        private static NpgsqlBatchCommand Command(string sql, params object?[] values)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            return command;
        }

        private static NpgsqlBatchCommand Audit(DateTimeOffset now, string operation, string action, string actor, string org, string crn, Guid resource, long version, string summary, string? recipients) => Command(
            """
            INSERT INTO "AuditEntries" ("Id", "OccurredAt", "Operation", "Action", "ActorUserId", "ActorUserName", "ActorOrganisation", "ClientId", "TraceId",
              "Crn", "ResourceType", "ResourceId", "ResourceVersion", "Summary", "Justification", "Recipients")
            VALUES ($1, $2, $3, $4, $5, $5, $6, NULL, $7, $8, 'allocation', $9, $10, $11, NULL, $12)
            """,
            Guid.CreateVersion7(), now, operation, action, actor, org, Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N"), crn, resource.ToString(), version, summary, recipients);

        private NpgsqlBatchCommand Outbox(DateTimeOffset now, string type, string crn) => Command(
            """INSERT INTO "OutboxMessages" ("Id", "EventType", "OccurredAt", "Crn", "Payload") VALUES ($1, $2, $3, $4, $5)""",
            Guid.CreateVersion7(), type, now, crn, template.Payload);
    }
}
