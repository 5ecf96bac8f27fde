using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CaseTransfer.Application.Common.Persistence;
using CaseTransfer.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

/// <summary>
/// RabbitMQ publishing (issue 15): N events through the broker with publisher confirms. Starts a throwaway
/// rabbitmq-server node (own name, ports, epmd port and data directory), and per engine a throwaway database and the
/// Release Api with <c>Broker:Transport=RabbitMQ</c> (its background publisher on), binds a durable queue to the
/// exchange with <c>#</c> and consumes it in this process; once the seed's events are published, inserts N outbox rows
/// straight into the database through the Api's own DbContext (CaseOpened envelopes, <c>--per-case</c> events per case,
/// audience |NPS|NPS-NW|), and times from the start of that insert until every row is marked published (each marked
/// only after its confirm) and the consumer has all N distinct message ids. Target: under 5 s.
/// </summary>
internal static class BrokerBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => int.Parse(Opt(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var engines = (Opt("--engine") ?? "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var events = Int("--events", 10_000);
        var perCase = Int("--per-case", 1);
        var settings = new Dictionary<string, string>
        {
            ["Broker:Transport"] = "RabbitMQ",
            ["Broker:IntervalMilliseconds"] = Opt("--interval") ?? "100",
            ["Broker:BatchSize"] = Opt("--batch") ?? "1000",
            ["Broker:RabbitMQ:MaxOutstandingConfirms"] = Opt("--outstanding") ?? "2000",
            ["Broker:RabbitMQ:Exchange"] = "casetransfer.events",
            ["Logging:LogLevel:CaseTransfer.Application.Broker"] = "Information",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        };
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        Console.WriteLine($"CaseTransfer broker bench: engines={string.Join(',', engines)} events={events:N0} per case={perCase}");
        Console.WriteLine($"settings: {string.Join(", ", settings.Where(p => p.Key.StartsWith("Broker", StringComparison.Ordinal)).Select(p => $"{p.Key}={p.Value}"))}");
        Console.WriteLine($"machine: {System.Environment.ProcessorCount} logical cores, {System.Environment.OSVersion}, .NET {System.Environment.Version}; load {TransferBench.Load()}");

        var started = Stopwatch.StartNew();
        using var node = BenchRabbitNode.Start();
        Console.WriteLine($"rabbitmq-server node {node.Name} on 127.0.0.1:{node.Port} ready in {started.Elapsed.TotalSeconds:N1} s (durable queue, persistent messages: confirmed once on disk)");
        settings["Broker:RabbitMQ:Uri"] = node.Uri;

        var results = new List<(string Engine, double Total, double Insert, double Marked)>();
        foreach (var engine in engines)
        {
            results.Add(await RunEngineAsync(engine, apiDll, settings, node, events, perCase));
        }

        Console.WriteLine();
        Console.WriteLine("| engine | figure | target | measured | |");
        Console.WriteLine("|---|---|---|---|---|");
        var code = 0;
        foreach (var (engine, total, insert, marked) in results)
        {
            Console.WriteLine($"| {engine} | {events:N0} events through RabbitMQ with publisher confirms, from the insert's start to the last confirmed, marked and consumed | < 5 s | {total:N2} s (insert {insert:N2} s, publishing after it {total - insert:N2} s; all marked at {marked:N2} s) | {(total < 5 ? "met" : "missed")} |");
            code |= total < 5 ? 0 : 1;
        }

        Console.WriteLine($"load at the end {TransferBench.Load()}");
        return code;
    }

    private static async Task<(string, double, double, double)> RunEngineAsync(
        string engine, string apiDll, Dictionary<string, string> settings, BenchRabbitNode node, int events, int perCase)
    {
        Console.WriteLine();
        Console.WriteLine($"== {engine} ==");
        await using var host = new BenchHost(engine, apiDll);
        foreach (var (k, v) in settings)
        {
            host.ExtraSettings[k] = v;
        }

        host.ExtraSettings["Broker:RabbitMQ:Exchange"] = $"casetransfer.events.bench-{engine}";
        await host.PrepareDatabaseAsync();

        // The consumer: a durable queue bound with "#", counting distinct message ids.
        var factory = new ConnectionFactory { Uri = new Uri(node.Uri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var exchange = host.ExtraSettings["Broker:RabbitMQ:Exchange"];
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync($"bench-{engine}", durable: true, exclusive: false, autoDelete: false)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "#");
        await channel.BasicQosAsync(0, 2_000, false);
        var seen = new ConcurrentDictionary<string, byte>();
        var wanted = new ConcurrentDictionary<string, byte>();
        var clock = new Stopwatch();
        var done = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var id = delivery.BasicProperties.MessageId ?? "";
            if (wanted.ContainsKey(id) && seen.TryAdd(id, 0) && seen.Count == events)
            {
                done.TrySetResult(clock.Elapsed.TotalSeconds);
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var url = await host.StartApiAsync(auditEntries: true, consultations: false);
        var inProcess = host.InProcessApp();
        async Task<int> UnpublishedAsync()
        {
            await using var scope = inProcess.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Common.IAppDbContext>();
            return await db.OutboxMessages.CountAsync(o => o.PublishedAt == null);
        }

        // The seed's own events go first, so the publisher is connected and warm before the clock starts.
        var warm = Stopwatch.StartNew();
        while (await UnpublishedAsync() > 0 && warm.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        Console.WriteLine($"seed's events published ({await UnpublishedAsync()} left) after {warm.Elapsed.TotalSeconds:N1} s");

        var now = DateTimeOffset.UtcNow;
        var cases = (events + perCase - 1) / perCase;
        var rows = Enumerable.Range(0, events).Select(i =>
        {
            var crn = $"V{i % cases:D6}";
            return OutboxMessage.For(new CaseOpened(crn, "NPS-NW", now), now, "|NPS|NPS-NW|");
        }).ToList();
        foreach (var row in rows)
        {
            wanted[row.Id.ToString()] = 0;
        }

        clock.Start();
        await using (var scope = inProcess.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Common.IAppDbContext>();
            db.OutboxMessages.AddRange(rows);
            await db.SaveChangesAsync(CancellationToken.None);
        }

        var inserted = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{events:N0} outbox rows ({cases:N0} cases) inserted in {inserted:N2} s");
        var marked = double.NaN;
        var lastReport = 0.0;
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            var left = await UnpublishedAsync();
            if (left == 0 && double.IsNaN(marked))
            {
                marked = clock.Elapsed.TotalSeconds;
            }

            if (!double.IsNaN(marked) && done.Task.IsCompleted)
            {
                break;
            }

            if (clock.Elapsed.TotalSeconds - lastReport >= 1)
            {
                lastReport = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"  t={clock.Elapsed.TotalSeconds,5:N1} s  unpublished {left,6:N0}  consumed {seen.Count,6:N0}");
            }

            await Task.Delay(20);
        }

        var consumed = done.Task.IsCompleted ? done.Task.Result : double.NaN;
        var total = Math.Max(consumed, marked);
        Console.WriteLine($"{engine}: all {events:N0} marked published at {marked:N2} s, consumed at {consumed:N2} s ({events / (total - inserted):N0} events/s after the insert)");
        var log = Path.Combine(host.WorkDir, "api.log");
        if (File.Exists(log))
        {
            var passes = File.ReadAllLines(log).Where(l => l.Contains("Broker pass", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"api.log: {passes.Count} broker pass lines; those that published:");
            foreach (var l in passes.Where(l => !l.Contains(" 0 published", StringComparison.Ordinal)).TakeLast(30))
            {
                Console.WriteLine("  " + l);
            }
        }

        await inProcess.DisposeAsync();
        return (engine, total, inserted, marked);
    }
}

/// <summary>A throwaway RabbitMQ node, as the tests start one (tests/.../RabbitMqNode.cs), killed with its epmd at the end.</summary>
internal sealed class BenchRabbitNode : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "ctbench-rabbitmq-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int epmdPort = BenchHost.FreePort();
    private readonly int distPort = BenchHost.FreePort();
    private Process? process;

    public string Name { get; } = $"rabbit-bench-{Guid.NewGuid().ToString("N")[..8]}@localhost";
    public int Port { get; } = BenchHost.FreePort();
    public string Uri => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public static BenchRabbitNode Start()
    {
        var bin = Environment.GetEnvironmentVariable("RABBITMQ_BIN") is { Length: > 0 } b ? b : "/usr/lib/rabbitmq/bin";
        var node = new BenchRabbitNode();
        foreach (var sub in new[] { "home", "mnesia", "log" })
        {
            Directory.CreateDirectory(Path.Combine(node.dir, sub));
        }

        File.WriteAllText(Path.Combine(node.dir, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(node.dir, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{node.Port}\ndisk_free_limit.absolute = 10MB\nlog.console = false\nlog.file.level = warning\n");
        var psi = new ProcessStartInfo(Path.Combine(bin, "rabbitmq-server")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = node.dir };
        foreach (var (k, v) in node.NodeEnvironment())
        {
            psi.Environment[k] = v;
        }

        node.process = Process.Start(psi)!;
        node.process.BeginOutputReadLine();
        node.process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", node.Port);
                using var c = new ConnectionFactory { Uri = new Uri(node.Uri) }.CreateConnectionAsync().GetAwaiter().GetResult();
                return node;
            }
            catch (Exception)
            {
                Thread.Sleep(200);
            }
        }

        node.Dispose();
        throw new InvalidOperationException("rabbitmq-server did not come up in 90 s");
    }

    private Dictionary<string, string> NodeEnvironment() => new()
    {
        ["HOME"] = Path.Combine(dir, "home"),
        ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_NODENAME"] = Name,
        ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq.conf"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(dir, "rabbitmq-env.conf"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(dir, "rabbitmq.pid"),
    };

    public void Dispose()
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }

            var psi = new ProcessStartInfo("epmd", ["-kill"]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture);
            using var epmd = Process.Start(psi);
            epmd?.WaitForExit(5_000);
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception)
        {
            // Best effort.
        }
    }
}
