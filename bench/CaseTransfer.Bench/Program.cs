using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using CaseTransfer.Api.Auth;
using CaseTransfer.Application.Cases;
using CaseTransfer.Domain.Search;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

// Search benchmark: seeds a throwaway database through the Api's own `seed` verb, starts the Api as a child
// process on a loopback port, and measures search latency and search quality over real HTTP.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args is ["audit", ..])
{
    return await AuditBench.RunAsync(args);
}

if (args is ["transfer", ..])
{
    return await TransferBench.RunAsync(args);
}

if (args is ["allocate-baseline-server", ..])
{
    return await AllocateBaselineServer.RunAsync(args);
}

if (args is ["alerts", ..])
{
    return await AlertBench.RunAsync(args);
}

if (args is ["allocate", ..])
{
    return await AllocateBench.RunAsync(args);
}

if (args is ["escalate-baseline-server", ..])
{
    return await EscalateBaselineServer.RunAsync(args);
}

if (args is ["escalate", ..])
{
    return await EscalateBench.RunAsync(args);
}

if (args is ["documents", ..])
{
    return await DocumentsBench.RunAsync(args);
}

if (args is ["webhooks", ..])
{
    return await WebhooksBench.RunAsync(args);
}

if (args is ["broker", ..])
{
    return await BrokerBench.RunAsync(args);
}

if (args is ["shares", ..])
{
    return await SharesBench.RunAsync(args);
}

if (args.Length == 0 || args[0] != "search")
{
    Console.Error.WriteLine("usage: broker [--engine sqlite,postgres] [--events 10000] [--per-case 1] [--batch 1000] [--interval 100] [--outstanding 2000] | webhooks [--engine sqlite|postgres] [--events 10000] [--scenarios one,pair,dead] [--interval 100] [--batch 500] [--fanout 2000] [--timeout 10] [--dead-switch-at 2000] | documents [--rounds 5] [--stores disk,azure] | shares --engine postgres|sqlite --cases 250000 [--shares 100000] [--sample 2000] [--keep DIR] [--explain] | alerts --engine sqlite|postgres --cases 1000000 [--batch N] [--keep DIR] | transfer --engine sqlite|postgres --cases 100000 [--batch N] [--keep DIR] | allocate --engine postgres [--clients 16] | escalate [--clients 16] [--modes http,baseline-http-reads,baseline-http] | audit ... | search ...");
    Console.Error.WriteLine("usage: search --engine sqlite|postgres --cases N [--queries 2000] [--misspellings 1000] [--people-type 112] [--keep DIR] [--api PATH/CaseTransfer.Api.dll]");
    return 2;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

await using var bench = new SearchBench(options);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    bench.Cancel();
};
try
{
    return await bench.RunAsync();
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"bench failed: {e}");
    return 1;
}

internal sealed record BenchOptions(string Engine, int Cases, int Queries, int Misspellings, string? Keep, string ApiDll, int Seed, int PeopleType)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var engine = (Opt("--engine") ?? "sqlite").ToLowerInvariant();
        if (engine is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--engine must be sqlite or postgres");
        }

        var api = Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("cannot find CaseTransfer.Api.dll; build -c Release first or pass --api");
        return new BenchOptions(
            engine,
            int.Parse(Opt("--cases") ?? "250000", CultureInfo.InvariantCulture),
            int.Parse(Opt("--queries") ?? "2000", CultureInfo.InvariantCulture),
            int.Parse(Opt("--misspellings") ?? "1000", CultureInfo.InvariantCulture),
            Opt("--keep") is { } keep ? Path.GetFullPath(keep) : null,
            Path.GetFullPath(api),
            int.Parse(Opt("--seed") ?? "20261127", CultureInfo.InvariantCulture),
            int.Parse(Opt("--people-type") ?? "112", CultureInfo.InvariantCulture));
    }

}

internal sealed partial class SearchBench(BenchOptions o) : IAsyncDisposable
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";
    private const int WarmupRequests = 300;

    private readonly CancellationTokenSource cts = new();
    private readonly string workDir = o.Keep ?? Path.Combine(Path.GetTempPath(), "ctbench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private Process? api;
    private string? pgData;
    private int pgPort;
    private StreamWriter? apiLog;

    private string ConnectionString => o.Engine == "sqlite"
        ? $"Data Source={Path.Combine(workDir, "cases.db")}"
        : $"Host=127.0.0.1;Port={pgPort};Username=app;Database=postgres;Pooling=true;Maximum Pool Size=20";

    public void Cancel() => cts.Cancel();

    public async Task<int> RunAsync()
    {
        Directory.CreateDirectory(workDir);
        Console.WriteLine($"CaseTransfer search bench: engine={o.Engine} cases={o.Cases:N0} queries={o.Queries:N0} misspellings={o.Misspellings:N0}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {workDir}{(o.Keep is null ? " (deleted at end)" : " (kept)")}");
        Console.WriteLine($"api: {o.ApiDll}");

        if (o.Engine == "postgres")
        {
            await StartPostgresAsync();
        }

        // Seed what is missing (a kept directory may already hold some or all of the cases).
        var existing = await CountCasesAsync();
        var seedSeconds = double.NaN;
        if (existing > o.Cases)
        {
            throw new InvalidOperationException($"the database already holds {existing:N0} cases, more than --cases {o.Cases:N0}");
        }

        if (existing < o.Cases)
        {
            Console.WriteLine($"Seeding {o.Cases - existing:N0} cases (database holds {existing:N0}) with the Api's seed verb...");
            var watch = Stopwatch.StartNew();
            var code = await RunApiVerbAsync(["seed", "--cases", (o.Cases - existing).ToString(CultureInfo.InvariantCulture)]);
            seedSeconds = watch.Elapsed.TotalSeconds;
            if (code != 0)
            {
                throw new InvalidOperationException($"seed exited with {code}");
            }

            Console.WriteLine($"Seeded {o.Cases - existing:N0} cases in {seedSeconds:N1} s ({(o.Cases - existing) / seedSeconds:N0}/s).");
        }
        else
        {
            Console.WriteLine($"Reusing the {existing:N0} cases already in {workDir}.");

            // The Api migrates SQLite at start-up but not PostgreSQL (the seed verb does); a kept database written by
            // older code needs the newer migrations and key backfills (Seeder.MigrateAsync) before it is searched.
            if (o.Engine == "postgres")
            {
                var watch = Stopwatch.StartNew();
                var code = await RunApiVerbAsync(["migrate"]);
                if (code != 0)
                {
                    throw new InvalidOperationException($"migrate exited with {code}");
                }

                Console.WriteLine($"Migrated in {watch.Elapsed.TotalSeconds:N1} s.");
            }
        }

        var count = await CountCasesAsync();
        if (count != o.Cases)
        {
            throw new InvalidOperationException($"expected {o.Cases:N0} cases after seeding, found {count:N0}");
        }

        var dbSize = o.Engine == "sqlite" ? DatabaseFilesSize() : await PostgresSizeAsync();
        var baseUrl = await StartApiAsync();
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseProxy = false })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var issuer = new TokenIssuer(new AuthOptions(), new SymmetricSecurityKey(Convert.FromBase64String(signingKey)), TimeProvider.System);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", issuer.Issue("NPS", "bench-allocator", "Bench Allocator", ["allocator"], TimeSpan.FromHours(4)));

        var now = DateTimeOffset.UtcNow;
        var random = new Random(o.Seed);
        var people = new Dictionary<int, Person>();
        Person PersonAt(int index)
        {
            if (!people.TryGetValue(index, out var p))
            {
                var c = SyntheticCases.Create(index, ReferenceData.Areas, now);
                p = new Person(c.Crn.Value, c.FirstName, c.MiddleNames, c.LastName);
                people[index] = p;
            }

            return p;
        }

        // Sanity: the bench regenerates seeded people from their index; check a few against the service.
        foreach (var index in new[] { 0, o.Cases / 2, o.Cases - 1 })
        {
            var p = PersonAt(index);
            var r = await SearchAsync(http, p.Crn, 5);
            if (r.Items.Count == 0 || r.Items[0].Crn != p.Crn || r.Items[0].Name != p.FullName)
            {
                throw new InvalidOperationException($"seeded case {p.Crn} is not {p.FullName} in the service; the bench and the seed disagree");
            }
        }

        // Latency mix: exact full names, misspelled names, CRN lookups, surname only.
        var mix = new List<(string Category, string Query)>();
        for (var i = 0; i < o.Queries; i++)
        {
            var p = PersonAt(random.Next(o.Cases));
            var roll = random.NextDouble();
            if (roll < 0.35)
            {
                mix.Add(("exact name", random.Next(3) == 0 && p.Middle is not null ? p.FullName : $"{p.First} {p.Last}"));
            }
            else if (roll < 0.70)
            {
                var kind = Misspellings.Kinds[random.Next(Misspellings.Kinds.Count)];
                mix.Add(("misspelled", Misspellings.Make(kind, p.Forenames, p.Last, random)));
            }
            else if (roll < 0.85)
            {
                mix.Add(("crn", p.Crn));
            }
            else
            {
                mix.Add(("surname only", p.Last));
            }
        }

        Console.WriteLine($"Warming up with {WarmupRequests} requests...");
        for (var i = 0; i < WarmupRequests; i++)
        {
            var p = PersonAt(random.Next(o.Cases));
            await SearchAsync(http, i % 4 == 0 ? p.Crn : $"{p.First} {p.Last}", 20);
        }

        Console.WriteLine($"Timing {mix.Count:N0} sequential searches (limit=20)...");
        var timings = new List<(string Category, double Ms)>(mix.Count);
        var total = Stopwatch.StartNew();
        foreach (var (category, q) in mix)
        {
            var watch = Stopwatch.StartNew();
            await SearchAsync(http, q, 20);
            timings.Add((category, watch.Elapsed.TotalMilliseconds));
        }

        var elapsed = total.Elapsed.TotalSeconds;

        // Quality: one misspelling per sampled person, kinds in turn so every kind gets an equal share.
        Console.WriteLine($"Quality: {o.Misspellings:N0} misspelled searches (limit=5)...");
        var qualityRandom = new Random(o.Seed + 1);
        var outcomes = new List<Outcome>(o.Misspellings);
        // Other names (aliases, known-as) a person has count as theirs: someone recorded as also known as "Wayne Smith"
        // fits "wayne smith" as exactly as a Wayne Smith does (the bench records such names itself, step 4b, and a kept
        // database keeps them from run to run).
        var otherNames = await OtherNamesAsync();
        IEnumerable<(string Forenames, string Last)> NamesOf(Item x) =>
            [(x.Forenames, x.Last), .. otherNames.GetValueOrDefault(x.Crn) ?? []];
        var picked = new HashSet<int>();
        for (var i = 0; i < o.Misspellings; i++)
        {
            var kind = Misspellings.Kinds[i % Misspellings.Kinds.Count];
            int index;
            Person p;
            do
            {
                do
                {
                    index = qualityRandom.Next(o.Cases);
                }
                while (!picked.Add(index) && picked.Count < o.Cases);

                p = PersonAt(index);
            }

            // "Missing forename" means a person with two or more forenames searched with one left out (the first,
            // as for someone known by a middle name); for someone with one forename it would be a surname alone.
            while (kind == MisspellingKind.MissingForename && p.Middle is null);

            var q = Misspellings.Make(kind, p.Forenames, p.Last, qualityRandom);
            var source = SourceTokens(kind, p);
            var r = await SearchAsync(http, q, 5);
            var position = r.Items.FindIndex(x => x.Crn == p.Crn);
            var hit = position >= 0;
            var hitStrict = hit;
            var byNamesake = false;
            var bySharedName = false;
            if (!hit)
            {
                // Not in the top 5: still a hit if every result ranked above the intended person is someone the query
                // cannot tell apart from them. Strict rule: a namesake whose name is exactly the tokens the query was made
                // from. Wider rule: someone whose forenames include the forename the query was made from and whose surname
                // is the same (John Williams and John Paul Williams for "jhon williams" made from John Stephen Williams).
                // Pages through the ranking (up to 1,000 results) while every result so far is such a person.
                var ranking = new List<Item>();
                var at = -1;
                string? cursor = null;
                do
                {
                    var page = await SearchAsync(http, q, SearchCases.MaxLimit, cursor);
                    ranking.AddRange(page.Items);
                    cursor = page.Next;
                    at = ranking.FindIndex(x => x.Crn == p.Crn);
                }
                while (at < 0 && cursor is not null && ranking.Count < 1_000 && ranking.All(x => NamesOf(x).Any(n => SharesTheName(n, source))));

                byNamesake = at > 0 && ranking.Take(at).All(x => NamesOf(x).Any(n => NameText.Tokens($"{n.Forenames} {n.Last}").SequenceEqual(source, StringComparer.Ordinal)));
                bySharedName = at > 0 && ranking.Take(at).All(x => NamesOf(x).Any(n => SharesTheName(n, source)));
                hitStrict = byNamesake;
                hit = bySharedName;
                position = at >= 0 ? at : -1;
            }

            // What the service's own scorer gives the intended person for this query: if all 5 results score at least
            // as much, the query fits them as well (ambiguous); otherwise the candidate stage in the database lost them.
            var own = Math.Round(NameMatcher.Score(string.Join(' ', SearchTerms.Parse(q).NameTokens), p.Forenames, p.Last), 4);
            var outranked = !hit && r.Items.Count == 5 && r.Items.All(x => x.Score >= own);
            outcomes.Add(new Outcome(kind, q, p, hit, hitStrict, byNamesake, bySharedName && !byNamesake, position, outranked, own, r.Items.Take(3).Select(x => $"{x.Name} ({x.Score:0.###})").ToList()));
        }

        Console.WriteLine($"Issue 12 kinds: {o.PeopleType:N0} searches of each kind (limit=5)...");
        var peopleType = await RunPeopleTypeAsync(http, PersonAt, o.PeopleType, now);
        Print(dbSize, seedSeconds, existing, timings, elapsed, outcomes);
        foreach (var line in peopleType)
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    private void Print(long dbSize, double seedSeconds, int existing, List<(string Category, double Ms)> timings, double elapsed, List<Outcome> outcomes)
    {
        Console.WriteLine();
        Console.WriteLine($"=== Results: {o.Engine}, {o.Cases:N0} cases, {DateTime.UtcNow:yyyy-MM-dd} ===");
        Console.WriteLine(double.IsNaN(seedSeconds)
            ? $"seed: reused existing database ({existing:N0} cases)"
            : $"seed: {o.Cases - existing:N0} cases in {seedSeconds:N1} s ({(o.Cases - existing) / seedSeconds:N0} cases/s){(existing > 0 ? $", appended to {existing:N0}" : string.Empty)}");
        Console.WriteLine($"database size: {dbSize / 1024.0 / 1024.0:N0} MiB");
        Console.WriteLine();
        Console.WriteLine("Latency over HTTP, sequential, one client (ms):");
        Console.WriteLine($"{"category",-14} {"n",6} {"p50",8} {"p95",8} {"p99",8} {"max",8}");
        foreach (var group in timings.GroupBy(t => t.Category).OrderBy(g => g.Key, StringComparer.Ordinal).Append(timings.GroupBy(_ => "ALL").Single()))
        {
            var sorted = group.Select(t => t.Ms).Order().ToArray();
            Console.WriteLine($"{group.Key,-14} {sorted.Length,6} {Pct(sorted, 50),8:F1} {Pct(sorted, 95),8:F1} {Pct(sorted, 99),8:F1} {sorted[^1],8:F1}");
        }

        Console.WriteLine($"throughput: {timings.Count / elapsed:N0} requests/s (sequential)");
        var p95 = Pct(timings.Select(t => t.Ms).Order().ToArray(), 95);
        Console.WriteLine($"target p95 < 25 ms: {(p95 < 25 ? "met" : "MISSED")} ({p95:F1} ms)");
        Console.WriteLine();
        Console.WriteLine("Quality: intended case in the top 5. Two hit rules, both shown (bench/README.md, 'Running each verb', defines them):");
        Console.WriteLine("  strict: the intended CRN is in the top 5, OR every result ranked above it is a person whose name (forenames +");
        Console.WriteLine("    surname) is exactly the tokens the query was generated from (a namesake; such ties are ordered by CRN).");
        Console.WriteLine("  shared-name: the intended CRN is in the top 5, OR every result ranked above it has exactly the source surname");
        Console.WriteLine("    and the source forename among its forenames (John Williams or John Paul Williams for a query made from");
        Console.WriteLine("    John Stephen Williams): people who fit every token the query was made from, as the intended person does.");
        Console.WriteLine("InitialOnly (\"J Smith\") is not one of the issue's kinds: shown for information, left out of the headline rates.");
        Console.WriteLine($"{"kind",-16} {"n",5} {"strict%",8} {"shared%",8} {"top1%",7} {"namesake",9} {"shared",7}");
        var scored = outcomes.Where(x => x.Kind != MisspellingKind.InitialOnly).ToList();
        foreach (var group in outcomes.GroupBy(x => x.Kind.ToString()).OrderBy(g => Misspellings.Kinds.ToList().FindIndex(k => k.ToString() == g.Key))
            .Append(scored.GroupBy(_ => "ALL (issue)").Single()).Append(outcomes.GroupBy(_ => "ALL+initials").Single()))
        {
            var n = group.Count();
            Console.WriteLine($"{group.Key,-16} {n,5} {100.0 * group.Count(x => x.HitStrict) / n,8:F1} {100.0 * group.Count(x => x.Hit) / n,8:F1} {100.0 * group.Count(x => x.Position == 0) / n,7:F1} {group.Count(x => x.ByNamesake),9} {group.Count(x => x.BySharedName),7}");
        }

        var strictRate = 100.0 * scored.Count(x => x.HitStrict) / scored.Count;
        var rate = 100.0 * scored.Count(x => x.Hit) / scored.Count;
        Console.WriteLine($"target top-5 >= 98% over the issue's kinds ({scored.Count} queries), strict rule: {(strictRate >= 98 ? "met" : "MISSED")} ({strictRate:F1}%)");
        Console.WriteLine($"target top-5 >= 98% over the issue's kinds ({scored.Count} queries), shared-name rule: {(rate >= 98 ? "met" : "MISSED")} ({rate:F1}%)");
        var strictOnly = scored.Where(x => x.Hit && !x.HitStrict).ToList();
        Console.WriteLine($"hits by the shared-name rule only ({strictOnly.Count}), for inspection:");
        foreach (var m in strictOnly.OrderBy(x => x.Kind))
        {
            Console.WriteLine($"  [{m.Kind}] \"{m.Query}\" for {m.Person.FullName} ({m.Person.Crn}) at position {m.Position + 1}; top: {string.Join("; ", m.Top)}");
        }

        var misses = scored.Where(x => !x.Hit).ToList();
        Console.WriteLine($"misses by the shared-name rule (issue's kinds): {misses.Count}: {misses.Count(x => x.Outranked)} outranked (5 results scoring at least the intended person's own score: the query fits them as well),");
        Console.WriteLine($"  {misses.Count(x => !x.Outranked)} not retrieved (the intended person would have scored higher but the database candidate stage did not return them). All of them:");
        foreach (var m in misses.OrderBy(x => x.Outranked).ThenBy(x => x.Kind))
        {
            Console.WriteLine($"  [{m.Kind}] \"{m.Query}\" for {m.Person.FullName} ({m.Person.Crn}, own score {m.OwnScore:0.###}){(m.Outranked ? " outranked" : " NOT RETRIEVED")}; top: {string.Join("; ", m.Top)}");
        }
    }

    /// <summary>
    /// The wider hit rule: the result's surname is exactly the source surname, and its forenames include the source
    /// forename (in any position). Such a person fits every token the query was made from, as the intended one does.
    /// </summary>
    private static bool SharesTheName((string Forenames, string Last) name, List<string> source) =>
        NameText.Tokens(name.Last).SequenceEqual(source.Skip(1), StringComparer.Ordinal)
        && NameText.Tokens(name.Forenames).Contains(source[0], StringComparer.Ordinal);

    /// <summary>Every case's other names, by CRN, as the database holds them (none before the OtherNames migration).</summary>
    private async Task<Dictionary<string, List<(string Forenames, string Last)>>> OtherNamesAsync()
    {
        const string sql = """
            SELECT c."Crn", o."FirstName", o."MiddleNames", o."LastName" FROM "CaseOtherNames" o JOIN "Cases" c ON c."Id" = o."CaseId"
            """;
        var names = new Dictionary<string, List<(string, string)>>();
        try
        {
            await using DbConnection c = o.Engine == "sqlite"
                ? new SqliteConnection(ConnectionString + ";Mode=ReadOnly;Pooling=False")
                : new NpgsqlConnection(ConnectionString + ";Pooling=False");
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var forenames = reader.IsDBNull(2) ? reader.GetString(1) : $"{reader.GetString(1)} {reader.GetString(2)}";
                (names.TryGetValue(reader.GetString(0), out var list) ? list : names[reader.GetString(0)] = []).Add((forenames, reader.GetString(3)));
            }
        }
        catch (Exception e) when (e is SqliteException { SqliteErrorCode: 1 } or PostgresException { SqlState: PostgresErrorCodes.UndefinedTable })
        {
            // A database from before other names: nobody has any.
        }

        return names;
    }

    /// <summary>The name tokens a query of this kind was made from: first forename (or the second, when the first
    /// is left out) and surname.</summary>
    private static List<string> SourceTokens(MisspellingKind kind, Person p)
    {
        var given = NameText.Tokens(p.Forenames);
        var forename = kind == MisspellingKind.MissingForename && given.Count > 1 ? given[1] : given[0];
        return [forename, .. NameText.Tokens(p.Last)];
    }

    private static double Pct(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static async Task<SearchResult> SearchAsync(HttpClient http, string q, int limit, string? cursor = null)
    {
        using var response = await http.GetAsync($"api/v1/cases?q={Uri.EscapeDataString(q)}&limit={limit}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"search \"{q}\" returned {(int)response.StatusCode}: {body}");
        }

        using var doc = JsonDocument.Parse(body);
        var items = new List<Item>();
        foreach (var item in doc.RootElement.GetProperty("items").EnumerateArray())
        {
            var name = item.GetProperty("name");
            var middle = name.TryGetProperty("middleNames", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            items.Add(new Item(
                item.GetProperty("crn").GetString()!,
                Person.Full(name.GetProperty("firstName").GetString()!, middle, name.GetProperty("lastName").GetString()!),
                item.GetProperty("score").GetDouble(),
                middle is null ? name.GetProperty("firstName").GetString()! : $"{name.GetProperty("firstName").GetString()} {middle}",
                name.GetProperty("lastName").GetString()!));
        }

        var next = doc.RootElement.TryGetProperty("nextCursor", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new SearchResult(items, next);
    }

    private async Task<int> CountCasesAsync()
    {
        const string sql = "SELECT COUNT(*) FROM \"Cases\"";
        try
        {
            if (o.Engine == "sqlite")
            {
                if (!File.Exists(Path.Combine(workDir, "cases.db")))
                {
                    return 0;
                }

                await using var c = new SqliteConnection(ConnectionString + ";Mode=ReadOnly;Pooling=False");
                await c.OpenAsync();
                await using var cmd = c.CreateCommand();
                cmd.CommandText = sql;
                return Convert.ToInt32(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }
            else
            {
                await using var c = new NpgsqlConnection(ConnectionString + ";Pooling=False");
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand(sql, c);
                return Convert.ToInt32(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private long DatabaseFilesSize() =>
        Directory.EnumerateFiles(workDir, "cases.db*").Sum(f => new FileInfo(f).Length);

    private async Task<long> PostgresSizeAsync()
    {
        await using var c = new NpgsqlConnection(ConnectionString + ";Pooling=False");
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_database_size(current_database())", c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private ProcessStartInfo ApiStartInfo(IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(o.ApiDll)!, UseShellExecute = false };
        psi.ArgumentList.Add(o.ApiDll);
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["Database__Provider"] = o.Engine == "sqlite" ? "Sqlite" : "Postgres";
        psi.Environment["Database__ConnectionString"] = ConnectionString;
        psi.Environment["Auth__SigningKey"] = signingKey;
        psi.Environment["Auth__UseDevelopmentKey"] = "false";
        psi.Environment["Seed__Demo"] = "false";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return psi;
    }

    /// <summary>Runs a CLI verb with the console inherited, so the seed's progress display shows.</summary>
    private async Task<int> RunApiVerbAsync(string[] arguments)
    {
        using var p = Process.Start(ApiStartInfo(arguments))!;
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }

        return p.ExitCode;
    }

    private async Task<string> StartApiAsync()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = ApiStartInfo([]);
        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        apiLog = new StreamWriter(Path.Combine(workDir, "api.log")) { AutoFlush = true };
        api = new Process { StartInfo = psi };
        api.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (apiLog) { apiLog.WriteLine(e.Data); } } };
        api.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (apiLog) { apiLog.WriteLine(e.Data); } } };
        api.Start();
        api.BeginOutputReadLine();
        api.BeginErrorReadLine();
        Console.WriteLine($"Api started (pid {api.Id}) on {url}; waiting for /health/ready...");

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (api.HasExited)
            {
                throw new InvalidOperationException($"the Api exited with {api.ExitCode} at start; see {Path.Combine(workDir, "api.log")}");
            }

            try
            {
                using var r = await probe.GetAsync($"{url}/health/ready", cts.Token);
                if (r.IsSuccessStatusCode)
                {
                    Console.WriteLine($"Api ready after {watch.Elapsed.TotalSeconds:N1} s.");
                    return url + "/";
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cts.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cts.Token);
        }

        throw new TimeoutException("the Api did not become ready within 3 minutes");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task StartPostgresAsync()
    {
        var dir = Path.Combine(workDir, "pg");
        pgData = Path.Combine(dir, "data");
        Directory.CreateDirectory(dir);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", workDir]);
        }

        if (!Directory.Exists(pgData))
        {
            await RunPgAsync(asRoot, "initdb", ["-D", pgData, "-A", "trust", "-U", "app"]);
        }

        pgPort = FreePort();
        await RunPgAsync(asRoot, "pg_ctl", ["-D", pgData, "-l", Path.Combine(dir, "log"), "-o", $"-p {pgPort} -k {dir} -c listen_addresses=127.0.0.1", "-w", "start"]);
        Console.WriteLine($"PostgreSQL started on 127.0.0.1:{pgPort} ({pgData}).");
    }

    private static Task RunPgAsync(bool asRoot, string tool, string[] arguments) =>
        asRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(PgBin, tool), .. arguments])
            : RunAsync(Path.Combine(PgBin, tool), arguments);

    private static async Task RunAsync(string file, string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {p.ExitCode}: {await stdout}{await stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (api is { HasExited: false })
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }

        api?.Dispose();
        apiLog?.Dispose();
        if (pgData is not null && Directory.Exists(pgData))
        {
            try
            {
                await RunPgAsync(Environment.UserName == "root", "pg_ctl", ["-D", pgData, "-m", o.Keep is null ? "immediate" : "fast", "-w", "stop"]);
                Console.WriteLine("PostgreSQL stopped.");
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"could not stop PostgreSQL: {e.Message}");
            }
        }

        if (o.Keep is null && Directory.Exists(workDir))
        {
            Directory.Delete(workDir, recursive: true);
        }

        cts.Dispose();
    }
}

internal sealed record Person(string Crn, string First, string? Middle, string Last)
{
    public string Forenames => Middle is null ? First : $"{First} {Middle}";

    public string FullName => Full(First, Middle, Last);

    public static string Full(string first, string? middle, string last) => middle is null ? $"{first} {last}" : $"{first} {middle} {last}";
}

internal sealed record Item(string Crn, string Name, double Score, string Forenames, string Last);

internal sealed record SearchResult(List<Item> Items, string? Next);

internal sealed record Outcome(MisspellingKind Kind, string Query, Person Person, bool Hit, bool HitStrict, bool ByNamesake, bool BySharedName, int Position, bool Outranked, double OwnScore, List<string> Top);
