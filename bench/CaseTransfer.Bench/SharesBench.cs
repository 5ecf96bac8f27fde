using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;

/// <summary>
/// Shared case reads (issue 14): N cases seeded with the Api's own seed verb, then S shares written straight into the
/// database in multi-row INSERTs (each from a case's holder to another organisation: mostly live and to the whole
/// organisation, some naming people, some expired, some revoked), among them a live whole-organisation share of each
/// of M sample cases to one recipient organisation R (the first few hundred made over HTTP, so that the service's own
/// shares are among those read). Then, over HTTP with real tokens, each sample case is read (GET /api/v1/cases/{crn})
/// by its holder's staff and by R's staff through the share, the two reads taking turns in order, after a warm-up:
/// p50/p95/p99 of each and the ratio of the p95s (target: recipient p95 at most 1.2 x the holder's).
/// </summary>
internal static class SharesBench
{
    private const string Role = "case-manager";

    internal sealed record CaseRow(string Id, string Crn, string Holder);

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => int.Parse(Opt(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var engine = (Opt("--engine") ?? "postgres").ToLowerInvariant();
        var cases = Int("--cases", 250_000);
        var shares = Int("--shares", 100_000);
        var sample = Int("--sample", 2_000);
        var overHttp = Int("--http-shares", 300);
        var warmup = Int("--warmup", 300);
        var recipient = Opt("--recipient") ?? "CRC-MLC";
        var explain = args.Contains("--explain");
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost(engine, apiDll, Opt("--keep") is { } keep ? Path.GetFullPath(keep) : null);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            host.Cancel();
        };
        Console.WriteLine($"CaseTransfer shares bench: engine={engine} cases={cases:N0} shares={shares:N0} sample={sample:N0} (first {overHttp} shared over HTTP) recipient={recipient} warm-up={warmup} pairs");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {host.WorkDir}; load {TransferBench.Load()}");
        try
        {
            await host.StartDatabaseAsync();
            var db = new BenchDatabase(engine, host.ConnectionString);
            var existing = await db.TableExistsAsync("Cases") ? await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "Cases" """) : 0;
            if (existing > cases)
            {
                throw new InvalidOperationException($"the database already holds {existing:N0} cases, more than --cases {cases:N0}");
            }

            if (existing < cases)
            {
                Console.WriteLine($"Seeding {cases - existing:N0} cases (database holds {existing:N0}) with the Api's seed verb...");
                var watch = Stopwatch.StartNew();
                if (await host.RunApiVerbAsync(["seed", "--cases", (cases - existing).ToString(CultureInfo.InvariantCulture)]) != 0)
                {
                    throw new InvalidOperationException("seed failed");
                }

                Console.WriteLine($"Seeded in {watch.Elapsed.TotalSeconds:N0} s.");
            }
            else if (engine == "postgres" && await host.RunApiVerbAsync(["migrate"]) != 0)
            {
                throw new InvalidOperationException("migrate failed");
            }

            var all = await CasesAsync(db, engine);
            var organisations = await OrganisationsAsync(db);
            Console.WriteLine($"{all.Count:N0} cases; holders: {string.Join(", ", all.GroupBy(c => c.Holder).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}"))}; organisations: {string.Join(", ", organisations)}");
            if (!organisations.Contains(recipient))
            {
                throw new InvalidOperationException($"no organisation {recipient}");
            }

            // The sample: cases R does not hold (nor sees through a grant: the seed makes none), spread over the table.
            var random = new Random(20261207);
            var candidates = all.Where(c => c.Holder != recipient).ToList();
            var chosen = candidates.OrderBy(_ => random.Next()).Take(sample).ToList();

            // A clean slate of shares, so reruns on a kept database measure the same thing.
            await using (var connection = await db.OpenAsync())
            {
                await AlertBench.ExecuteAsync(connection, """DELETE FROM "ShareDocument"; DELETE FROM "ShareRecipient"; DELETE FROM "Shares" """);
            }

            var url = await host.StartApiAsync(auditEntries: true, consultations: true);
            var holderClients = chosen.Select(c => c.Holder).Distinct().ToDictionary(h => h, h => host.Client(url, h, "bench-holder", Role));
            using var sharers = new DisposableClients(chosen.Select(c => c.Holder).Distinct().ToDictionary(h => h, h => host.Client(url, h, "bench-sharer", "information-officer")));
            using var reader = host.Client(url, recipient, "bench-recipient", Role);

            // Before any share: R's staff get 404 for a sample case, its holder's 200.
            await ExpectAsync(reader, chosen[0].Crn, HttpStatusCode.NotFound, "recipient before the share");
            await ExpectAsync(holderClients[chosen[0].Holder], chosen[0].Crn, HttpStatusCode.OK, "holder");

            var now = DateTimeOffset.UtcNow;
            var watchShares = Stopwatch.StartNew();
            foreach (var c in chosen.Take(overHttp))
            {
                using var response = await sharers.Clients[c.Holder].PostAsJsonAsync("api/v1/shares", new
                {
                    crn = c.Crn,
                    recipientOrganisation = recipient,
                    recipientUserIds = (string[]?)null,
                    type = "PreviousConvictions",
                    otherType = (string?)null,
                    purpose = "MAPPA level 2 meeting: risk to known adults",
                    lawfulBasis = "LawEnforcementPurposes",
                    mode = "ReadOnly",
                    expiresAt = now.AddDays(60),
                    content = "Previous convictions: 2019 s.47 assault, 2021 breach of a restraining order.",
                    documentIds = (Guid[]?)null,
                });
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"share of {c.Crn} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            Console.WriteLine($"{Math.Min(overHttp, chosen.Count)} shares to {recipient} made over HTTP in {watchShares.Elapsed.TotalSeconds:N1} s");

            // The rest in bulk: the sample's remaining live shares to R, then shares over random cases to the total.
            var rows = new List<ShareRow>(shares);
            foreach (var c in chosen.Skip(overHttp))
            {
                rows.Add(new ShareRow(NewId(engine), c, recipient, now.AddDays(60), null, []));
            }

            int live = 0, named = 0, expired = 0, revoked = 0;
            while (rows.Count + Math.Min(overHttp, chosen.Count) < shares)
            {
                var c = all[random.Next(all.Count)];
                var others = organisations.Where(o => o != c.Holder).ToList();
                var to = others[random.Next(others.Count)];
                var roll = random.NextDouble();
                if (roll < 0.75)
                {
                    live++;
                    rows.Add(new ShareRow(NewId(engine), c, to, now.AddDays(1 + random.Next(89)), null, []));
                }
                else if (roll < 0.85)
                {
                    named++;
                    rows.Add(new ShareRow(NewId(engine), c, to, now.AddDays(1 + random.Next(89)), null,
                        [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => $"staff-{random.Next(500):D3}").Distinct()]));
                }
                else if (roll < 0.95)
                {
                    expired++;
                    rows.Add(new ShareRow(NewId(engine), c, to, now.AddDays(-1 - random.Next(200)), null, []));
                }
                else
                {
                    revoked++;
                    rows.Add(new ShareRow(NewId(engine), c, to, now.AddDays(1 + random.Next(89)), now.AddDays(-random.Next(30)), []));
                }
            }

            watchShares.Restart();
            await using (var connection = await db.OpenAsync())
            {
                await InsertAsync(connection, engine, rows, now);
                foreach (var sql in engine == "postgres" ? new[] { """VACUUM ANALYZE "Shares" """, """VACUUM ANALYZE "ShareRecipient" """ } : ["ANALYZE"])
                {
                    await AlertBench.ExecuteAsync(connection, sql);
                }
            }

            var total = await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "Shares" """);
            var toR = await db.ScalarAsync<long>($"""SELECT COUNT(*) FROM "Shares" WHERE "RecipientOrganisationCode" = '{recipient}'""");
            Console.WriteLine($"{rows.Count:N0} shares inserted in bulk in {watchShares.Elapsed.TotalSeconds:N1} s: {chosen.Count - Math.Min(overHttp, chosen.Count):N0} sample shares to {recipient}, and over random cases {live:N0} live to a whole organisation, {named:N0} live naming people, {expired:N0} expired, {revoked:N0} revoked; " +
                $"{total:N0} shares in all ({toR:N0} to {recipient}), {await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "ShareRecipient" """):N0} named recipients");
            if (total != shares)
            {
                throw new InvalidOperationException($"expected {shares:N0} shares, found {total:N0}");
            }

            // Sanity: R reads a sample case now; an expired or revoked share alone gives nothing.
            await ExpectAsync(reader, chosen[^1].Crn, HttpStatusCode.OK, "recipient through a bulk share");
            await ExpectAsync(reader, chosen[0].Crn, HttpStatusCode.OK, "recipient through an HTTP share");

            var pairs = chosen.Select(c => (Case: c, Holder: holderClients[c.Holder])).ToList();
            Console.WriteLine($"Warming up with {warmup} pairs of reads...");
            foreach (var (c, holder) in pairs.OrderBy(_ => random.Next()).Take(warmup))
            {
                await ReadAsync(holder, c.Crn);
                await ReadAsync(reader, c.Crn);
            }

            Console.WriteLine($"Timing {pairs.Count:N0} pairs: holder read and recipient read of the same case, order alternating; load {TransferBench.Load()}");
            var holderMs = new List<double>(pairs.Count);
            var recipientMs = new List<double>(pairs.Count);
            var holderBytes = new List<int>(pairs.Count);
            var recipientBytes = new List<int>(pairs.Count);
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < pairs.Count; i++)
            {
                var (c, holder) = pairs[i];
                if (i % 2 == 0)
                {
                    holderMs.Add(await ReadAsync(holder, c.Crn, holderBytes));
                    recipientMs.Add(await ReadAsync(reader, c.Crn, recipientBytes));
                }
                else
                {
                    recipientMs.Add(await ReadAsync(reader, c.Crn, recipientBytes));
                    holderMs.Add(await ReadAsync(holder, c.Crn, holderBytes));
                }
            }

            var seconds = wall.Elapsed.TotalSeconds;
            var h = holderMs.Order().ToArray();
            var r = recipientMs.Order().ToArray();
            var ratio = Pct(r, 95) / Pct(h, 95);
            Console.WriteLine();
            Console.WriteLine($"=== Results: shares, {engine}, {all.Count:N0} cases, {total:N0} shares, {pairs.Count:N0} sample cases, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {TransferBench.Load()} ===");
            Console.WriteLine($"{2 * pairs.Count:N0} sequential reads in {seconds:N1} s");
            Console.WriteLine($"holder read    GET /api/v1/cases/{{crn}}: p50 {Pct(h, 50):F2} ms  p95 {Pct(h, 95):F2} ms  p99 {Pct(h, 99):F2} ms  mean {h.Average():F2} ms; body {holderBytes.Average():N0} bytes on average");
            Console.WriteLine($"recipient read (through a live share): p50 {Pct(r, 50):F2} ms  p95 {Pct(r, 95):F2} ms  p99 {Pct(r, 99):F2} ms  mean {r.Average():F2} ms; body {recipientBytes.Average():N0} bytes on average");
            Console.WriteLine($"ratio p95 recipient / holder: {ratio:F3}x (p50 {Pct(r, 50) / Pct(h, 50):F2}x, p99 {Pct(r, 99) / Pct(h, 99):F2}x); target <= 1.2x -> {(ratio <= 1.2 ? "met" : "MISSED")}");

            if (explain && engine == "postgres")
            {
                await ExplainAsync(db, chosen[^1], recipient);
            }

            foreach (var client in holderClients.Values)
            {
                client.Dispose();
            }

            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
    }

    private sealed record ShareRow(string Id, CaseRow Case, string Recipient, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string[] Named);

    private sealed class DisposableClients(Dictionary<string, HttpClient> clients) : IDisposable
    {
        public Dictionary<string, HttpClient> Clients => clients;

        public void Dispose()
        {
            foreach (var c in clients.Values)
            {
                c.Dispose();
            }
        }
    }

    private static string NewId(string engine) => engine == "sqlite" ? Guid.NewGuid().ToString().ToUpperInvariant() : Guid.NewGuid().ToString();

    private static async Task<double> ReadAsync(HttpClient http, string crn, List<int>? sizes = null)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync($"api/v1/cases/{crn}");
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        sizes?.Add(body.Length);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {crn} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        return ms;
    }

    private static async Task ExpectAsync(HttpClient http, string crn, HttpStatusCode status, string who)
    {
        using var response = await http.GetAsync($"api/v1/cases/{crn}");
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{who}: GET {crn} answered {(int)response.StatusCode}, expected {(int)status}");
        }
    }

    private static double Pct(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<List<CaseRow>> CasesAsync(BenchDatabase db, string engine)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Id", "Crn", "HolderOrganisationCode" FROM "Cases" ORDER BY "Crn" """;
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<CaseRow>();
        while (await reader.ReadAsync())
        {
            list.Add(new CaseRow(engine == "sqlite" ? reader.GetString(0) : reader.GetGuid(0).ToString(), reader.GetString(1), reader.GetString(2)));
        }

        return list;
    }

    private static async Task<List<string>> OrganisationsAsync(BenchDatabase db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Code" FROM "Organisations" ORDER BY "Code" """;
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    /// <summary>Multi-row INSERTs of 1,000 shares (and their named recipients), each batch in one statement per table.</summary>
    private static async Task InsertAsync(DbConnection connection, string engine, List<ShareRow> rows, DateTimeOffset now)
    {
        var pg = engine == "postgres";
        string Time(DateTimeOffset t) => pg ? $"'{t.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'" : t.UtcTicks.ToString(CultureInfo.InvariantCulture);
        string Bool(bool b) => pg ? (b ? "true" : "false") : (b ? "1" : "0");
        await AlertBench.ExecuteAsync(connection, "BEGIN");
        foreach (var batch in rows.Chunk(1_000))
        {
            var sql = new StringBuilder("""
                INSERT INTO "Shares" ("Id", "CaseId", "Crn", "SharerOrganisationCode", "SharedBy", "SharedByName", "SharedAt", "RecipientOrganisationCode",
                    "NamesPeople", "Type", "OtherType", "Purpose", "LawfulBasis", "Mode", "ExpiresAt", "Content", "Withheld", "WithheldReason", "RequestId",
                    "RevokedAt", "RevokedBy", "RevocationReason", "Version") VALUES
                """);
            var first = true;
            foreach (var s in batch)
            {
                var sharedAt = s.ExpiresAt < now ? s.ExpiresAt.AddDays(-30) : now.AddDays(-1);
                sql.Append(first ? "\n" : ",\n");
                first = false;
                sql.Append($"('{s.Id}', '{s.Case.Id}', '{s.Case.Crn}', '{s.Case.Holder}', 'bench-sharer', 'Bench Sharer', {Time(sharedAt)}, '{s.Recipient}', {Bool(s.Named.Length > 0)}, ")
                    .Append("'PreviousConvictions', NULL, 'MAPPA level 2 meeting: risk to known adults', 'LawEnforcementPurposes', 'ReadOnly', ")
                    .Append($"{Time(s.ExpiresAt)}, 'Previous convictions: 2019 s.47 assault, 2021 breach of a restraining order.', NULL, NULL, NULL, ")
                    .Append(s.RevokedAt is { } at ? $"{Time(at)}, 'bench-sharer', 'No longer needed'" : "NULL, NULL, NULL").Append(", 1)");
            }

            await AlertBench.ExecuteAsync(connection, sql.ToString());
            var named = batch.SelectMany(s => s.Named.Select(u => $"('{s.Id}', '{u}')")).ToList();
            if (named.Count > 0)
            {
                await AlertBench.ExecuteAsync(connection, $"""INSERT INTO "ShareRecipient" ("ShareId", "UserId") VALUES {string.Join(", ", named)}""");
            }
        }

        await AlertBench.ExecuteAsync(connection, "COMMIT");
    }

    /// <summary>
    /// The summary's visibility predicate as the recipient's read asks it (CaseAccess.ReadsCase: held, granted or
    /// shared, and the access limits), written out by hand, under EXPLAIN ANALYZE.
    /// </summary>
    private static async Task ExplainAsync(BenchDatabase db, CaseRow c, string recipient)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            EXPLAIN (ANALYZE, BUFFERS)
            SELECT c."Id" FROM "Cases" c
            WHERE c."Crn" = '{c.Crn}'
              AND (c."HolderOrganisationCode" = ANY (ARRAY['{recipient}'])
                OR EXISTS (SELECT 1 FROM "CaseAccessGrants" g WHERE g."CaseId" = c."Id" AND g."OrganisationCode" = ANY (ARRAY['{recipient}']) AND g."From" <= now() AND g."Until" > now())
                OR EXISTS (SELECT 1 FROM "Shares" s WHERE s."CaseId" = c."Id" AND s."RecipientOrganisationCode" = ANY (ARRAY['{recipient}']) AND s."RevokedAt" IS NULL AND s."ExpiresAt" > now()
                    AND (NOT s."NamesPeople" OR EXISTS (SELECT 1 FROM "ShareRecipient" r WHERE r."ShareId" = s."Id" AND r."UserId" = 'bench-recipient'))))
              AND (NOT c."HasAccessLimits" OR NOT EXISTS (SELECT 1 FROM "CaseAccessLimits" l WHERE l."RemovedAt" IS NULL AND l."CaseId" = c."Id" AND l."StaffCode" = 'bench-recipient'))
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Console.WriteLine("EXPLAIN (ANALYZE, BUFFERS) of the recipient's visibility predicate, written out by hand:");
        while (await reader.ReadAsync())
        {
            Console.WriteLine("  " + reader.GetString(0));
        }
    }
}
