using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CaseTransfer.Application.Alerts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// Alert job benchmark (issue 13): N cases seeded in bulk with set-based SQL (generate_series on PostgreSQL, a recursive
/// CTE on SQLite; a few percent meet a condition: 2% quiet, 1% past their order's end, 0.25% of requirements not
/// started, 0.1% required to escalate), then alert passes run in this process as the background job runs them:
/// a first full pass (raises every alert), a second full pass (nothing changed: what a periodic pass costs), an
/// incremental pass with nothing changed, and one after 1,000 cases were written (clears their quiet alerts). Prints
/// each pass's time and the process's peak working set and managed heap, so a run at 250k and one at 1M show whether
/// memory grows with cases. Each run is its own process.
/// </summary>
internal static class AlertBench
{
    private const int Chunk = 250_000;

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var engine = (Opt("--engine") ?? "sqlite").ToLowerInvariant();
        var cases = int.Parse(Opt("--cases") ?? "250000", CultureInfo.InvariantCulture);
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost(engine, apiDll, Opt("--keep") is { } keep ? Path.GetFullPath(keep) : null);
        host.ExtraSettings["Alerts:IntervalSeconds"] = "0";
        if (Opt("--batch") is { } batch)
        {
            host.ExtraSettings["Alerts:BatchSize"] = batch;
        }

        Console.WriteLine($"CaseTransfer alert bench: engine={engine} cases={cases:N0} batch={Opt("--batch") ?? "default"}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {host.WorkDir}");
        Console.WriteLine($"load average at start: {TransferBench.Load()}");
        try
        {
            await host.PrepareDatabaseAsync();
            var seed = Stopwatch.StartNew();
            var now = DateTimeOffset.UtcNow;
            await using (var connection = Open(engine, host.ConnectionString))
            {
                for (var start = 1; start <= cases; start += Chunk)
                {
                    var end = Math.Min(cases, start + Chunk - 1);
                    await SeedAsync(connection, engine, start, end, now);
                    Console.WriteLine($"  seeded {end:N0} cases ({seed.Elapsed.TotalSeconds:N1} s)");
                }

                // The hundred cases the seed verb made were written a moment ago: an hour back, so that an idle
                // incremental pass finds nothing changed.
                await ExecuteAsync(connection, engine == "postgres"
                    ? """UPDATE "Cases" SET "LastAuditedWriteAt" = "LastAuditedWriteAt" - interval '1 hour' WHERE "Crn" NOT LIKE 'Q%' AND "Crn" NOT LIKE 'R%'"""
                    : $"""UPDATE "Cases" SET "LastAuditedWriteAt" = "LastAuditedWriteAt" - {TimeSpan.TicksPerHour} WHERE "Crn" NOT LIKE 'Q%' AND "Crn" NOT LIKE 'R%'""");
                await ExecuteAsync(connection, engine == "postgres" ? "VACUUM ANALYZE" : "ANALYZE");
            }

            Console.WriteLine($"Seeded {cases:N0} cases in bulk in {seed.Elapsed.TotalSeconds:N1} s (load {TransferBench.Load()}).");

            await using var app = host.InProcessApp();
            Report("before passes");
            var first = await PassAsync(app, AlertPassKind.Full, "full pass 1 (raises every alert)");
            var second = await PassAsync(app, AlertPassKind.Full, "full pass 2 (nothing changed)");
            var idle = await PassAsync(app, AlertPassKind.Incremental, "incremental pass (nothing changed)");
            await using (var connection = Open(engine, host.ConnectionString))
            {
                // 1,000 of the quiet cases written now (what a request's audited write does to the stamp).
                var stamp = DateTimeOffset.UtcNow;
                await ExecuteAsync(connection, engine == "postgres"
                    ? $"""UPDATE "Cases" SET "LastAuditedWriteAt" = now() WHERE "Id" IN (SELECT "Id" FROM "Cases" WHERE "Crn" LIKE 'Q%' AND "LastAuditedWriteAt" < now() - interval '28 days' LIMIT 1000)"""
                    : $"""UPDATE "Cases" SET "LastAuditedWriteAt" = {stamp.UtcTicks} WHERE "Id" IN (SELECT "Id" FROM "Cases" WHERE "Crn" LIKE 'Q%' AND "LastAuditedWriteAt" < {stamp.AddDays(-28).UtcTicks} LIMIT 1000)""");
            }

            var touched = await PassAsync(app, AlertPassKind.Incremental, "incremental pass (1,000 cases written)");
            var again = await PassAsync(app, AlertPassKind.Full, "full pass 3 (after those writes)");
            Console.WriteLine();
            Console.WriteLine($"RESULT engine={engine} cases={cases} full1_ms={first.Elapsed.TotalMilliseconds:F0} raised={first.Raised} full2_ms={second.Elapsed.TotalMilliseconds:F0} " +
                $"incremental_idle_ms={idle.Elapsed.TotalMilliseconds:F0} incremental_1000_ms={touched.Elapsed.TotalMilliseconds:F0} cleared={touched.Cleared} full3_ms={again.Elapsed.TotalMilliseconds:F0} " +
                $"peak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} rss_anon=\"{Status("RssAnon")}\" rss_file=\"{Status("RssFile")}\" live_heap_mb={GC.GetTotalMemory(true) / 1048576.0:F0} load=\"{TransferBench.Load()}\"");
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
    }

    private static async Task<AlertPassResult> PassAsync(Microsoft.AspNetCore.Builder.WebApplication app, AlertPassKind kind, string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AlertJob>().RunAsync(kind, CancellationToken.None);
        Console.WriteLine($"{name}: {result.Elapsed.TotalMilliseconds:N0} ms; ran={result.Ran} full={result.Full} raised={result.Raised:N0} cleared={result.Cleared:N0} changed cases={result.CasesChanged:N0}");
        Report(name);
        return result;
    }

    private static void Report(string when)
    {
        // After the pass's timing: a full collection, so the heap figure is what is still alive, not garbage a
        // collection has not come for yet.
        var live = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine($"  memory {when}: working set {process.WorkingSet64 / 1048576.0:N0} MB, peak {process.PeakWorkingSet64 / 1048576.0:N0} MB, {Status("RssAnon")} anonymous, {Status("RssFile")} file-backed, live managed heap {live / 1048576.0:N0} MB (GC heap {gc.HeapSizeBytes / 1048576.0:N0} MB); load {TransferBench.Load()}");
    }

    /// <summary>
    /// A line of /proc/self/status in MB: the working set split into anonymous memory (the process's own: heaps,
    /// buffers) and file-backed pages (SQLite maps its database file, PRAGMA mmap_size, so pages it read count here).
    /// </summary>
    private static string Status(string field)
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal)) : null;
        return line is null ? "n/a" : $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0:N0} MB";
    }

    private static DbConnection Open(string engine, string connectionString)
    {
        DbConnection connection = engine == "postgres"
            ? new NpgsqlConnection(connectionString + ";Pooling=False;Command Timeout=1200")
            : new SqliteConnection(connectionString + ";Pooling=False");
        connection.Open();
        return connection;
    }

    internal static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 1200;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Cases start..end (CRNs Q000001 on, R after a million), in Greater Manchester, each with a deterministic id; one in
    /// four has a requirement. What meets a condition: every 50th case is quiet (last written 40 days ago, the rest 1 hour
    /// to 20 days ago), every 100th is past its order's expected end, every 400th requirement has not started, every
    /// 1,000th is held by CRC-CGM and required to escalate since 2 hours ago.
    /// </summary>
    private static async Task SeedAsync(DbConnection connection, string engine, int start, int end, DateTimeOffset now)
    {
        if (engine == "postgres")
        {
            await ExecuteAsync(connection, $"""
                INSERT INTO "Cases" ("Id", "Crn", "FirstName", "LastName", "DateOfBirth", "AreaCode", "HolderOrganisationCode", "HeldSince", "CreatedAt",
                    "UpdatedAt", "Version", "ExpectedEndDate", "SentenceDate", "StartDate", "SentenceType", "HasAccessLimits", "LastAuditedWriteAt",
                    "EscalationRequiredSince", "EscalationRequiredOf")
                SELECT (lpad(to_hex(i), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
                    chr(81 + i / 1000000) || lpad((i % 1000000)::text, 6, '0'), 'Bench', 'Case', date '1980-01-01' + (i % 9000), 'GMAN',
                    CASE WHEN i % 1000 = 0 THEN 'CRC-CGM' ELSE 'NPS-NW' END, now(), now(), now(), 1,
                    CASE WHEN i % 100 = 0 THEN date '2026-01-01' ELSE date '2029-01-01' END, date '2025-01-01', date '2025-01-01', 'CommunityOrder', false,
                    CASE WHEN i % 50 = 0 THEN now() - interval '40 days' ELSE now() - interval '1 hour' - (i % 20) * interval '1 day' END,
                    CASE WHEN i % 1000 = 0 THEN now() - interval '2 hours' END, CASE WHEN i % 1000 = 0 THEN 'CRC-CGM' END
                FROM generate_series({start}, {end}) AS i
                """);
            await ExecuteAsync(connection, $"""
                INSERT INTO "Requirement" ("Id", "CaseId", "Type", "StartDate", "ExpectedEndDate", "StartedOn")
                SELECT (lpad(to_hex(i), 8, '0') || '-0000-7000-9000-' || lpad(to_hex(i), 12, '0'))::uuid,
                    (lpad(to_hex(i), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'UnpaidWork', date '2026-06-01', date '2027-06-01',
                    CASE WHEN i % 1600 = 0 THEN NULL ELSE date '2026-06-02' END
                FROM generate_series({start}, {end}) AS i WHERE i % 4 = 0
                """);
            return;
        }

        long Ticks(TimeSpan ago) => (now - ago).UtcTicks;
        await ExecuteAsync(connection, "BEGIN");
        await ExecuteAsync(connection, $"""
            WITH RECURSIVE s(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM s WHERE i < {end})
            INSERT INTO "Cases" ("Id", "Crn", "FirstName", "LastName", "DateOfBirth", "AreaCode", "HolderOrganisationCode", "HeldSince", "CreatedAt",
                "UpdatedAt", "Version", "ExpectedEndDate", "SentenceDate", "StartDate", "SentenceType", "HasAccessLimits", "LastAuditedWriteAt",
                "EscalationRequiredSince", "EscalationRequiredOf")
            SELECT printf('%08X-0000-7000-8000-%012X', i, i), char(81 + i / 1000000) || printf('%06d', i % 1000000), 'Bench', 'Case',
                date('1980-01-01', '+' || (i % 9000) || ' days'), 'GMAN', CASE WHEN i % 1000 = 0 THEN 'CRC-CGM' ELSE 'NPS-NW' END,
                {now.UtcTicks}, {now.UtcTicks}, {now.UtcTicks}, 1, CASE WHEN i % 100 = 0 THEN '2026-01-01' ELSE '2029-01-01' END, '2025-01-01', '2025-01-01',
                'CommunityOrder', 0,
                CASE WHEN i % 50 = 0 THEN {Ticks(TimeSpan.FromDays(40))} ELSE {Ticks(TimeSpan.FromHours(1))} - (i % 20) * {TimeSpan.TicksPerDay} END,
                CASE WHEN i % 1000 = 0 THEN {Ticks(TimeSpan.FromHours(2))} END, CASE WHEN i % 1000 = 0 THEN 'CRC-CGM' END
            FROM s
            """);
        await ExecuteAsync(connection, $"""
            WITH RECURSIVE s(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM s WHERE i < {end})
            INSERT INTO "Requirement" ("Id", "CaseId", "Type", "StartDate", "ExpectedEndDate", "StartedOn")
            SELECT printf('%08X-0000-7000-9000-%012X', i, i), printf('%08X-0000-7000-8000-%012X', i, i), 'UnpaidWork', '2026-06-01', '2027-06-01',
                CASE WHEN i % 1600 = 0 THEN NULL ELSE '2026-06-02' END
            FROM s WHERE i % 4 = 0
            """);
        await ExecuteAsync(connection, "COMMIT");
    }
}
