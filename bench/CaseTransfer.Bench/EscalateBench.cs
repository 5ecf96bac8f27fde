using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Infrastructure.Persistence;
using Npgsql;

/// <summary>
/// Request -> acknowledge -> accept benchmark (issue 13), PostgreSQL: the escalation workflow over HTTP (the provider's
/// case manager POSTs /api/v1/escalations, the NPS region's decider acknowledges and accepts it naming an officer)
/// against the raw ADO.NET server behind HTTP (<see cref="EscalateBaselineServer"/>) serving the same three requests
/// with the same tokens: once making first, in each request's transaction, the reads the Api makes with the SQL EF
/// sends (<c>baseline-http-reads</c>, the baseline the issue names), and once writing only (<c>baseline-http</c>, as
/// allocation's writes-only baseline, for comparison). Same cluster, same run, N concurrent clients, the modes taking
/// turns round by round. Each triple uses a fresh case that the bench first hands to a provider through the Api's own
/// allocation workflow (setup, not measured), and the case's latest risk assessment as the one the escalation rests on.
/// </summary>
internal static class EscalateBench
{
    private const string Region = "NPS-NW";

    /// <summary>The Api; the raw server making the Api's reads and writes; the raw server making the writes only.</summary>
    private static readonly string[] Modes = ["http", "baseline-http-reads", "baseline-http"];

    internal sealed record Subject(string Crn, string Provider, Guid RiskAssessmentId);

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => int.Parse(Opt(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var clients = Int("--clients", 16);
        var perRound = Int("--per-round", 300);
        var rounds = Int("--rounds", 3);
        var warmHttp = Int("--warmup", 1500);
        var warmServers = Int("--server-warmup", 1500);
        var officersPer = Int("--officers", 40);
        var modes = Opt("--modes")?.Split(',') ?? Modes;
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost("postgres", apiDll, Opt("--keep") is { } keep ? Path.GetFullPath(keep) : null);
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
        Console.WriteLine($"CaseTransfer escalate bench: postgres, {clients} clients, {rounds} rounds x {perRound} request+acknowledge+accept triples per mode ({string.Join(", ", modes)}); warm-up {warmHttp} HTTP triples, {warmServers} per raw server; {officersPer} officers per organisation");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {host.WorkDir}; load {TransferBench.Load()}");
        try
        {
            await host.StartDatabaseAsync();
            var db = new BenchDatabase("postgres", host.ConnectionString);
            var triplesNeeded = perRound * rounds * modes.Length + clients * 2 * modes.Length + warmHttp + warmServers * (modes.Length - 1);
            var needed = (long)triplesNeeded * 3;
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
            var provider = AllocateBench.ProviderClients(host, url);
            var subjects = await ProviderHeldAsync(host, db, allocator, provider, triplesNeeded, clients, officersPer);
            var deciderOfficers = (await AllocateBench.OfficersAsync(db, officersPer, $"""o."Code" = '{Region}'"""))[Region];
            Console.WriteLine($"{subjects.Count:N0} provider-held cases with a risk assessment; {deciderOfficers.Count} {Region} officers take them in turn");

            var next = 0;
            List<Subject> Take(int n)
            {
                var taken = subjects.Skip(next).Take(n).ToList();
                next += n;
                return taken;
            }

            // Each side's clients for a server: the provider's case manager (per provider) and the region's decider.
            (Func<string, HttpClient> Provider, HttpClient Decider) ClientsOf(string serverUrl) =>
                (AllocateBench.ProviderClients(host, serverUrl), host.Client(serverUrl, Region, "bench-decider", "escalation-decider"));
            var servers = new Dictionary<string, (Func<string, HttpClient> Provider, HttpClient Decider)> { ["http"] = ClientsOf(url) };
            var before = await RowCountsAsync(db);
            await AllocateBench.RunAsync(Take(clients * 2), clients, s => TripleAsync(servers["http"], s, deciderOfficers.Next()));
            var perTriple = (await RowCountsAsync(db)).Subtract(before).Per(clients * 2);
            Console.WriteLine($"one HTTP request+acknowledge+accept writes: {perTriple}");
            foreach (var mode in modes.Where(m => m != "http"))
            {
                servers[mode] = ClientsOf(await host.StartEscalateBaselineServerAsync(reads: mode == "baseline-http-reads"));
                var start = await RowCountsAsync(db);
                await AllocateBench.RunAsync(Take(clients * 2), clients, s => TripleAsync(servers[mode], s, deciderOfficers.Next()));
                var writes = (await RowCountsAsync(db)).Subtract(start).Per(clients * 2);
                Console.WriteLine($"one {mode} triple writes: {writes}{(writes == perTriple ? "" : "  <-- NOT the Api's writes")}");
            }

            Task<double> Run(string mode, List<Subject> cases) =>
                AllocateBench.RunAsync(cases, clients, s => TripleAsync(servers[mode], s, deciderOfficers.Next()));
            foreach (var mode in modes)
            {
                var n = mode == "http" ? warmHttp : warmServers;
                var s = await Run(mode, Take(n));
                Console.WriteLine($"warm-up {mode,-19}: {n} triples in {s:N2} s = {n / s:N1} triples/s (not counted)");
            }

            var results = new List<(string Mode, int Round, double TriplesPerSecond)>();
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var mode in modes.Skip((round - 1) % modes.Length).Concat(modes.Take((round - 1) % modes.Length)))
                {
                    var load = TransferBench.Load();
                    var seconds = await Run(mode, Take(perRound));
                    results.Add((mode, round, perRound / seconds));
                    Console.WriteLine($"round {round} {mode,-19}: {perRound} triples in {seconds:N2} s = {perRound / seconds:N1} triples/s ({3 * perRound / seconds:N1} requests/s); load {load}");
                }
            }

            double Mean(string mode) => results.Where(r => r.Mode == mode).Average(r => r.TriplesPerSecond);
            string PerRound(string mode) => string.Join(", ", Enumerable.Range(1, rounds).Select(r =>
                $"{100 * results.Single(x => x.Round == r && x.Mode == "http").TriplesPerSecond / results.Single(x => x.Round == r && x.Mode == mode).TriplesPerSecond:N0}%"));
            Console.WriteLine();
            Console.WriteLine($"=== Results: escalate, postgres, {clients} clients, {rounds} x {perRound} triples per mode, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ===");
            Console.WriteLine($"HTTP (request + acknowledge + accept, the Api): {Mean("http"):N1} triples/s");
            foreach (var mode in modes.Where(m => m != "http"))
            {
                Console.WriteLine($"{mode,-19} (raw ADO.NET behind HTTP{(mode == "baseline-http-reads" ? ", the Api's reads and writes" : ", writes only")}): {Mean(mode):N1} triples/s");
            }

            if (modes.Contains("baseline-http-reads"))
            {
                var ratio = Mean("http") / Mean("baseline-http-reads");
                Console.WriteLine($"ratio HTTP / raw ADO.NET with the same reads and writes: {100 * ratio:N1}% (>= 70%: {(ratio >= 0.7 ? "met" : "MISSED")}); per round {PerRound("baseline-http-reads")}");
            }

            if (modes.Contains("baseline-http"))
            {
                Console.WriteLine($"ratio HTTP / raw ADO.NET writes only: {100 * Mean("http") / Mean("baseline-http"):N1}%; per round {PerRound("baseline-http")}");
            }

            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
    }

    /// <summary>
    /// Cases handed to a provider through the Api's allocation workflow (propose + accept, as in the allocate bench),
    /// each with its latest risk assessment: the escalations' subjects.
    /// </summary>
    private static async Task<List<Subject>> ProviderHeldAsync(
        BenchHost host, BenchDatabase db, HttpClient allocator, Func<string, HttpClient> provider, int count, int clients, int officersPer)
    {
        var candidates = await AllocateBench.CandidatesAsync(db, (long)count * 3);
        var usable = new System.Collections.Concurrent.ConcurrentBag<AllocateBench.Candidate>();
        await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
        {
            var preview = await (await allocator.PostAsJsonAsync("api/v1/allocations/preview", new { crn = c.Crn }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
            var decision = preview?["decision"];
            if (decision?["outcome"]?.GetValue<string>() == "AllocateToProvider" && decision["provisional"]?.GetValue<bool>() == false)
            {
                usable.Add(c with { Provider = decision["receivingOrganisationCode"]!.GetValue<string>() });
            }
        });
        var chosen = usable.OrderBy(c => c.Crn, StringComparer.Ordinal).Take(count).ToList();
        if (chosen.Count < count)
        {
            throw new InvalidOperationException($"only {chosen.Count} of {count} cases go to a provider; raise the seed");
        }

        var officers = await AllocateBench.OfficersAsync(db, officersPer);
        var watch = Stopwatch.StartNew();
        await AllocateBench.RunAsync(chosen, clients, c => AllocateBench.HttpPairAsync(allocator, provider(c.Provider), c, officers[c.Provider].Next()));
        Console.WriteLine($"setup: {chosen.Count:N0} cases allocated to providers in {watch.Elapsed.TotalSeconds:N1} s");

        var byCrn = chosen.ToDictionary(c => c.Crn, c => c.Provider);
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT DISTINCT ON (c."Crn") c."Crn", r."Id" FROM "Cases" c JOIN "RiskAssessments" r ON r."CaseId" = c."Id"
            WHERE c."Crn" = ANY ($1) ORDER BY c."Crn", r."AssessedOn" DESC, r."RecordedAt" DESC
            """;
        command.Parameters.Add(new NpgsqlParameter { Value = byCrn.Keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var subjects = new List<Subject>();
        while (await reader.ReadAsync())
        {
            subjects.Add(new Subject(reader.GetString(0), byCrn[reader.GetString(0)], reader.GetGuid(1)));
        }

        if (subjects.Count < count)
        {
            throw new InvalidOperationException($"{count - subjects.Count} allocated cases have no risk assessment to escalate on");
        }

        return subjects;
    }

    /// <summary>The provider requests, the region acknowledges, then accepts naming one of its officers.</summary>
    private static async Task TripleAsync((Func<string, HttpClient> Provider, HttpClient Decider) clients, Subject s, Guid officer)
    {
        using var requested = await clients.Provider(s.Provider).PostAsJsonAsync("api/v1/escalations", new
        {
            crn = s.Crn,
            reason = "RoshIncrease",
            urgency = "Standard",
            riskAssessmentId = s.RiskAssessmentId,
            triggeringEvents = "Arrested for assault on his partner; released under investigation to the family home",
            documentReferences = new[] { "oasys:2027-000123" },
        });
        await Expect(requested, HttpStatusCode.Created, "request", s.Crn);
        var id = (await requested.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var acknowledged = await clients.Decider.PostAsync($"api/v1/escalations/{id}/acknowledge", null);
        await Expect(acknowledged, HttpStatusCode.OK, "acknowledge", s.Crn);
        using var accepted = await clients.Decider.PostAsJsonAsync($"api/v1/escalations/{id}/accept", new
        {
            reason = "RiskOfSeriousHarm",
            responsibleOfficerId = officer,
            capacityAcknowledgement = new { capacityPercent = 100, points = 0, availablePoints = 0, caseCount = 0 },
        });
        await Expect(accepted, HttpStatusCode.OK, "accept", s.Crn);
    }

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode status, string step, string crn)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{step} {crn} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    internal sealed record Rows(long Escalations, long Audit, long Outbox, long Holdings, long Grants)
    {
        public Rows Subtract(Rows o) => new(Escalations - o.Escalations, Audit - o.Audit, Outbox - o.Outbox, Holdings - o.Holdings, Grants - o.Grants);

        public PerTriple Per(int n) => new(Escalations / (double)n, Audit / (double)n, Outbox / (double)n, Holdings / (double)n, Grants / (double)n);
    }

    internal sealed record PerTriple(double Escalations, double Audit, double Outbox, double Holdings, double Grants)
    {
        public override string ToString() =>
            $"{Escalations:0.##} escalation rows, {Audit:0.##} audit entries (consultations included), {Outbox:0.##} outbox rows, {Holdings:0.##} new holdings, {Grants:0.##} access grants";
    }

    private static async Task<Rows> RowCountsAsync(BenchDatabase db) => new(
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "Escalations" """),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "AuditEntries" """),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "OutboxMessages" """),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "CaseHoldings" """),
        await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "CaseAccessGrants" """));
}
