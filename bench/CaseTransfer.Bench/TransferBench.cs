using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;

/// <summary>
/// Bulk transfer benchmark (issue 5): a database holding N cases in one organisation (seeded with the Api's
/// <c>seed --region</c> verb, or a kept one reused), the Api as a child process with its background worker and audit
/// integrator on, then POST /api/v1/transfers and poll until the job completes. Prints POST-to-completion time and
/// verifies the result in the database: every case accounted for, one audit entry and one outbox event per moved
/// case, the holdings invariant over every case, and every audit entry integrated into the ledger.
/// </summary>
internal static class TransferBench
{
    private const string From = "NPS-NW";
    private const string To = "CRC-CGM";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var engine = (Opt("--engine") ?? "sqlite").ToLowerInvariant();
        var cases = int.Parse(Opt("--cases") ?? "100000", CultureInfo.InvariantCulture);
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost(engine, apiDll, Opt("--keep") is { } keep ? Path.GetFullPath(keep) : null);
        // The worker logs each batch with the time each step took (api.log in the work directory).
        host.ExtraSettings["Logging:LogLevel:CaseTransfer.Application.Transfers"] = "Information";
        if (Opt("--batch") is { } batch)
        {
            host.ExtraSettings["Transfers:BatchSize"] = batch;
        }

        // --setting Key=Value (repeatable): passed to the Api, e.g. Transfers:Parallelism=1 for an A/B.
        for (var i = Array.IndexOf(args, "--setting"); i >= 0 && i + 1 < args.Length; i = Array.IndexOf(args, "--setting", i + 1))
        {
            var (key, value) = (args[i + 1].Split('=', 2)[0], args[i + 1].Split('=', 2)[1]);
            host.ExtraSettings[key] = value;
            Console.WriteLine($"setting: {key}={value}");
        }

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            host.Cancel();
        };
        Console.WriteLine($"CaseTransfer transfer bench: engine={engine} cases={cases:N0} batch={Opt("--batch") ?? "default"}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {host.WorkDir}");
        try
        {
            await host.StartDatabaseAsync();
            var db = new BenchDatabase(engine, host.ConnectionString);
            var existing = await db.TableExistsAsync("Cases") ? await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "Cases" """) : 0;
            if (existing < cases)
            {
                // Everyone in the North West: the NPS region there holds every case.
                Console.WriteLine($"Seeding {cases - existing:N0} cases in {From}'s areas (database holds {existing:N0})...");
                var watch = Stopwatch.StartNew();
                if (await host.RunApiVerbAsync(["seed", "--cases", (cases - existing).ToString(CultureInfo.InvariantCulture), "--region", From]) != 0)
                {
                    throw new InvalidOperationException("seed failed");
                }

                Console.WriteLine($"Seeded in {watch.Elapsed.TotalSeconds:N1} s.");
            }
            else if (engine == "postgres")
            {
                // The Api migrates SQLite at start-up but not PostgreSQL (the seed verb does): a kept database written
                // by older code would otherwise be measured without the newer migrations (the search bench does the
                // same). Without it, runs on /work/benchdata-fin3/tpg went without IX_CaseHoldings_OpenPerCase.
                var watch = Stopwatch.StartNew();
                if (await host.RunApiVerbAsync(["migrate"]) != 0)
                {
                    throw new InvalidOperationException("migrate failed");
                }

                Console.WriteLine($"Migrated in {watch.Elapsed.TotalSeconds:N1} s.");
            }

            // A kept database moves its cases back and forth: from whoever holds them now.
            var holders = await db.HoldersAsync();
            var (from, held) = holders.MaxBy(h => h.Count);
            var to = from == From ? To : From;
            Console.WriteLine($"holders: {string.Join(", ", holders.Select(h => $"{h.Code} {h.Count:N0}"))}; moving {from} -> {to}");
            if (held != cases)
            {
                Console.WriteLine($"note: {from} holds {held:N0} of the {cases:N0} cases");
            }

            var url = await host.StartApiAsync(auditEntries: true, consultations: true, integrate: true);
            using var http = host.Client(url, "NPS", "bench-manager", "manager");
            // Warm the paths the run takes (JIT, connection pools): a refused POST and an unknown job.
            await http.PostAsJsonAsync("api/v1/transfers", new JsonObject { ["fromOrganisation"] = from });
            await http.GetAsync($"api/v1/transfers/{Guid.CreateVersion7()}");
            var entriesBefore = await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "AuditEntries" """);
            var outboxBefore = await db.ScalarAsync<long>("""SELECT COALESCE(MAX("Sequence"), 0) FROM "OutboxMessages" """);
            var loadBefore = Load();

            var total = Stopwatch.StartNew();
            var response = await http.PostAsJsonAsync("api/v1/transfers", new JsonObject
            {
                ["fromOrganisation"] = from,
                ["toOrganisation"] = to,
                ["effectiveAt"] = DateTimeOffset.UtcNow.ToString("O"),
                ["reason"] = "Bench: reunification of offender management",
            });
            var accepted = total.Elapsed;
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"POST /api/v1/transfers answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            JsonObject job;
            while (true)
            {
                job = (await http.GetFromJsonAsync<JsonObject>($"api/v1/transfers/{id}"))!;
                var state = job["state"]!.GetValue<string>();
                if (state is "Completed" or "Failed")
                {
                    break;
                }

                if (total.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException($"the transfer is still {state} after 10 minutes: {job.ToJsonString()}");
                }

                await Task.Delay(50);
            }

            var elapsed = total.Elapsed.TotalSeconds;
            var loadAfter = Load();
            var counts = job["counts"]!;
            var moved = counts["moved"]!.GetValue<int>();
            var skipped = counts["skipped"]!.GetValue<int>();
            var timings = job["timings"]!;
            Console.WriteLine();
            Console.WriteLine($"=== Results: transfer, {engine}, {held:N0} cases, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ===");
            Console.WriteLine($"job {id}: {job["state"]}; total {counts["total"]}, moved {moved:N0}, skipped {skipped:N0}, pending {counts["pending"]}{(job["failure"] is { } f ? $"; failure: {f}" : "")}");
            Console.WriteLine($"POST answered 202 in {accepted.TotalSeconds:N2} s (lists every case as a pending item)");
            Console.WriteLine($"server: requested {timings["requestedAt"]}, started {timings["startedAt"]}, completed {timings["completedAt"]} ({timings["elapsedSeconds"]?.GetValue<double>():N2} s running)");
            var completed = job["state"]!.GetValue<string>() == "Completed";
            Console.WriteLine($"POST to {job["state"]} (client): {elapsed:N2} s = {held / elapsed:N0} cases/s; target < 10 s: {(completed && elapsed < 10 ? "met" : "MISSED")}");
            Console.WriteLine($"load average before: {loadBefore}; after: {loadAfter}");

            // Fresh statistics first: without them PostgreSQL joins the 100,000 items to the cases by nested loops.
            await host.AnalyseAsync();
            var failures = await VerifyAsync(db, id, from, to, held, moved, skipped, entriesBefore, outboxBefore);
            var ledger = Stopwatch.StartNew();
            long entries, leaves;
            do
            {
                await Task.Delay(250);
                entries = await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "AuditEntries" """);
                leaves = await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "AuditLeaves" """);
            }
            while (leaves < entries && ledger.Elapsed < TimeSpan.FromMinutes(5));

            Console.WriteLine($"ledger: {leaves:N0} of {entries:N0} entries integrated, {ledger.Elapsed.TotalSeconds:N1} s after completion{(leaves < entries ? " (INCOMPLETE)" : "")}");
            failures += leaves < entries ? 1 : 0;
            Console.WriteLine(failures == 0 ? "verification: all checks passed" : $"verification: {failures} check(s) FAILED");
            return failures == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
    }

    private static async Task<int> VerifyAsync(BenchDatabase db, Guid id, string from, string to, long held, int moved, int skipped, long entriesBefore, long outboxBefore)
    {
        var job = db.GuidLiteral(id);
        var checks = new List<(string What, long Actual, long Expected)>
        {
            ("items listed", await db.ScalarAsync<long>($"""SELECT COUNT(*) FROM "TransferJobItems" WHERE "JobId" = {job}"""), held),
            ("items moved or skipped", await db.ScalarAsync<long>($"""SELECT COUNT(*) FROM "TransferJobItems" WHERE "JobId" = {job} AND "Outcome" IN ('Moved', 'Skipped')"""), held),
            ("moved + skipped in the report", moved + skipped, held),
            ("moved cases now held by " + to, await db.ScalarAsync<long>($"""
                SELECT COUNT(*) FROM "TransferJobItems" i JOIN "Cases" c ON c."Id" = i."CaseId"
                WHERE i."JobId" = {job} AND i."Outcome" = 'Moved' AND c."HolderOrganisationCode" = '{to}'
                """), moved),
            ("audit entries of the job", await db.ScalarAsync<long>($"""SELECT COUNT(*) FROM "AuditEntries" WHERE "Action" = 'BulkTransfer' AND "Summary" LIKE '%{id}'"""), moved),
            ("cases with an audit entry of the job", await db.ScalarAsync<long>($"""SELECT COUNT(DISTINCT "Crn") FROM "AuditEntries" WHERE "Action" = 'BulkTransfer' AND "Summary" LIKE '%{id}'"""), moved),
            ("holder-changed events", await db.ScalarAsync<long>($"""SELECT COUNT(*) FROM "OutboxMessages" WHERE "EventType" = 'case-transfer.case.holder-changed' AND "Sequence" > {outboxBefore}"""), moved),
            ("cases with a holder-changed event", await db.ScalarAsync<long>($"""SELECT COUNT(DISTINCT "Crn") FROM "OutboxMessages" WHERE "EventType" = 'case-transfer.case.holder-changed' AND "Sequence" > {outboxBefore}"""), moved),
            ("cases without exactly one open holding", await db.ScalarAsync<long>("""
                SELECT COUNT(*) FROM (SELECT c."Id" FROM "Cases" c LEFT JOIN "CaseHoldings" h ON h."CaseId" = c."Id" AND h."To" IS NULL
                GROUP BY c."Id" HAVING COUNT(h."Id") <> 1) x
                """), 0),
            ("closed holdings with no holding starting at their end", await db.ScalarAsync<long>("""
                SELECT COUNT(*) FROM "CaseHoldings" h LEFT JOIN "CaseHoldings" n ON n."CaseId" = h."CaseId" AND n."From" = h."To"
                WHERE h."To" IS NOT NULL AND n."Id" IS NULL
                """), 0),
            ("holdings ending before they begin", await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "CaseHoldings" WHERE "To" < "From" """), 0),
            ("open holdings not of the case's holder", await db.ScalarAsync<long>("""
                SELECT COUNT(*) FROM "Cases" c JOIN "CaseHoldings" h ON h."CaseId" = c."Id" AND h."To" IS NULL
                WHERE h."OrganisationCode" <> c."HolderOrganisationCode"
                """), 0),
        };
        var entriesAfter = await db.ScalarAsync<long>("""SELECT COUNT(*) FROM "AuditEntries" """);
        Console.WriteLine($"audit entries written during the run: {entriesAfter - entriesBefore:N0} (the job's, plus the POST and each progress read)");
        var failures = 0;
        foreach (var (what, actual, expected) in checks)
        {
            var ok = actual == expected;
            failures += ok ? 0 : 1;
            Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}: {actual:N0}{(ok ? "" : $" (expected {expected:N0})")}");
        }

        return failures;
    }

    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

/// <summary>Plain ADO.NET reads of the bench database, for checking what the service wrote.</summary>
internal sealed class BenchDatabase(string engine, string connectionString)
{
    public string GuidLiteral(Guid id) => engine == "sqlite" ? $"'{id.ToString().ToUpperInvariant()}'" : $"'{id}'";

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = engine == "sqlite"
            ? new SqliteConnection(connectionString + ";Pooling=False")
            : new NpgsqlConnection(connectionString + ";Pooling=False;Command Timeout=600");
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Never creates a SQLite file: the Api's migration must be the first to open it.</summary>
    public async Task<bool> TableExistsAsync(string table) =>
        (engine != "sqlite" || File.Exists(new SqliteConnectionStringBuilder(connectionString).DataSource)) && await ScalarAsync<long>(engine == "sqlite"
        ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
        : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '{table}'") > 0;

    public async Task<List<(string Code, long Count)>> HoldersAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "HolderOrganisationCode", COUNT(*) FROM "Cases" GROUP BY "HolderOrganisationCode" ORDER BY 2 DESC""";
        await using var reader = await command.ExecuteReaderAsync();
        var holders = new List<(string, long)>();
        while (await reader.ReadAsync())
        {
            holders.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return holders;
    }
}

/// <summary>Where the Release build of the Api is, next to the solution this bench lives in.</summary>
internal static class BenchPaths
{
    public static string? ReleaseApiDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaseTransfer.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "CaseTransfer.Api", "bin", "Release", "net10.0", "CaseTransfer.Api.dll");
                return File.Exists(dll) ? dll : null;
            }
        }

        return null;
    }
}
