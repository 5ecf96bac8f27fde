using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Auth;
using CaseTransfer.Api.Hosting;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Infrastructure.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

/// <summary>
/// Audit ledger benchmarks (issue 4). <c>audit overhead</c>: what writing audit entries costs commands (16 writers) and
/// consultation entries cost reads (8 readers), over HTTP against the Api with auditing on and off (Benchmark
/// environment only). <c>audit ledger</c>: a 1,000,000-entry log: build, integrate, verify, serve proofs.
/// </summary>
internal static class AuditBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => int.Parse(Opt(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        if (args.Length < 2 || args[1] is not ("overhead" or "ledger"))
        {
            Console.Error.WriteLine("usage: audit overhead [--engine postgres|sqlite] [--writers 16] [--writes 2400] [--readers 8] [--reads 4000] [--rounds 4] [--paused] [--api PATH]");
            Console.Error.WriteLine("       audit ledger [--entries 1000000] [--batch 5000] [--proofs 500] [--verifies 3] [--api PATH]");
            return 2;
        }

        var engine = (Opt("--engine") ?? "postgres").ToLowerInvariant();
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost(engine, apiDll);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            host.Cancel();
        };
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; engine {engine}; work dir {host.WorkDir}");
        try
        {
            return args[1] == "overhead"
                ? await OverheadAsync(host, Int("--writers", 16), Int("--writes", 2400), Int("--readers", 8), Int("--reads", 4000), Int("--rounds", 4), args.Contains("--paused"))
                : await LedgerAsync(host, Int("--entries", 1_000_000), Int("--batch", 5000), Int("--proofs", 500), Int("--verifies", 3));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
    }


    // ---------------------------------------------------------------- overhead

    private sealed record Run(string Workload, string Mode, int Round, double[] SortedMs, double Seconds, int Errors)
    {
        public double Throughput => SortedMs.Length / Seconds;
    }

    /// <summary>The 1-minute load average, recorded with every phase: the machine is shared.</summary>
    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static async Task<int> OverheadAsync(BenchHost host, int writers, int writes, int readers, int reads, int rounds, bool paused)
    {
        // Rounds alternate ABBA and BAAB (on, off, off, on; then off, on, on, off; ...): drift of the shared machine
        // and growth of the database fall on both modes alike within every round, and each round gives its own
        // estimate, so the summary can show the median and the spread of the estimates rather than one pooled number.
        var modes = paused ? new[] { "on", "off", "paused" } : new[] { "on", "off" };
        Console.WriteLine($"audit overhead: writers={writers} writes/phase={writes} readers={readers} reads/phase={reads} rounds={rounds} modes={string.Join(",", modes)} (rounds alternate ABBA / BAAB)");
        await host.PrepareDatabaseAsync();

        // Cases the bench writes to: one per writer (a writer's requests on its case are sequential, so no
        // version conflicts), and a pool to read. Created once, with auditing on, before any timing.
        var setup = await host.StartApiAsync(auditEntries: true, consultations: true);
        var crns = new List<string>();
        using (var http = host.Client(setup, "NPS-NW", "bench-writer", Roles.Allocator, Roles.CaseManager))
        {
            for (var i = 0; i < Math.Max(writers, 200); i++)
            {
                crns.Add(await CreateCaseAsync(http, host.NextCrn()));
            }
        }

        await host.StopApiAsync();
        var writeCases = crns.Take(writers).ToArray();
        var readCases = crns.ToArray();

        var runs = new List<Run>();
        var order = Enumerable.Range(0, rounds).SelectMany(r =>
        {
            var ab = r % 2 == 0 ? modes : [.. modes.Reverse()];
            return ab.Concat(ab.Reverse()).Select(m => (Mode: m, Round: r));
        }).ToList();
        var phase = 0;
        foreach (var (mode, round) in order)
        {
            phase++;
            var audit = mode != "off";
            var url = await host.StartApiAsync(auditEntries: audit, consultations: audit, integrate: mode == "on");
            using var http = host.Client(url, "NPS-NW", "bench-writer", Roles.Allocator, Roles.CaseManager);

            // Warm up every path (JIT, pools) before timing.
            await LoadAsync(http, writers, 10 * writers, (c, i, w) => RiskAsync(c, writeCases[w]));
            await LoadAsync(http, writers, 5 * writers, (c, i, w) => CreateAsync(c, host.NextCrn()));
            await LoadAsync(http, readers, 20 * readers, (c, i, w) => ReadAsync(c, readCases[i % readCases.Length]));

            runs.Add(await Timed("risk assessment POST", mode, round, http, writers, writes, (c, i, w) => RiskAsync(c, writeCases[w])));
            runs.Add(await Timed("case creation POST", mode, round, http, writers, writes, (c, i, w) => CreateAsync(c, host.NextCrn())));
            runs.Add(await Timed("case GET", mode, round, http, readers, reads, (c, i, w) => ReadAsync(c, readCases[i % readCases.Length])));
            foreach (var r in runs.TakeLast(3))
            {
                Console.WriteLine($"  round {round + 1} phase {phase} audit {mode,-6}: {r.Workload,-22} n={r.SortedMs.Length} p50 {Pct(r.SortedMs, 50):F1} ms p95 {Pct(r.SortedMs, 95):F1} ms {r.Throughput:N0} req/s errors {r.Errors}; load {Load()}");
            }

            await host.StopApiAsync();
        }

        (double P50, double P95, double Tp) Stats(IEnumerable<Run> rs)
        {
            var list = rs.ToList();
            var all = list.SelectMany(r => r.SortedMs).Order().ToArray();
            return (Pct(all, 50), Pct(all, 95), list.Sum(r => r.SortedMs.Length) / list.Sum(r => r.Seconds));
        }

        static string Spread(List<double> xs)
        {
            var sorted = xs.Order().ToArray();
            var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            return $"{median:+0.0;-0.0} % [{sorted[0]:+0.0;-0.0} .. {sorted[^1]:+0.0;-0.0}]";
        }

        Console.WriteLine();
        Console.WriteLine($"=== Results: audit overhead, {host.Engine}, {DateTime.UtcNow:yyyy-MM-dd}, {rounds} rounds, load at end {Load()} ===");
        Console.WriteLine("Per round: each mode's two phases pooled; change vs off in p50 / p95 latency and throughput.");
        foreach (var workload in runs.Select(r => r.Workload).Distinct())
        {
            var conc = workload == "case GET" ? readers : writers;
            foreach (var mode in modes.Where(m => m != "off"))
            {
                var p50 = new List<double>();
                var p95 = new List<double>();
                var tp = new List<double>();
                for (var round = 0; round < rounds; round++)
                {
                    var off = Stats(runs.Where(r => r.Workload == workload && r.Mode == "off" && r.Round == round));
                    var on = Stats(runs.Where(r => r.Workload == workload && r.Mode == mode && r.Round == round));
                    p50.Add(100 * ((on.P50 / off.P50) - 1));
                    p95.Add(100 * ((on.P95 / off.P95) - 1));
                    tp.Add(100 * ((on.Tp / off.Tp) - 1));
                    Console.WriteLine($"{workload,-22} conc {conc,2} round {round + 1}: off p50 {off.P50,6:F1} p95 {off.P95,6:F1} ms {off.Tp,6:N0} req/s | {mode} p50 {on.P50,6:F1} p95 {on.P95,6:F1} ms {on.Tp,6:N0} req/s | "
                        + $"{100 * ((on.P50 / off.P50) - 1):+0.0;-0.0} % / {100 * ((on.P95 / off.P95) - 1):+0.0;-0.0} % / {100 * ((on.Tp / off.Tp) - 1):+0.0;-0.0} %");
                }

                var pooledOff = Stats(runs.Where(r => r.Workload == workload && r.Mode == "off"));
                var pooledOn = Stats(runs.Where(r => r.Workload == workload && r.Mode == mode));
                Console.WriteLine($"{workload,-22} {mode} vs off over {rounds} rounds, median [min .. max]: p50 {Spread(p50)}; p95 {Spread(p95)}; throughput {Spread(tp)}");
                Console.WriteLine($"{workload,-22} all phases pooled: off p50 {pooledOff.P50:F1} p95 {pooledOff.P95:F1} ms {pooledOff.Tp:N0} req/s; {mode} p50 {pooledOn.P50:F1} p95 {pooledOn.P95:F1} ms {pooledOn.Tp:N0} req/s");
            }
        }

        var errors = runs.Sum(r => r.Errors);
        Console.WriteLine($"request errors: {errors}");
        return errors == 0 ? 0 : 1;
    }

    private static async Task<Run> Timed(string workload, string mode, int round, HttpClient http, int concurrency, int count, Func<HttpClient, int, int, Task<bool>> request)
    {
        var (ms, seconds, errors) = await LoadAsync(http, concurrency, count, request);
        return new Run(workload, mode, round, [.. ms.Order()], seconds, errors);
    }

    /// <summary>Runs <paramref name="count"/> requests from <paramref name="concurrency"/> clients, each taking the next number.</summary>
    private static async Task<(List<double> Ms, double Seconds, int Errors)> LoadAsync(HttpClient http, int concurrency, int count, Func<HttpClient, int, int, Task<bool>> request)
    {
        var next = -1;
        var errors = 0;
        var all = new List<double>(count);
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                if (!await request(http, i, w))
                {
                    Interlocked.Increment(ref errors);
                }

                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            lock (all)
            {
                all.AddRange(mine);
            }
        })));
        return (all, total.Elapsed.TotalSeconds, errors);
    }

    private static async Task<bool> RiskAsync(HttpClient http, string crn)
    {
        using var r = await http.PostAsJsonAsync($"api/v1/cases/{crn}/risk-assessments", Assessment());
        return await Ok(r, HttpStatusCode.Created);
    }

    private static async Task<bool> CreateAsync(HttpClient http, string crn)
    {
        using var r = await http.PostAsJsonAsync("api/v1/cases", NewCase(crn));
        return await Ok(r, HttpStatusCode.Created);
    }

    private static async Task<bool> ReadAsync(HttpClient http, string crn)
    {
        using var r = await http.GetAsync($"api/v1/cases/{crn}");
        return await Ok(r, HttpStatusCode.OK);
    }

    private static int reportedErrors;

    private static async Task<bool> Ok(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        if (r.StatusCode == expected)
        {
            return true;
        }

        if (Interlocked.Increment(ref reportedErrors) <= 5)
        {
            Console.Error.WriteLine($"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} -> {(int)r.StatusCode}: {body}");
        }

        return false;
    }

    private static async Task<string> CreateCaseAsync(HttpClient http, string crn) =>
        await CreateAsync(http, crn) ? crn : throw new InvalidOperationException($"could not create case {crn}");

    // Bodies as the HTTP tests send them (tests/CaseTransfer.Api.Tests/Infrastructure/TestData.cs).
    private static JsonObject NewCase(string crn) => new()
    {
        ["crn"] = crn,
        ["firstName"] = "John",
        ["middleNames"] = null,
        ["lastName"] = "Smith",
        ["dateOfBirth"] = "1985-03-14",
        ["pncId"] = "2012/0052494Q",
        ["nomsNumber"] = "A1234BC",
        ["areaCode"] = "GMAN",
        ["sentence"] = new JsonObject
        {
            ["type"] = "DeterminateCustody",
            ["sentenceDate"] = "2025-01-10",
            ["startDate"] = "2025-01-10",
            ["expectedEndDate"] = "2030-01-10",
            ["releaseDate"] = "2029-06-01",
            ["licenceEndDate"] = "2030-01-10",
        },
        ["requirements"] = new JsonArray(),
    };

    private static JsonObject Assessment() => new()
    {
        ["assessedOn"] = "2025-02-01",
        ["riskOfSeriousHarm"] = "Medium",
        ["rsrPercent"] = 3.2,
        ["ogrsPercent"] = 41,
        ["mappaCategory"] = "None",
        ["mappaLevel"] = "None",
        ["tier"] = "B2",
        ["flags"] = new JsonArray("DomesticAbuse"),
    };

    private static double Pct(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    // ---------------------------------------------------------------- ledger

    private static async Task<int> LedgerAsync(BenchHost host, int entries, int batch, int proofs, int verifies)
    {
        Console.WriteLine($"audit ledger: entries={entries:N0} integrator batch={batch:N0} proofs={proofs} verifies={verifies}; load {Load()}");
        await host.PrepareDatabaseAsync();
        await using var app = host.InProcessApp();

        // 1. Synthetic entries, set-based (COPY on PostgreSQL), in the shape the pipeline writes.
        var watch = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        const int Chunk = 50_000;
        for (var done = 0; done < entries; done += Chunk)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
            var rows = new List<AuditEntry>(Chunk);
            for (var i = done; i < Math.Min(entries, done + Chunk); i++)
            {
                var at = start.AddTicks(i * 10L);
                rows.Add(new AuditEntry(
                    Guid.CreateVersion7(at), at, i % 3 == 0 ? AuditOperation.Collection : AuditOperation.Consultation,
                    i % 3 == 0 ? "RecordRiskAssessment" : "GetCaseSummary", $"bench-user-{i % 50}", "Bench User", "NPS-NW", "bench",
                    $"{i:x32}", Crn.Parse($"B{i % 1_000_000:D6}"), i % 3 == 0 ? "risk-assessment" : "case", Guid.CreateVersion7(at).ToString(),
                    i % 7, i % 3 == 0 ? "risk assessment recorded" : null));
            }

            await BulkInsert.InsertAsync(db, rows);
        }

        var insertSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"inserted {entries:N0} entries in {insertSeconds:N1} s ({entries / insertSeconds:N0}/s)");

        // 2. Integrate with the service's own integrator, batch by batch, as the background service does.
        watch.Restart();
        long integrated = 0;
        var lastReport = 0L;
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var n = await scope.ServiceProvider.GetRequiredService<LedgerIntegrator>().IntegrateAsync(batch, CancellationToken.None);
            integrated += n;
            if (integrated - lastReport >= 100_000 || n == 0)
            {
                Console.WriteLine($"  integrated {integrated:N0} in {watch.Elapsed.TotalSeconds:N1} s ({integrated / watch.Elapsed.TotalSeconds:N0}/s)");
                lastReport = integrated;
            }

            if (n == 0)
            {
                break;
            }
        }

        var integrateSeconds = watch.Elapsed.TotalSeconds;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var checkpoint = await scope.ServiceProvider.GetRequiredService<LedgerIntegrator>().CheckpointAsync(CancellationToken.None);
            Console.WriteLine($"checkpoint signed at tree size {checkpoint?.TreeSize:N0}");
        }

        await host.AnalyseAsync();

        // 3. Verify in-process (what POST /api/v1/audit/verify and the `verify` verb run), several times.
        var verifySeconds = new List<double>();
        var verifyCpu = new List<(double Verifier, double Postgres)>();
        for (var i = 0; i < verifies; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var verifier = scope.ServiceProvider.GetRequiredService<LedgerVerifier>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var pgCpu = host.PostgresCpu();
            watch.Restart();
            var report = await verifier.VerifyAsync([], CancellationToken.None);
            verifySeconds.Add(watch.Elapsed.TotalSeconds);
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            pgCpu = host.PostgresCpu() - pgCpu;
            verifyCpu.Add((cpu.TotalSeconds, pgCpu.TotalSeconds));
            Console.WriteLine($"verify #{i + 1}: {watch.Elapsed.TotalSeconds:N2} s wall, CPU {cpu.TotalSeconds:N2} s verifier + {pgCpu.TotalSeconds:N2} s PostgreSQL, intact={report.Intact}, size={report.TreeSize:N0}, checkpoints checked={report.CheckpointsChecked}, problems={report.Problems.Count}; load {Load()}");
            if (!report.Intact)
            {
                Console.WriteLine("  first problem: " + report.Problems[0]);
            }
        }

        // Where verification's time goes: reading every entry through EF alone, and hashing them alone (one thread).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>();
            var read = TimeSpan.Zero;
            var hash = TimeSpan.Zero;
            long last = 0;
            while (true)
            {
                var low = last;
                var t = Stopwatch.GetTimestamp();
                var rows = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > low).OrderBy(e => e.Sequence).Take(50_000).ToListAsync();
                read += Stopwatch.GetElapsedTime(t);
                if (rows.Count == 0)
                {
                    break;
                }

                last = rows[^1].Sequence;
                t = Stopwatch.GetTimestamp();
                foreach (var e in rows)
                {
                    AuditEntryEncoding.LeafHash(e);
                }

                hash += Stopwatch.GetElapsedTime(t);
            }

            Console.WriteLine($"breakdown: reading all entries through EF (pages of 50,000): {read.TotalSeconds:N2} s; leaf-hashing them on one thread: {hash.TotalSeconds:N2} s");
        }

        // 4. Proofs over HTTP against the Api child process.
        var url = await host.StartApiAsync(auditEntries: true, consultations: true);
        using var http = host.Client(url, "NPS", "bench-auditor", Roles.Auditor);
        var random = new Random(20261127);
        async Task<double[]> TimeAsync(Func<string> path)
        {
            for (var i = 0; i < 50; i++)
            {
                using var w = await http.GetAsync(path());
                w.EnsureSuccessStatusCode();
            }

            var ms = new List<double>();
            for (var i = 0; i < proofs; i++)
            {
                var p = path();
                var t = Stopwatch.GetTimestamp();
                using var r = await http.GetAsync(p);
                await r.Content.ReadAsByteArrayAsync();
                ms.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (!r.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{p} -> {(int)r.StatusCode}");
                }
            }

            return [.. ms.Order()];
        }

        // Baseline: an authenticated endpoint that reads no database, for what HTTP, auth and the pipeline cost alone.
        var baseline = await TimeAsync(() => "api/v1/audit/public-key");
        var inclusion = await TimeAsync(() => $"api/v1/audit/entries/{random.NextInt64(entries)}/proof");
        var consistency = await TimeAsync(() =>
        {
            var from = random.NextInt64(1, entries);
            return $"api/v1/audit/consistency?from={from}&to={entries}";
        });

        Console.WriteLine();
        Console.WriteLine($"=== Results: audit ledger, {host.Engine}, {entries:N0} entries, {DateTime.UtcNow:yyyy-MM-dd}, load at end {Load()} ===");
        Console.WriteLine($"insert entries (BulkInsert/COPY): {insertSeconds:N1} s");
        Console.WriteLine($"integrate (LedgerIntegrator, batch {batch:N0}): {integrateSeconds:N1} s ({entries / integrateSeconds:N0} entries/s)");
        var verifyMedian = verifySeconds.Order().ElementAt(verifySeconds.Count / 2);
        Console.WriteLine($"verify (LedgerVerifier.VerifyAsync in-process): {string.Join(" / ", verifySeconds.Select(s => s.ToString("N2", CultureInfo.InvariantCulture)))} s, median {verifyMedian:N2} s; target < 5 s: {(verifyMedian < 5 ? "met" : "MISSED")}");
        var cpuMedian = verifyCpu.OrderBy(c => c.Verifier + c.Postgres).ElementAt(verifyCpu.Count / 2);
        Console.WriteLine($"verify CPU (median run): {cpuMedian.Verifier:N2} s verifier process + {cpuMedian.Postgres:N2} s PostgreSQL = {cpuMedian.Verifier + cpuMedian.Postgres:N2} CPU-s; on {Environment.ProcessorCount} otherwise idle cores at least {(cpuMedian.Verifier + cpuMedian.Postgres) / Environment.ProcessorCount:N2} s wall (the verifier hashes on every core)");
        Console.WriteLine($"baseline GET /api/v1/audit/public-key (no database), sequential, n={proofs}: p50 {Pct(baseline, 50):F2} ms p95 {Pct(baseline, 95):F2} ms max {baseline[^1]:F2} ms");
        Console.WriteLine($"inclusion proof over HTTP, sequential, n={proofs}: p50 {Pct(inclusion, 50):F2} ms p95 {Pct(inclusion, 95):F2} ms p99 {Pct(inclusion, 99):F2} ms max {inclusion[^1]:F2} ms; target < 10 ms (p95): {(Pct(inclusion, 95) < 10 ? "met" : "MISSED")}");
        Console.WriteLine($"consistency proof over HTTP, sequential, n={proofs}: p50 {Pct(consistency, 50):F2} ms p95 {Pct(consistency, 95):F2} ms p99 {Pct(consistency, 99):F2} ms max {consistency[^1]:F2} ms; target < 10 ms (p95): {(Pct(consistency, 95) < 10 ? "met" : "MISSED")}");
        return 0;
    }
}

/// <summary>
/// A throwaway database and the Api as a child process. The PostgreSQL and child-process handling follows
/// SearchBench in Program.cs (copied rather than shared so the search bench can change independently).
/// </summary>
internal sealed class BenchHost(string engine, string apiDll, string? keepDir = null) : IAsyncDisposable
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";
    private readonly CancellationTokenSource cts = new();
    private readonly string signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string auditSeed = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private Process? api;
    private readonly List<Process> baselineServers = [];
    private StreamWriter? apiLog;
    private string? pgData;
    private int pgPort;
    private int crnCounter;

    public string Engine => engine;

    /// <summary>The running Api child process's id (for reading its memory from /proc), or null.</summary>
    public int? ApiProcessId => api is { HasExited: false } ? api.Id : null;

    /// <summary>A kept directory (<c>--keep</c>) is reused by the next run and never deleted; otherwise a fresh one under /tmp.</summary>
    public string WorkDir { get; } = keepDir ?? Path.Combine(Path.GetTempPath(), "ctaudit-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>More settings for the Api (verbs and the service), e.g. <c>Transfers:BatchSize</c>.</summary>
    public Dictionary<string, string> ExtraSettings { get; } = [];

    public string ConnectionString => engine == "sqlite"
        ? $"Data Source={Path.Combine(WorkDir, "cases.db")}"
        : $"Host=127.0.0.1;Port={pgPort};Username=app;Database=postgres;Pooling=true;Maximum Pool Size=40";

    public void Cancel() => cts.Cancel();

    /// <summary>
    /// CPU time used so far by this cluster's processes (the postmaster's children, from /proc): with the bench's own
    /// process time, what a step costs independently of how many other programs share the cores.
    /// </summary>
    public TimeSpan PostgresCpu()
    {
        if (pgData is null || !File.Exists(Path.Combine(pgData, "postmaster.pid")))
        {
            return TimeSpan.Zero;
        }

        var postmaster = File.ReadLines(Path.Combine(pgData, "postmaster.pid")).First().Trim();
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == postmaster || Path.GetFileName(dir) == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read, or is not ours to read.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    /// <summary>CRNs in the W range, which the seeder never uses.</summary>
    public string NextCrn() => $"W{Interlocked.Increment(ref crnCounter):D6}";

    public async Task PrepareDatabaseAsync()
    {
        await StartDatabaseAsync();

        // Schema and reference data (organisations, areas) through the Api's own verb; a few seeded cases.
        var code = await RunApiVerbAsync(["seed", "--cases", "100"]);
        if (code != 0)
        {
            throw new InvalidOperationException($"seed exited with {code}");
        }
    }

    /// <summary>The work directory and, for PostgreSQL, its cluster (reusing a kept one); no schema yet.</summary>
    public async Task StartDatabaseAsync()
    {
        Directory.CreateDirectory(WorkDir);
        if (engine == "postgres")
        {
            await StartPostgresAsync();
        }
    }

    public HttpClient Client(string url, string org, string user, params string[] roles)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), MaxConnectionsPerServer = 64, UseProxy = false })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(120),
        };
        var issuer = new TokenIssuer(new AuthOptions(), new SymmetricSecurityKey(Convert.FromBase64String(signingKey)), TimeProvider.System);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(org, user, "Bench " + user, roles, TimeSpan.FromHours(4)));
        return http;
    }

    private Dictionary<string, string> Settings(bool auditEntries, bool consultations, bool integrate = true) => new Dictionary<string, string>
    {
        ["Audit:IntegrationIntervalMilliseconds"] = integrate ? "500" : "0",
        ["Database:Provider"] = engine == "sqlite" ? "Sqlite" : "Postgres",
        ["Database:ConnectionString"] = ConnectionString,
        ["Auth:SigningKey"] = signingKey,
        ["Auth:UseDevelopmentKey"] = "false",
        ["Seed:Demo"] = "false",
        ["Audit:SigningKeySeed"] = auditSeed,
        [AuditRecording.EntriesSetting] = auditEntries ? "true" : "false",
        [AuditRecording.ConsultationsSetting] = consultations ? "true" : "false",
        ["Logging:LogLevel:Default"] = "Warning",
    }.Concat(ExtraSettings).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>The Api's services in this process, without its background integrator: for building and verifying the log.</summary>
    public WebApplication InProcessApp()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = AuditRecording.BenchmarkEnvironment });
        var settings = Settings(true, true, integrate: false);
        builder.Configuration.AddInMemoryCollection(settings!);
        builder.AddCaseTransfer();
        return builder.Build();
    }

    public async Task AnalyseAsync()
    {
        if (engine != "postgres")
        {
            return;
        }

        await using var c = new Npgsql.NpgsqlConnection(ConnectionString + ";Pooling=False;Command Timeout=600");
        await c.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("VACUUM ANALYZE", c);
        await cmd.ExecuteNonQueryAsync();
    }

    private ProcessStartInfo ApiStartInfo(IEnumerable<string> arguments, bool auditEntries = true, bool consultations = true, bool integrate = true)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = WorkDir, UseShellExecute = false };
        psi.ArgumentList.Add(apiDll);
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (key, value) in Settings(auditEntries, consultations, integrate))
        {
            psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        psi.Environment["ASPNETCORE_ENVIRONMENT"] = AuditRecording.BenchmarkEnvironment;
        psi.Environment["DOTNET_ENVIRONMENT"] = AuditRecording.BenchmarkEnvironment;
        return psi;
    }

    public async Task<int> RunApiVerbAsync(string[] arguments)
    {
        var psi = ApiStartInfo(arguments);
        psi.WorkingDirectory = Path.GetDirectoryName(apiDll)!;
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode;
    }

    public async Task<string> StartApiAsync(bool auditEntries, bool consultations, bool integrate = true)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = ApiStartInfo([], auditEntries, consultations, integrate);
        psi.WorkingDirectory = Path.GetDirectoryName(apiDll)!;
        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        apiLog ??= new StreamWriter(Path.Combine(WorkDir, "api.log")) { AutoFlush = true };
        var log = apiLog;
        api = new Process { StartInfo = psi };
        api.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        api.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        api.Start();
        api.BeginOutputReadLine();
        api.BeginErrorReadLine();
        await WaitReadyAsync(api, url, "the Api");
        Console.WriteLine($"Api (pid {api.Id}, entries {(auditEntries ? "on" : "off")}, consultations {(consultations ? "on" : "off")}, integrator {(integrate ? "on" : "off")}) ready on {url}");
        return url + "/";
    }

    /// <summary>
    /// Starts this bench program's raw ADO.NET server (<see cref="AllocateBaselineServer"/>) on a free loopback port,
    /// with the Api's signing key and, as the Api's web SDK has by default, server GC; stopped with the Api. With
    /// <paramref name="reads"/> it first makes the Api's reads on each request (<c>--reads</c>).
    /// </summary>
    public Task<string> StartBaselineServerAsync(int outboxPerPair, bool reads = false) =>
        StartServerAsync(["allocate-baseline-server", "--outbox", outboxPerPair.ToString(CultureInfo.InvariantCulture)], reads);

    /// <summary>The escalation workflow's raw ADO.NET server (<see cref="EscalateBaselineServer"/>), as <see cref="StartBaselineServerAsync"/>.</summary>
    public Task<string> StartEscalateBaselineServerAsync(bool reads) => StartServerAsync(["escalate-baseline-server"], reads);

    private async Task<string> StartServerAsync(string[] verb, bool reads)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        string[] arguments = [typeof(BenchHost).Assembly.Location, .. verb, "--url", url, "--connection", ConnectionString];
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        if (reads)
        {
            psi.ArgumentList.Add("--reads");
        }

        psi.Environment["Auth__SigningKey"] = signingKey;
        psi.Environment["DOTNET_gcServer"] = "1";
        var server = Process.Start(psi)!;
        baselineServers.Add(server);
        await WaitReadyAsync(server, url, "the baseline server");
        // bench/allocate-cpu.py (allocate and escalate) finds each server's pid in these lines.
        Console.WriteLine($"raw ADO.NET baseline server{(reads ? " with the Api's reads" : "")} (pid {server.Id}) ready on {url}");
        return url + "/";
    }

    private async Task WaitReadyAsync(Process process, string url, string name)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} at start (its output: the console, or the Api's in {Path.Combine(WorkDir, "api.log")})");
            }

            try
            {
                using var r = await probe.GetAsync($"{url}/health/ready", cts.Token);
                if (r.IsSuccessStatusCode)
                {
                    return;
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

        throw new TimeoutException($"{name} did not become ready within 3 minutes");
    }

    public async Task StopApiAsync()
    {
        foreach (var server in baselineServers)
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }

            server.Dispose();
        }

        baselineServers.Clear();
        if (api is { HasExited: false })
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }

        api?.Dispose();
        api = null;
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task StartPostgresAsync()
    {
        var dir = Path.Combine(WorkDir, "pg");
        pgData = Path.Combine(dir, "data");
        Directory.CreateDirectory(dir);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", WorkDir]);
        }

        if (!File.Exists(Path.Combine(pgData, "PG_VERSION")))
        {
            await RunPgAsync(asRoot, "initdb", ["-D", pgData, "-A", "trust", "-U", "app"]);
        }

        pgPort = FreePort();
        await RunPgAsync(asRoot, "pg_ctl", ["-D", pgData, "-l", Path.Combine(dir, "log"), "-o", $"-p {pgPort} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=200{ExtraPostgresOptions}", "-w", "start"]);
        Console.WriteLine($"PostgreSQL started on 127.0.0.1:{pgPort} ({pgData}).");
    }

    /// <summary>More server options for a profiling run, e.g. <c>-c shared_preload_libraries=pg_stat_statements</c>.</summary>
    public string ExtraPostgresOptions { get; set; } = "";

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
        await StopApiAsync();
        apiLog?.Dispose();
        if (pgData is not null && Directory.Exists(pgData))
        {
            try
            {
                await RunPgAsync(Environment.UserName == "root", "pg_ctl", ["-D", pgData, "-m", keepDir is null ? "immediate" : "fast", "-w", "stop"]);
                Console.WriteLine("PostgreSQL stopped.");
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"could not stop PostgreSQL: {e.Message}");
            }
        }

        if (keepDir is null && Directory.Exists(WorkDir) && Environment.GetEnvironmentVariable("AUDITBENCH_KEEP") is null)
        {
            Directory.Delete(WorkDir, recursive: true);
        }

        cts.Dispose();
    }
}
