using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway RabbitMQ node (the Debian <c>rabbitmq-server</c> package's scripts) for tests: a node name of its own
/// (<c>rabbit-test-XXXX@localhost</c>), its AMQP listener on 127.0.0.1 and its distribution port on free ports, and its
/// own epmd on a free port (<c>ERL_EPMD_PORT</c>), so it neither meets a system broker nor another test run's nodes;
/// its data, logs, configuration, plugins file and Erlang cookie (<c>HOME</c>) in a fresh directory under /tmp. It can
/// be stopped and started again on the same data (durable exchanges, queues and persistent messages survive, as on a
/// real restart). Killed, with its epmd, and its directory deleted when the test process exits; a watchdog does the same
/// if the test process is killed.
/// </summary>
/// <remarks>
/// The scripts are taken from <c>RABBITMQ_BIN</c> if set, else /usr/lib/rabbitmq/bin (the package's own scripts:
/// /usr/sbin/rabbitmq-server would switch to the rabbitmq user, who cannot use our directory). <see cref="Shared"/> is the
/// node most tests share (startup takes seconds); a test that stops its broker starts a node of its own
/// (<see cref="StartNew"/>). Tests call <see cref="RequireOrSkip"/> first: if rabbitmq-server is unavailable the test is
/// skipped, or fails when <c>CASETRANSFER_REQUIRE_RABBITMQ</c> is <c>1</c>/<c>true</c> (as in CI).
/// </remarks>
public sealed class RabbitMqNode : IDisposable
{
    public const string RequireEnvironmentVariable = "CASETRANSFER_REQUIRE_RABBITMQ";
    public const string BinEnvironmentVariable = "RABBITMQ_BIN";
    private const string DefaultBin = "/usr/lib/rabbitmq/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private static readonly Lazy<RabbitMqNode> SharedNode = new(StartNew, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _bin;
    private readonly string _directory;
    private readonly string _nodeName;
    private readonly int _epmdPort;
    private readonly int _distPort;
    private readonly object _lock = new();
    private Process? _process;
    private bool _disposed;

    private RabbitMqNode(string bin, string? error)
    {
        _bin = bin;
        UnavailableReason = error;
        _directory = Path.Combine("/tmp", "casetransfer-rabbitmq-" + Guid.NewGuid().ToString("N")[..12]);
        _nodeName = $"rabbit-test-{Guid.NewGuid().ToString("N")[..8]}@localhost";
        if (error is null)
        {
            Port = PostgresCluster.FreePort();
            _distPort = PostgresCluster.FreePort();
            _epmdPort = PostgresCluster.FreePort();
        }
    }

    /// <summary>The node shared by tests that never stop it; started the first time it is asked for.</summary>
    public static RabbitMqNode Shared => SharedNode.Value;

    /// <summary>Null when the node is running; otherwise why it is not.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The broker's address, as <c>Broker:RabbitMQ:Uri</c> takes it (the default guest user, allowed from loopback).</summary>
    public string Uri => $"amqp://guest:guest@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>Skips the calling test when the node is unavailable, or fails it when <c>CASETRANSFER_REQUIRE_RABBITMQ</c> is set.</summary>
    public void RequireOrSkip() => ThrowawayServer.RequireOrSkip("RabbitMQ", RequireEnvironmentVariable, UnavailableReason);

    /// <summary>A node of the test's own, started (check <see cref="UnavailableReason"/>).</summary>
    public static RabbitMqNode StartNew()
    {
        var bin = Environment.GetEnvironmentVariable(BinEnvironmentVariable) is { Length: > 0 } fromEnv ? fromEnv : DefaultBin;
        if (!File.Exists(Path.Combine(bin, "rabbitmq-server")) || !File.Exists(Path.Combine(bin, "rabbitmqctl")))
        {
            return new RabbitMqNode(bin, $"rabbitmq-server not found in {bin} ({BinEnvironmentVariable} unset or wrong; install the Debian package rabbitmq-server)");
        }

        var node = new RabbitMqNode(bin, null);
        Directory.CreateDirectory(Path.Combine(node._directory, "home"));
        Directory.CreateDirectory(Path.Combine(node._directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(node._directory, "log"));
        File.WriteAllText(Path.Combine(node._directory, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(node._directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{node.Port.ToString(CultureInfo.InvariantCulture)}
            disk_free_limit.absolute = 10MB
            log.console = false
            log.file.level = warning
            """);
        node.RegisterCleanup();
        node.UnavailableReason = node.Start();
        return node;
    }

    /// <summary>Starts the node again after <see cref="Stop"/>, on the same data; throws if it does not come up.</summary>
    public void StartAgain()
    {
        if (Start() is { } error)
        {
            throw new InvalidOperationException("RabbitMQ did not start again: " + error);
        }
    }

    /// <summary>Stops the node (as <c>rabbitmqctl stop</c>: an orderly shutdown) and waits until its port is closed.</summary>
    public void Stop()
    {
        var (code, output) = Ctl("stop");
        lock (_lock)
        {
            if (_process is { } process && !process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
            }

            _process = null;
            File.Delete(PidFile);
        }

        var deadline = Stopwatch.StartNew();
        while (ThrowawayServer.Answers(Port) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(100);
        }

        if (ThrowawayServer.Answers(Port))
        {
            throw new InvalidOperationException($"RabbitMQ still answers after rabbitmqctl stop (exit {code}): {output}");
        }
    }

    private string? Start()
    {
        var psi = Script("rabbitmq-server");
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception e)
        {
            return $"could not start {psi.FileName}: {e.GetType().Name}: {e.Message}";
        }

        process.StandardInput.Close();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => ThrowawayServer.Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => ThrowawayServer.Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_lock)
        {
            _process = process;
        }

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout && !process.HasExited)
        {
            if (ThrowawayServer.Answers(Port) && AcceptsAmqp())
            {
                return null;
            }

            Thread.Sleep(200);
        }

        var reason = process.HasExited
            ? $"rabbitmq-server exited with {process.ExitCode}: {string.Join(" | ", output)}"
            : $"rabbitmq-server did not answer AMQP on port {Port} within {StartTimeout.TotalSeconds} s: {string.Join(" | ", output)}";
        Kill();
        return reason;
    }

    private bool AcceptsAmqp()
    {
        try
        {
            using var connection = new ConnectionFactory { Uri = new System.Uri(Uri), RequestedConnectionTimeout = TimeSpan.FromSeconds(2) }
                .CreateConnectionAsync().GetAwaiter().GetResult();
            connection.CloseAsync().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private ProcessStartInfo Script(string name, params string[] arguments)
    {
        var psi = new ProcessStartInfo(Path.Combine(_bin, name), arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        psi.Environment["HOME"] = Path.Combine(_directory, "home");
        psi.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_NODENAME"] = _nodeName;
        psi.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        psi.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia");
        psi.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log");
        psi.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq.conf");
        psi.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins");
        psi.Environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_directory, "advanced.config");
        psi.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_directory, "rabbitmq-env.conf");
        psi.Environment["RABBITMQ_PID_FILE"] = PidFile;
        return psi;
    }

    /// <summary>Runs rabbitmqctl against this node: its exit code and output.</summary>
    private (int Code, string Output) Ctl(params string[] arguments)
    {
        using var process = Process.Start(Script("rabbitmqctl", ["-n", _nodeName, .. arguments]))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Where the node writes its Erlang VM's process id (each start writes it anew).</summary>
    private string PidFile => Path.Combine(_directory, "rabbitmq.pid");

    private void RegisterCleanup()
    {
        // Should the test process be killed: the node (by the process id it wrote), its epmd (by its port), its directory.
        const string script = """
            exec </dev/null >/dev/null 2>&1
            pid=$1; dir=$2; epmd_port=$3
            while kill -0 "$pid" 2>/dev/null; do sleep 1; done
            [ -f "$dir/rabbitmq.pid" ] && kill -9 "$(cat "$dir/rabbitmq.pid")"
            ERL_EPMD_PORT=$epmd_port epmd -kill
            rm -rf "$dir"
            """;
        ThrowawayServer.StartWatchdog("rabbitmq-watchdog", script, [_directory, _epmdPort.ToString(CultureInfo.InvariantCulture)]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    private void Kill()
    {
        lock (_lock)
        {
            try
            {
                if (_process is { HasExited: false } process)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5_000);
                }

                // The VM itself, should the script not have become it.
                if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var vm))
                {
                    File.Delete(PidFile);
                    using var running = Process.GetProcessById(vm);
                    running.Kill(entireProcessTree: true);
                }
            }
            catch (Exception)
            {
                // Best effort.
            }

            _process = null;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        if (_epmdPort == 0)
        {
            return; // Never started: no epmd of ours to stop, nor a directory.
        }

        try
        {
            // The epmd this node started on its own port (no other node uses that port).
            using var epmd = Process.Start(new ProcessStartInfo("epmd", ["-kill"])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture) },
            });
            epmd?.WaitForExit(5_000);
        }
        catch (Exception)
        {
            // Best effort.
        }

        ThrowawayServer.TryDelete(_directory);
    }
}
