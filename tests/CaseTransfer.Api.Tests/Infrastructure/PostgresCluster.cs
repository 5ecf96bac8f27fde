using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// A process-wide throwaway PostgreSQL cluster for tests. It is started lazily (once, thread-safe)
/// the first time a test asks for a database, listens on 127.0.0.1 on a free port, runs with
/// durability switched off for speed, and is stopped and deleted when the test process exits.
/// A watchdog process also stops it if the test process is killed.
/// </summary>
/// <remarks>
/// Binaries are taken from <c>POSTGRES_BIN</c> if set, else the highest /usr/lib/postgresql/*/bin,
/// else <c>initdb</c>/<c>pg_ctl</c> on PATH. When running as root, initdb and the server run as the
/// <c>postgres</c> OS user (they refuse to run as root).
/// Tests call <see cref="RequireOrSkip"/> first: if PostgreSQL is unavailable the test is skipped,
/// or fails when <c>CASETRANSFER_REQUIRE_POSTGRES</c> is <c>1</c>/<c>true</c> (as in CI).
/// </remarks>
public static class PostgresCluster
{
    public const string RequireEnvironmentVariable = "CASETRANSFER_REQUIRE_POSTGRES";
    public const string BinEnvironmentVariable = "POSTGRES_BIN";
    private const string UserName = "app";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<ClusterState> State = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Null when the cluster is usable; otherwise why it is not (binaries missing, startup failed).
    /// Reading it starts the cluster if it has not been started yet.
    /// </summary>
    public static string? UnavailableReason => State.Value.Error;

    /// <summary>How long initdb + server start took (zero when unavailable); for diagnostics.</summary>
    internal static TimeSpan StartupDuration => State.Value.StartupDuration;

    /// <summary>
    /// Skips the calling test when PostgreSQL is unavailable, or fails it when
    /// <c>CASETRANSFER_REQUIRE_POSTGRES</c> is <c>1</c> or <c>true</c>.
    /// </summary>
    public static void RequireOrSkip() => ThrowawayServer.RequireOrSkip("PostgreSQL", RequireEnvironmentVariable, UnavailableReason);

    /// <summary>
    /// Ensures the cluster is running, creates a fresh, uniquely named database and returns an
    /// Npgsql connection string for it. Throws <see cref="InvalidOperationException"/> when the
    /// cluster is unavailable (call <see cref="RequireOrSkip"/> first).
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var state = State.IsValueCreated ? State.Value : await Task.Run(() => State.Value).ConfigureAwait(false);
        if (state.Error is not null)
        {
            throw new InvalidOperationException("PostgreSQL test cluster is unavailable: " + state.Error);
        }

        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(ConnectionString(state.Port, "postgres")))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // name is built from [a-z0-9_] only
            command.CommandText = $"CREATE DATABASE \"{name}\"";
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return ConnectionString(state.Port, name);
    }

    private static string ConnectionString(int port, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = UserName,
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    private static string UniqueDatabaseName(string prefix)
    {
        var sb = new StringBuilder();
        foreach (var c in (prefix ?? string.Empty).ToLowerInvariant())
        {
            if (sb.Length >= 30)
            {
                break;
            }

            sb.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (sb.Length == 0 || char.IsDigit(sb[0]))
        {
            sb.Insert(0, "db_");
        }

        // 63 bytes is PostgreSQL's identifier limit: <=33 + 1 + 24 chars.
        return $"{sb}_{Guid.NewGuid():N}"[..Math.Min(63, sb.Length + 1 + 24)];
    }

    private sealed record ClusterState(int Port, string? Error, TimeSpan StartupDuration = default);

    private sealed record Layout(string BinDir, bool AsPostgresUser);

    private static ClusterState Start()
    {
        var sw = Stopwatch.StartNew();
        string? directory = null;
        try
        {
            var binDir = FindBinDirectory(out var why);
            if (binDir is null)
            {
                return new ClusterState(0, why);
            }

            var asPostgresUser = IsRoot();
            if (asPostgresUser && Run("id", ["-u", "postgres"], null, null).ExitCode != 0)
            {
                return new ClusterState(0, "running as root but there is no 'postgres' OS user to run initdb/postgres as");
            }

            var layout = new Layout(binDir, asPostgresUser);
            directory = Path.Combine("/tmp", "casetransfer-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(directory);
            if (asPostgresUser)
            {
                var chown = Run("chown", ["-R", "postgres:postgres", directory], null, null);
                if (chown.ExitCode != 0)
                {
                    return Fail(directory, "chown of " + directory + " failed: " + chown.Output);
                }
            }

            var data = Path.Combine(directory, "data");
            RegisterCleanup(layout, directory, data);
            var initdb = RunPg(layout, "initdb", ["-D", data, "-A", "trust", "-U", UserName, "-E", "UTF8", "--locale=C", "--no-sync"], directory);
            if (initdb.ExitCode != 0)
            {
                return Fail(directory, $"initdb failed (exit {initdb.ExitCode}): {initdb.Output}");
            }

            string lastError = "";
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var port = FreePort();
                var log = Path.Combine(directory, "server.log");
                var options = string.Join(' ',
                    "-p", port.ToString(CultureInfo.InvariantCulture),
                    "-k", directory,
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off",
                    "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off",
                    "-c", "max_connections=200");
                var start = RunPg(layout, "pg_ctl", ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"], directory);
                if (start.ExitCode == 0)
                {
                    return new ClusterState(port, null, sw.Elapsed);
                }

                lastError = $"pg_ctl start failed (exit {start.ExitCode}): {start.Output} server log: {Tail(log)}";
                RunPg(layout, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], directory);
            }

            return Fail(directory, lastError);
        }
        catch (Exception ex)
        {
            return Fail(directory, $"could not start PostgreSQL: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static ClusterState Fail(string? directory, string error)
    {
        if (directory is not null)
        {
            ThrowawayServer.TryDelete(directory);
        }

        return new ClusterState(0, error);
    }

    private static string? FindBinDirectory(out string why)
    {
        var fromEnv = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            var found = HasBinaries(fromEnv);
            why = found ? "" : $"{BinEnvironmentVariable}={fromEnv} does not contain initdb and pg_ctl";
            return found ? fromEnv : null;
        }

        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var best = Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: Version.TryParse(NormalizeVersion(Path.GetFileName(d)), out var v) ? v : null))
                .Where(x => x.Version is not null && HasBinaries(x.Dir))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault();
            if (best is not null)
            {
                why = "";
                return best;
            }
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasBinaries(dir))
            {
                why = "";
                return dir;
            }
        }

        why = $"PostgreSQL server binaries (initdb, pg_ctl) not found: {BinEnvironmentVariable} unset, no /usr/lib/postgresql/*/bin, none on PATH (install e.g. the 'postgresql' package)";
        return null;
    }

    private static string NormalizeVersion(string name) => name.Contains('.', StringComparison.Ordinal) ? name : name + ".0";

    private static bool HasBinaries(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

    private static bool IsRoot()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var id = Run("id", ["-u"], null, null);
        return id.ExitCode == 0 ? id.Output.Trim() == "0" : Environment.UserName == "root";
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static void RegisterCleanup(Layout layout, string directory, string data)
    {
        StartWatchdog(layout, directory, data);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    RunPg(layout, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], directory);
                }
            }
            catch (Exception)
            {
                // Best effort at process exit.
            }

            ThrowawayServer.TryDelete(directory);
        };
    }

    /// <summary>
    /// A detached shell that waits for this process to die and then stops the cluster and removes
    /// its directory; it covers the case where the test process is killed and ProcessExit never runs.
    /// </summary>
    private static void StartWatchdog(Layout layout, string directory, string data)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            pid=$1; dir=$2; shift 2
            while kill -0 "$pid" 2>/dev/null; do sleep 1; done
            if [ -f "$dir/data/postmaster.pid" ]; then "$@"; fi
            rm -rf "$dir"
            """;
        var (file, args) = PgCommand(layout, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        ThrowawayServer.StartWatchdog("pg-watchdog", script, [directory, file, .. args]);
    }

    private static (string File, IReadOnlyList<string> Args) PgCommand(Layout layout, string tool, IReadOnlyList<string> args)
    {
        var path = Path.Combine(layout.BinDir, tool);
        return layout.AsPostgresUser
            ? ("runuser", ["-u", "postgres", "--", path, .. args])
            : (path, args);
    }

    private static (int ExitCode, string Output) RunPg(Layout layout, string tool, IReadOnlyList<string> args, string workingDirectory)
    {
        var (file, fullArgs) = PgCommand(layout, tool, args);
        return Run(file, fullArgs, workingDirectory, CommandTimeout);
    }

    private static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> args, string? workingDirectory, TimeSpan? timeout)
    {
        var psi = new ProcessStartInfo
        {
            FileName = file,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // Keep a caller's libpq settings from leaking into pg_ctl's readiness probe.
        foreach (var v in new[] { "PGHOST", "PGPORT", "PGDATA", "PGUSER", "PGDATABASE", "PGOPTIONS" })
        {
            psi.Environment.Remove(v);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? CommandTimeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            return (-1, $"{file} {string.Join(' ', args)} timed out after {timeout ?? CommandTimeout}");
        }

        process.WaitForExit();
        var output = (stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult()).Trim();
        return (process.ExitCode, output);
    }

    private static string Tail(string file)
    {
        try
        {
            if (!File.Exists(file))
            {
                return "(no log)";
            }

            var lines = File.ReadAllLines(file);
            return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 15)));
        }
        catch (IOException ex)
        {
            return "(log unreadable: " + ex.Message + ")";
        }
    }
}
