using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Infrastructure.Persistence;
using Npgsql;

/// <summary>
/// Propose + accept benchmark (issue 5), PostgreSQL: the allocation workflow over HTTP (POST /api/v1/allocations, then
/// POST /api/v1/allocations/{id}/accept by the provider) against a raw ADO.NET baseline (Npgsql, no EF, no HTTP) that
/// performs the same inserts and updates as the HTTP path in one transaction per request: the allocation row, then
/// on accept its update, the case update, the open holding closed and a new one inserted, one audit entry per request
/// and the same number of outbox rows; the same raw ADO.NET behind HTTP (<see cref="AllocateBaselineServer"/>, a
/// child process serving the same requests and tokens); and that server again making first, per request, the reads
/// the Api makes, with the SQL EF sends (<c>baseline-http-reads</c>, <see cref="ApiReadsSql"/>): the ceiling any
/// implementation that reads what the rules need can reach. Same cluster, same run, N concurrent clients, the four
/// modes taking turns round by round so load on the machine falls on all alike. Each pair uses a fresh case (an accepted
/// case has left the NPS).
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
        // Warm-up before the measured rounds: the Api's JIT (tier-0, instrumented, then tier-1 code for several thousand
        // methods) takes about 10 s of this workload to settle on this machine; a 32-pair warm-up measured mostly the JIT.
        var warmHttp = Int("--warmup", 2000);
        var warmBaseline = Int("--baseline-warmup", 1000);
        // The two raw servers behind HTTP need more: after 1,000 pairs their own CPU per pair was still 1.7 (without the
        // reads) and 2 times (with them) their steady state for the next ~1,200 pairs, PostgreSQL's share flat (session 5).
        var warmServers = Int("--server-warmup", 3000);
        var statements = Array.IndexOf(args, "--statements") >= 0;
        // Probation officers per receiving organisation, taking accepted cases in turn. With one (the seed's first
        // officer, as before this option) every accepted case of a run lands on the same person, whose caseload
        // grows into the thousands, and the capacity gate's caseload query reads all of it on each accept.
        var officersPer = Int("--officers", 40);
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost("postgres", apiDll, Opt("--keep") is { } keep ? Path.GetFullPath(keep) : null);
        if (statements)
        {
            host.ExtraPostgresOptions = " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on";
        }

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
        Console.WriteLine($"CaseTransfer allocate bench: postgres, {clients} clients, {rounds} rounds x {perRound} propose+accept pairs per mode; warm-up {warmHttp} HTTP pairs, {warmBaseline} baseline pairs; {officersPer} officers per receiving organisation");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {host.WorkDir}");
        try
        {
            await host.StartDatabaseAsync();
            var db = new BenchDatabase("postgres", host.ConnectionString);

            // Cases the rules send to a provider make up about 40% of the caseload; keep a margin.
            var pairsNeeded = perRound * rounds * Modes.Length + clients * 2 * Modes.Length + warmHttp + warmBaseline + 2 * warmServers;
            var needed = (long)pairsNeeded * 3;
            var existing = await db.TableExistsAsync("Cases") ? await db.ScalarAsync<long>($"""SELECT COUNT(*) FROM "Cases" c WHERE "HolderOrganisationCode" = '{Region}' AND NOT EXISTS (SELECT 1 FROM "Allocations" a WHERE a."CaseId" = c."Id")""") : 0;
            if (existing < needed)
            {
                Console.WriteLine($"Seeding {needed - existing:N0} cases in {Region}'s areas...");
                if (await host.RunApiVerbAsync(["seed", "--cases", (needed - existing).ToString(CultureInfo.InvariantCulture), "--region", Region]) != 0)
                {
                    throw new InvalidOperationException("seed failed");
                }
            }

            if (statements)
            {
                await db.ScalarAsync<long>("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT 1");
            }

            var url = await host.StartApiAsync(auditEntries: true, consultations: true, integrate: true);
            using var allocator = host.Client(url, Region, "bench-allocator", "allocator");
            var Provider = ProviderClients(host, url);

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
            var officers = await OfficersAsync(db, officersPer);
            Console.WriteLine($"{queue.Count:N0} cases go to a provider (needed {pairsNeeded:N0}); officers: {string.Join(", ", officers.Select(o => $"{o.Key} {o.Value.Count} ({o.Value.Current()}...)"))}");
            if (queue.Count < pairsNeeded)
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
            await RunAsync(Take(clients * 2), clients, c => HttpPairAsync(allocator, Provider(c.Provider), c, officers[c.Provider].Next()));
            var after = await RowCountsAsync(db);
            var perPair = after.Subtract(before).Per(clients * 2);
            Console.WriteLine($"one HTTP propose+accept writes: {perPair}");
            // The Api's own connection settings (automatic preparation, no session reset on return to the pool), here and
            // in the baseline server. Until session 4 this baseline did not prepare its statements.
            await using var source = NpgsqlDataSource.Create(DatabaseOptions.WithAutoPrepare(host.ConnectionString));
            var template = await TemplateAsync(source);
            var baseline = new Baseline(source, template, perPair.Outbox);
            var baselineUrl = await host.StartBaselineServerAsync(perPair.Outbox);
            using var baselineAllocator = host.Client(baselineUrl, Region, "bench-allocator", "allocator");
            var BaselineProvider = ProviderClients(host, baselineUrl);
            var readsUrl = await host.StartBaselineServerAsync(perPair.Outbox, reads: true);
            using var readsAllocator = host.Client(readsUrl, Region, "bench-allocator", "allocator");
            var ReadsProvider = ProviderClients(host, readsUrl);
            Task<double> Run(string mode, List<Candidate> cases) => mode switch
            {
                "http" => RunAsync(cases, clients, c => HttpPairAsync(allocator, Provider(c.Provider), c, officers[c.Provider].Next())),
                "baseline" => RunAsync(cases, clients, c => baseline.PairAsync(c, officers[c.Provider].Next())),
                "baseline-http" => RunAsync(cases, clients, c => HttpPairAsync(baselineAllocator, BaselineProvider(c.Provider), c, officers[c.Provider].Next())),
                "baseline-http-reads" => RunAsync(cases, clients, c => HttpPairAsync(readsAllocator, ReadsProvider(c.Provider), c, officers[c.Provider].Next())),
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown mode"),
            };

            foreach (var mode in Modes.Skip(1))
            {
                var start = await RowCountsAsync(db);
                await Run(mode, Take(clients * 2));
                Console.WriteLine($"one {mode} pair writes: {(await RowCountsAsync(db)).Subtract(start).Per(clients * 2)}");
            }

            foreach (var (mode, n) in new[] { ("http", warmHttp), ("baseline", warmBaseline), ("baseline-http", warmServers), ("baseline-http-reads", warmServers) }.Where(w => w.Item2 > 0))
            {
                var s = await Run(mode, Take(n));
                Console.WriteLine($"warm-up {mode,-13}: {n} pairs in {s:N2} s = {n / s:N1} pairs/s (not counted)");
            }

            if (statements)
            {
                await db.ScalarAsync<long>("SELECT 1 FROM (SELECT pg_stat_statements_reset()) r");
            }


            var results = new List<(string Mode, int Round, double PairsPerSecond, string Load)>();
            for (var round = 1; round <= rounds; round++)
            {
                // Each mode goes first, second, third and fourth in turn.
                foreach (var mode in Modes.Skip((round - 1) % Modes.Length).Concat(Modes.Take((round - 1) % Modes.Length)))
                {
                    var cases = Take(perRound);
                    var load = TransferBench.Load();
                    var seconds = await Run(mode, cases);
                    results.Add((mode, round, perRound / seconds, load));
                    Console.WriteLine($"round {round} {mode,-13}: {perRound} pairs in {seconds:N2} s = {perRound / seconds:N1} pairs/s ({2 * perRound / seconds:N1} requests/s); load {load}");
                    if (statements && round <= 2)
                    {
                        await PrintStatementsAsync(db, $"round {round} {mode}", perRound);
                    }
                }
            }

            double Mean(string mode) => results.Where(r => r.Mode == mode).Sum(r => r.PairsPerSecond) / rounds;
            string PerRound(string mode, string of = "http") => string.Join(", ", Enumerable.Range(1, rounds).Select(r =>
                $"{100 * results.Single(x => x.Round == r && x.Mode == of).PairsPerSecond / results.Single(x => x.Round == r && x.Mode == mode).PairsPerSecond:N0}%"));
            var http = Mean("http");
            Console.WriteLine();
            Console.WriteLine($"=== Results: allocate, postgres, {clients} clients, {rounds} x {perRound} pairs per mode, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ===");
            Console.WriteLine($"HTTP (propose + accept, the Api):        {http:N1} pairs/s");
            Console.WriteLine($"raw ADO.NET behind HTTP (baseline-http):  {Mean("baseline-http"):N1} pairs/s");
            Console.WriteLine($"raw ADO.NET in the bench, no HTTP:        {Mean("baseline"):N1} pairs/s");
            Console.WriteLine($"raw ADO.NET behind HTTP, with the Api's reads (baseline-http-reads): {Mean("baseline-http-reads"):N1} pairs/s");
            foreach (var (mode, what) in new[] { ("baseline-http", "raw ADO.NET serving the same requests"), ("baseline", "raw ADO.NET without HTTP") })
            {
                Console.WriteLine($"ratio HTTP / {what}: {100 * http / Mean(mode):N1}% (>= 70%: {(http >= 0.7 * Mean(mode) ? "met" : "MISSED")}); per round {PerRound(mode)}");
            }

            // The ceiling: what making the Api's reads costs raw code, against the writes-only baseline the target names.
            var withReads = Mean("baseline-http-reads");
            Console.WriteLine($"ratio raw with reads / raw without reads: {100 * withReads / Mean("baseline-http"):N1}% (the most any implementation making the Api's reads can reach against baseline-http); per round {PerRound("baseline-http", "baseline-http-reads")}");
            Console.WriteLine($"ratio HTTP / raw ADO.NET with the same reads: {100 * http / withReads:N1}%; per round {PerRound("baseline-http-reads")}");

            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
    }

    /// <summary>What PostgreSQL ran since the last reset (pg_stat_statements, <c>--statements</c>), per pair, then resets.</summary>
    private static async Task PrintStatementsAsync(BenchDatabase db, string label, int pairs)
    {
        await using (var connection = await db.OpenAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT calls, rows, total_plan_time, total_exec_time, regexp_replace(query, '\s+', ' ', 'g')
                FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
                ORDER BY total_plan_time + total_exec_time DESC
                """;
            await using var reader = await command.ExecuteReaderAsync();
            var list = new List<(long Calls, long Rows, double Plan, double Exec, string Query)>();
            while (await reader.ReadAsync())
            {
                list.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetString(4)));
            }

            Console.WriteLine($"  statements, {label}: {list.Sum(l => l.Calls) / (double)pairs:N1} per pair, plan {list.Sum(l => l.Plan) / pairs:N3} ms + execute {list.Sum(l => l.Exec) / pairs:N3} ms per pair (server time)");
            foreach (var l in list.Take(30))
            {
                Console.WriteLine($"    {l.Calls / (double)pairs,5:N2}/pair {l.Rows / (double)Math.Max(1, l.Calls),7:N1} rows  plan {l.Plan / Math.Max(1, l.Calls),6:N3} ms  exec {l.Exec / Math.Max(1, l.Calls),6:N3} ms  {l.Query[..Math.Min(150, l.Query.Length)]}");
            }
        }

        await db.ScalarAsync<long>("SELECT 1 FROM (SELECT pg_stat_statements_reset()) r");
    }

    /// <summary>The Api over HTTP; raw ADO.NET in the bench's process (no HTTP); the same behind HTTP; that, reading first what the Api reads.</summary>
    private static readonly string[] Modes = ["http", "baseline", "baseline-http", "baseline-http-reads"];

    internal sealed record Candidate(Guid CaseId, string Crn, string AreaCode, string Provider = "");

    internal static async Task<List<Candidate>> CandidatesAsync(BenchDatabase db, long count)
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

    /// <summary>
    /// The probation officers of each organisation who receive accepted cases in turn: the seed's, and as many
    /// more as <paramref name="per"/> asks for (added here, as an organisation's staff list would be).
    /// </summary>
    internal static async Task<Dictionary<string, Officers>> OfficersAsync(BenchDatabase db, int per, string organisations = "o.\"Kind\" = 'Provider'")
    {
        await using var connection = await db.OpenAsync();
        await using (var add = connection.CreateCommand())
        {
            add.CommandText = $"""
                INSERT INTO "Practitioners" ("Id", "AvailableHours", "ContractedHours", "Grade", "Name", "OrganisationCode", "StaffCode")
                SELECT gen_random_uuid(), NULL, 37, 'Po', 'Bench Officer ' || g, o."Code", lower(o."Code") || '-bench-po-' || g
                FROM "Organisations" o CROSS JOIN generate_series(1, {per}) g
                WHERE {organisations} AND g > (SELECT count(*) FROM "Practitioners" p WHERE p."OrganisationCode" = o."Code" AND p."Grade" = 'Po')
                ON CONFLICT DO NOTHING
                """;
            await add.ExecuteNonQueryAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT p."OrganisationCode", p."Id" FROM "Practitioners" p JOIN "Organisations" o ON o."Code" = p."OrganisationCode" WHERE p."Grade" = 'Po' AND {organisations} ORDER BY p."OrganisationCode", p."StaffCode" """;
        await using var reader = await command.ExecuteReaderAsync();
        var officers = new Dictionary<string, List<Guid>>();
        while (await reader.ReadAsync())
        {
            var org = reader.GetString(0);
            (officers.TryGetValue(org, out var list) ? list : officers[org] = []).Add(reader.GetGuid(1));
        }

        return officers.ToDictionary(o => o.Key, o => new Officers([.. o.Value.Take(Math.Max(1, per))]));
    }

    /// <summary>An organisation's officers, handed out in turn (thread-safe).</summary>
    internal sealed class Officers(Guid[] ids)
    {
        private int turn = -1;

        public int Count => ids.Length;

        public Guid Current() => ids[0];

        public Guid Next() => ids[(int)((uint)Interlocked.Increment(ref turn) % (uint)ids.Length)];
    }

    internal static async Task<double> RunAsync<T>(List<T> cases, int clients, Func<T, Task> pair)
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

    /// <summary>Each provider's case manager as a client of <paramref name="url"/>, made once per organisation.</summary>
    internal static Func<string, HttpClient> ProviderClients(BenchHost host, string url)
    {
        var clients = new ConcurrentDictionary<string, HttpClient>(); // the pairs' clients ask at once
        return org => clients.GetOrAdd(org, o => host.Client(url, o, $"bench-{o.ToLowerInvariant()}", "case-manager"));
    }

    internal static async Task HttpPairAsync(HttpClient allocator, HttpClient provider, Candidate c, Guid officer)
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

    internal static async Task<Template> TemplateAsync(NpgsqlDataSource source)
    {
        await using var connection = await source.OpenConnectionAsync();
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
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    INSERT INTO "Allocations" ("Id", "CaseId", "Crn", "AreaCode", "FromOrganisationCode", "ToOrganisationCode", "Reason", "RulesOutcome",
                      "RulesOrganisationCode", "RulesProvisional", "RulesetVersion", "RulesetHash", "FactsJson", "DecisionJson", "IsOverride", "ProposedBy",
                      "ProposedAt", "SentAt", "DueBy", "State", "OpenCaseId", "Version")
                    VALUES ($1, $2, $3, $4, $5, $6, 'NewSentence', 'AllocateToProvider', $6, false, $7, $8, $9, $10, false, 'bench-allocator', $11, $11, $12, 'Proposed', $2, 1)
                    """,
                    allocationId, c.CaseId, c.Crn, c.AreaCode, Region, c.Provider, template.RulesetVersion, template.RulesetHash, template.FactsJson, template.DecisionJson,
                    now, now.AddDays(14)));
                batch.BatchCommands.Add(BaselineSql.Audit(now, "Disclosure", "ProposeAllocation", "bench-allocator", Region, c.Crn, allocationId, 1, "allocation proposed", c.Provider));
                batch.BatchCommands.Add(BaselineSql.Outbox(now, "case-transfer.allocation.proposed", c.Crn, template.Payload));
                batch.BatchCommands.Add(BaselineSql.StampCase(c.Crn, now));
                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            now = DateTimeOffset.UtcNow;
            await using (var connection = await source.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Allocations" SET "State" = 'Accepted', "DecidedBy" = 'bench-provider', "DecidedAt" = $2, "ResponsibleOfficerId" = $3,
                      "CapacityAcknowledgement" = $4, "OpenCaseId" = NULL, "Version" = "Version" + 1 WHERE "Id" = $1 AND "Version" = 1
                    """,
                    allocationId, now, officer, """{"onScreen":{"capacityPercent":100,"points":0,"availablePoints":0,"caseCount":0}}"""));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """
                    UPDATE "Cases" SET "HolderOrganisationCode" = $2, "ResponsibleOfficerId" = $3, "HeldSince" = $4, "UpdatedAt" = $4, "LastAuditedWriteAt" = $4,
                      "Version" = "Version" + 1
                    WHERE "Id" = $1
                    """,
                    c.CaseId, c.Provider, officer, now));
                batch.BatchCommands.Add(BaselineSql.Command("""UPDATE "CaseHoldings" SET "To" = $2 WHERE "CaseId" = $1 AND "To" IS NULL""", c.CaseId, now));
                batch.BatchCommands.Add(BaselineSql.Command(
                    """INSERT INTO "CaseHoldings" ("Id", "CaseId", "OrganisationCode", "ResponsibleOfficerId", "From", "Reason") VALUES ($1, $2, $3, $4, $5, 'Allocation accepted')""",
                    Guid.CreateVersion7(), c.CaseId, c.Provider, officer, now));
                batch.BatchCommands.Add(BaselineSql.Audit(now, "Alteration", "AcceptAllocation", "bench-provider", c.Provider, c.Crn, allocationId, 2, "allocation accepted; case holder changed", null));
                for (var i = 1; i < outboxPerPair; i++)
                {
                    batch.BatchCommands.Add(BaselineSql.Outbox(now, "case-transfer.allocation.accepted", c.Crn, template.Payload));
                }

                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        }
    }
}
