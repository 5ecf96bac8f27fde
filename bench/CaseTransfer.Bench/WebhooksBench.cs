using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Cases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

/// <summary>
/// Webhook delivery (issue 15). Each scenario gets its own throwaway database and Release Api (dispatcher on), makes
/// its subscriptions over HTTP with an NPS-NW administrator's token, then inserts N outbox rows straight into the
/// database through the Api's own DbContext (CaseOpened envelopes, one case each, audience |NPS|NPS-NW|), and times from
/// the start of that insert until every healthy receiver has seen all N distinct webhook-ids with valid signatures
/// (receivers in this process, Kestrel on loopback, checking signatures with StandardWebhooks as the sample does).
/// Scenarios: <c>one</c> (A alone: target under 10 s), <c>pair</c> (A and B), <c>dead</c> (A, B and C, where C's
/// port is first closed, connection refused, then, after <c>--dead-switch</c> seconds, a listener that accepts and never
/// answers): A and B's times in <c>dead</c> against <c>pair</c>, target at most 10 % slower.
/// </summary>
internal static class WebhooksBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => int.Parse(Opt(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var engine = (Opt("--engine") ?? "sqlite").ToLowerInvariant();
        var events = Int("--events", 10_000);
        var scenarios = (Opt("--scenarios") ?? "one,pair,dead").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var deadSwitch = Int("--dead-switch-at", 2_000);
        var limit = Int("--limit", 180);
        analyseEveryMs = Int("--analyze-every-ms", 0);
        var settings = new Dictionary<string, string>
        {
            ["Webhooks:IntervalMilliseconds"] = Opt("--interval") ?? "100",
            ["Webhooks:BatchSize"] = Opt("--batch") ?? "500",
            ["Webhooks:FanOutBatchSize"] = Opt("--fanout") ?? "2000",
            ["Webhooks:MaxParallelSubscribers"] = Opt("--parallel") ?? "8",
            ["Webhooks:MaxConcurrentSendsPerSubscriber"] = Opt("--sends") ?? "4",
            ["Webhooks:TimeoutSeconds"] = Opt("--timeout") ?? "10",
            ["Webhooks:CircuitBreakerMinimumThroughput"] = Opt("--cb-min") ?? "5",
            ["Webhooks:CircuitBreakSeconds"] = Opt("--cb-break") ?? "30",
        };
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        Console.WriteLine($"CaseTransfer webhooks bench: engine={engine} events={events:N0} scenarios={string.Join(',', scenarios)} dead C: connection refused until A has {deadSwitch:N0} events, then accepts and never answers");
        Console.WriteLine($"settings: {string.Join(", ", settings.Select(p => $"{p.Key}={p.Value}"))}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; load {TransferBench.Load()}");
        Console.WriteLine("events: outbox rows inserted straight into the database (one SaveChanges through the Api's DbContext), after the subscriptions were made over HTTP");

        var results = new Dictionary<string, Dictionary<string, double>>();
        foreach (var scenario in scenarios)
        {
            var healthy = scenario switch { "one" => 1, "pair" => 2, "dead" => 2, "three" => 3, _ => throw new ArgumentException($"unknown scenario {scenario}") };
            results[scenario] = await RunScenarioAsync(engine, apiDll, settings, scenario, healthy, scenario == "dead", events, deadSwitch, limit);
        }

        Console.WriteLine();
        Console.WriteLine("| figure | target | measured | |");
        Console.WriteLine("|---|---|---|---|");
        var code = 0;
        if (results.TryGetValue("one", out var one))
        {
            var s = one["A"];
            Console.WriteLine($"| {events:N0} events to one healthy receiver, from the insert's start to the last | < 10 s | {s:N2} s (insert {one["_insert"]:N2} s, deliveries after it {s - one["_insert"]:N2} s) | {(s < 10 ? "met" : "missed")} |");
            code |= s < 10 ? 0 : 1;
        }

        if (results.TryGetValue("pair", out var pair) && results.TryGetValue("dead", out var dead))
        {
            foreach (var r in new[] { "A", "B" })
            {
                var slow = (dead[r] / pair[r]) - 1;
                var after = ((dead[r] - dead["_insert"]) / (pair[r] - pair["_insert"])) - 1;
                Console.WriteLine($"| {r}'s time with C dead against A+B alone | <= 10 % slower | {dead[r]:N2} s against {pair[r]:N2} s: {slow * 100:+0.0;-0.0} % (after the insert: {after * 100:+0.0;-0.0} %) | {(slow <= 0.10 ? "met" : "missed")} |");
                code |= slow <= 0.10 ? 0 : 1;
            }
        }

        Console.WriteLine($"load at the end {TransferBench.Load()}");
        return code;
    }

    private static async Task<Dictionary<string, double>> RunScenarioAsync(
        string engine, string apiDll, Dictionary<string, string> settings, string scenario, int healthy, bool withDead, int events, int deadSwitch, int limit)
    {
        Console.WriteLine();
        Console.WriteLine($"== scenario {scenario}: {healthy} healthy receiver(s){(withDead ? " and dead C" : "")} ==");
        await using var host = new BenchHost(engine, apiDll);
        foreach (var (k, v) in settings)
        {
            host.ExtraSettings[k] = v;
        }

        host.ExtraSettings["Logging:LogLevel:CaseTransfer.Application.Webhooks"] = "Information";
        host.ExtraSettings["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ";
        host.ExtraSettings["Logging:Console:FormatterName"] = "simple";
        host.ExtraSettings["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ";
        host.ExtraSettings["Logging:Console:FormatterOptions:SingleLine"] = "true";
        await host.PrepareDatabaseAsync();
        var url = await host.StartApiAsync(auditEntries: true, consultations: false);
        using var admin = host.Client(url, "NPS-NW", "bench-admin", "admin");

        var receivers = new List<Receiver>();
        for (var i = 0; i < healthy; i++)
        {
            receivers.Add(await Receiver.StartAsync(((char)('A' + i)).ToString(), events));
        }

        var deadPort = BenchHost.FreePort();
        foreach (var r in receivers)
        {
            r.Secret = await SubscribeAsync(admin, r.Url, $"bench receiver {r.Name}");
        }

        if (withDead)
        {
            await SubscribeAsync(admin, $"http://127.0.0.1:{deadPort}/webhooks", "bench dead receiver C");
        }

        // The bench's own DbContext is warmed (model built, connection opened) before the clock starts.
        var inProcess = host.InProcessApp();
        await using (var warm = inProcess.Services.CreateAsyncScope())
        {
            var db = warm.ServiceProvider.GetRequiredService<CaseTransfer.Application.Common.IAppDbContext>();
            _ = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.OutboxMessages);
        }

        var now = DateTimeOffset.UtcNow;
        var rows = Enumerable.Range(1, events).Select(i =>
        {
            var crn = $"V{i:D6}";
            return OutboxMessage.For(new CaseOpened(crn, "NPS-NW", now), now, "|NPS|NPS-NW|");
        }).ToList();

        using var stopDead = new CancellationTokenSource();
        Task? deadTask = null;
        var clock = Stopwatch.StartNew();
        foreach (var r in receivers)
        {
            r.Clock = clock;
        }

        if (withDead)
        {
            var first = receivers[0];
            deadTask = SilentListenerAsync(deadPort, () => first.Count >= deadSwitch, clock, stopDead.Token);
        }

        Task? analyseTask = null;
        if (analyseEveryMs > 0 && engine == "postgres")
        {
            analyseTask = AnalyseLoopAsync(host, stopDead.Token);
            Console.WriteLine($"diagnosis: ANALYZE \"WebhookDeliveries\" every {analyseEveryMs} ms while the deliveries run");
        }

        await using (var scope = inProcess.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Common.IAppDbContext>();
            db.OutboxMessages.AddRange(rows);
            await db.SaveChangesAsync(CancellationToken.None);
        }

        var inserted = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{events:N0} outbox rows inserted in {inserted:N2} s; clock started at {DateTime.Now - clock.Elapsed:HH:mm:ss.fff} (the Api log's time)");
        var deadline = TimeSpan.FromSeconds(limit);
        var lastReport = 0.0;
        while (receivers.Any(r => !r.Done.Task.IsCompleted) && clock.Elapsed < deadline)
        {
            await Task.Delay(50);
            if (clock.Elapsed.TotalSeconds - lastReport >= 1)
            {
                lastReport = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"  t={clock.Elapsed.TotalSeconds,5:N1} s  {string.Join("  ", receivers.Select(r => $"{r.Name} {r.Count,6:N0}"))}{(withDead ? $"  C connections {deadAccepted}" : "")}");
            }
        }

        var result = new Dictionary<string, double> { ["_insert"] = inserted };
        foreach (var r in receivers)
        {
            var seconds = r.Done.Task.IsCompleted ? r.Done.Task.Result : double.NaN;
            result[r.Name] = seconds;
            Console.WriteLine($"{r.Name} bursts (arrivals with gaps under 30 ms; start s, length ms, count, gap before ms): {string.Join("; ", r.Bursts())}");
            Console.WriteLine($"{r.Name}: {r.Count:N0} distinct of {events:N0} in {seconds:N2} s ({events / seconds:N0}/s); {r.Posts:N0} POSTs, {r.BadSignatures} bad signatures, {r.Duplicates} duplicates; per-second counts: {string.Join(' ', r.PerSecond())}");
            if (r.BadSignatures > 0)
            {
                throw new InvalidOperationException($"{r.Name} saw bad signatures");
            }
        }

        stopDead.Cancel();
        if (analyseTask is not null)
        {
            try { await analyseTask; } catch (OperationCanceledException) { }
        }

        if (deadTask is not null)
        {
            try { await deadTask; } catch (OperationCanceledException) { }
            Console.WriteLine($"C: connection refused until A had {deadSwitch:N0} (t={deadSwitchedAt:N2} s), then {deadAccepted} connections accepted and never answered");
        }

        // What the dispatcher logged (passes) for the record: how many, and the log's last lines.
        var log = Path.Combine(host.WorkDir, "api.log");
        if (File.Exists(log))
        {
            var lines = File.ReadAllLines(log);
            var passes = lines.Where(l => l.Contains("Webhook pass", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"api.log: {passes.Count} webhook pass lines ({lines.Count(l => l.Contains("Webhook pass failed", StringComparison.Ordinal))} failed passes); each pass ends at its stamp:");
            foreach (var l in passes.Where(l => !l.Contains(" 0 fanned out, 0 delivered, 0 failed, 0 dead-lettered, 0 held back", StringComparison.Ordinal)))
            {
                Console.WriteLine("  " + l);
            }

            File.Copy(log, Path.Combine(Path.GetTempPath(), $"webhooks-bench-{scenario}-api.log"), true);
        }

        foreach (var r in receivers)
        {
            await r.DisposeAsync();
        }

        await inProcess.DisposeAsync();
        return result;
    }

    private static int deadAccepted;

    /// <summary>
    /// Diagnosis only (<c>--analyze-every-ms</c>, PostgreSQL): ANALYZE the deliveries table this often while the
    /// deliveries run, as autovacuum would if it kept up, to see whether the claim query's plan on a table with stale
    /// statistics (fresh, analysed empty) is what a pass waits for.
    /// </summary>
    private static int analyseEveryMs;

    private static async Task AnalyseLoopAsync(BenchHost host, CancellationToken ct)
    {
        var db = new BenchDatabase("postgres", host.ConnectionString);
        await using var connection = await db.OpenAsync();
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(analyseEveryMs, ct);
            await AlertBench.ExecuteAsync(connection, """ANALYZE "WebhookDeliveries" """);
        }
    }

    private static double deadSwitchedAt;

    private static async Task SilentListenerAsync(int port, Func<bool> when, Stopwatch clock, CancellationToken ct)
    {
        deadAccepted = 0;
        while (!when())
        {
            await Task.Delay(10, ct);
        }

        deadSwitchedAt = clock.Elapsed.TotalSeconds;
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var held = new List<TcpClient>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(ct);
                held.Add(client); // accepted, never read from nor answered
                Interlocked.Increment(ref deadAccepted);
            }
        }
        finally
        {
            foreach (var c in held)
            {
                c.Dispose();
            }

            listener.Stop();
        }
    }

    private static async Task<string> SubscribeAsync(HttpClient admin, string callback, string description)
    {
        using var response = await admin.PostAsJsonAsync("api/v1/subscriptions", new { callbackUrl = callback, eventTypes = new[] { "*" }, description });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"subscription answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
    }

    /// <summary>A loopback receiver: counts distinct webhook-ids whose signature verifies, notes when it has them all.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, byte> seen = new();
        private readonly ConcurrentDictionary<int, int> perSecond = new();
        private readonly List<double> arrivals = [];
        private WebApplication app = null!;
        private StandardWebhook? webhook;
        private int posts;
        private int bad;
        private int duplicates;
        private int target;

        public string Name { get; private init; } = "";
        public string Url { get; private set; } = "";
        public Stopwatch Clock { get; set; } = new();
        public TaskCompletionSource<double> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Count => seen.Count;
        public int Posts => posts;
        public int BadSignatures => bad;
        public int Duplicates => duplicates;

        public string Secret
        {
            set => webhook = new StandardWebhook(value);
        }

        public IEnumerable<string> PerSecond() => perSecond.OrderBy(p => p.Key).Select(p => $"{p.Key}s:{p.Value}");

        /// <summary>The arrivals grouped into bursts (one dispatcher pass's sends each), with the quiet gap before each.</summary>
        public IEnumerable<string> Bursts()
        {
            List<double> times;
            lock (arrivals)
            {
                times = [.. arrivals.Order()];
            }

            var start = 0;
            var previousEnd = double.NaN;
            for (var i = 1; i <= times.Count; i++)
            {
                if (i == times.Count || times[i] - times[i - 1] > 30)
                {
                    var gap = double.IsNaN(previousEnd) ? double.NaN : times[start] - previousEnd;
                    yield return $"{times[start] / 1000:N2} {times[i - 1] - times[start]:N0} {i - start} {gap:N0}";
                    previousEnd = times[i - 1];
                    start = i;
                }
            }
        }

        public static async Task<Receiver> StartAsync(string name, int target)
        {
            var r = new Receiver { Name = name, target = target };
            var port = BenchHost.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            r.app = builder.Build();
            r.app.MapPost("/webhooks", async (HttpRequest request) =>
            {
                Interlocked.Increment(ref r.posts);
                using var reader = new StreamReader(request.Body);
                var payload = await reader.ReadToEndAsync();
                try
                {
                    r.webhook!.Verify(payload, request.Headers);
                }
                catch (WebhookVerificationException)
                {
                    Interlocked.Increment(ref r.bad);
                    return Results.Unauthorized();
                }

                lock (r.arrivals)
                {
                    r.arrivals.Add(r.Clock.Elapsed.TotalMilliseconds);
                }

                if (r.seen.TryAdd(request.Headers["webhook-id"].ToString(), 0))
                {
                    r.perSecond.AddOrUpdate((int)r.Clock.Elapsed.TotalSeconds, 1, (_, v) => v + 1);
                    if (r.seen.Count == r.target)
                    {
                        r.Done.TrySetResult(r.Clock.Elapsed.TotalSeconds);
                    }
                }
                else
                {
                    Interlocked.Increment(ref r.duplicates);
                }

                return Results.NoContent();
            });
            await r.app.StartAsync();
            r.Url = $"http://127.0.0.1:{port}/webhooks";
            return r;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
