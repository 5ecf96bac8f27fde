using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway ClamAV daemon for tests: a fresh directory under /tmp with its own clamd.conf (foreground, TCP on
/// 127.0.0.1 and a free port, StreamMaxLength 30M so a 25 MB document passes whole, no User, no freshclam) and a
/// signature database built here from the standard EICAR test file (<c>sigtool --md5</c> gives a <c>.hdb</c> line; no
/// download). Ready once it answers PING with PONG. It can be stopped and started again on the same port (a scanner
/// that goes down and comes back), and is killed and its directory deleted when disposed or when the test process
/// exits; a watchdog process does the same if the test process is killed.
/// </summary>
/// <remarks>
/// <c>clamd</c> and <c>sigtool</c> are taken from <c>CLAMD_BIN</c>/<c>SIGTOOL_BIN</c> if set, else PATH, /usr/sbin or
/// /usr/bin (Debian's clamav-daemon and clamav packages). Tests call <see cref="RequireOrSkip"/> first: if either is
/// missing the test is skipped, or fails when <c>CASETRANSFER_REQUIRE_CLAMD</c> is <c>1</c>/<c>true</c> (as in CI).
/// </remarks>
public sealed class Clamd : IDisposable
{
    public const string RequireEnvironmentVariable = "CASETRANSFER_REQUIRE_CLAMD";

    /// <summary>The standard EICAR anti-virus test file: harmless, and detected by every scanner by agreement.</summary>
    public static readonly byte[] Eicar = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory;
    private Process? _process;

    private Clamd(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The name clamd gives a match of the test database's EICAR line (the file name sigtool saw, marked unofficial).</summary>
    public const string EicarSignature = "eicar.com.UNOFFICIAL";

    /// <summary>Null when clamd and sigtool are installed; otherwise what is missing.</summary>
    public static string? UnavailableReason => (Find("CLAMD_BIN", "clamd"), Find("SIGTOOL_BIN", "sigtool")) switch
    {
        (null, _) => "clamd not found (CLAMD_BIN unset, not on PATH or in /usr/sbin): install Debian's clamav-daemon",
        (_, null) => "sigtool not found (SIGTOOL_BIN unset, not on PATH or in /usr/bin): install Debian's clamav",
        _ => null,
    };

    public static void RequireOrSkip() => ThrowawayServer.RequireOrSkip("clamd", RequireEnvironmentVariable, UnavailableReason);

    /// <summary>Starts a clamd of its own (skips or fails the test when clamd is not installed).</summary>
    public static Clamd Start()
    {
        RequireOrSkip();
        var directory = Path.Combine("/tmp", "casetransfer-clamd-" + Guid.NewGuid().ToString("N")[..12]);
        var database = Path.Combine(directory, "db");
        Directory.CreateDirectory(database);
        File.WriteAllBytes(Path.Combine(directory, "eicar.com"), Eicar);
        var hdb = Run(Find("SIGTOOL_BIN", "sigtool")!, ["--md5", "eicar.com"], directory);
        File.WriteAllText(Path.Combine(database, "test.hdb"), hdb);

        var clamd = new Clamd(directory, PostgresCluster.FreePort());
        File.WriteAllText(Path.Combine(directory, "clamd.conf"), $"""
            Foreground yes
            TCPSocket {clamd.Port.ToString(CultureInfo.InvariantCulture)}
            TCPAddr 127.0.0.1
            DatabaseDirectory {database}
            StreamMaxLength 30M
            LogFile {Path.Combine(directory, "clamd.log")}
            PidFile {Path.Combine(directory, "clamd.pid")}
            """);
        clamd.Resume();
        return clamd;
    }

    /// <summary>Stops the daemon (the scanner is down: connections are refused).</summary>
    public void Stop()
    {
        if (_process is { } process)
        {
            ThrowawayServer.Kill(process);
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts the daemon again on the same port and waits for PONG.</summary>
    public void Resume()
    {
        var psi = new ProcessStartInfo(Find("CLAMD_BIN", "clamd")!, ["--config-file", Path.Combine(_directory, "clamd.conf")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
        process.StandardInput.Close();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => ThrowawayServer.Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => ThrowawayServer.Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        ThrowawayServer.EndWithTestProcess("clamd-watchdog", process, _directory);

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout && !process.HasExited)
        {
            if (Pings())
            {
                return;
            }

            Thread.Sleep(100);
        }

        var why = process.HasExited ? $"exited with {process.ExitCode}" : $"did not answer PING on port {Port} within {StartTimeout.TotalSeconds} s";
        Stop();
        Assert.Fail($"clamd {why}: {string.Join(" | ", output)}");
    }

    /// <summary>Whether the daemon answers PING with PONG (the database loaded and the socket listening).</summary>
    public bool Pings()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            var stream = client.GetStream();
            stream.Write("zPING\0"u8);
            var buffer = new byte[16];
            var n = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).TrimEnd('\0') == "PONG";
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>The settings that point the service at this daemon.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Scanning:Enabled"] = "true",
        ["Scanning:ClamdHost"] = "127.0.0.1",
        ["Scanning:ClamdPort"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Scanning:TimeoutSeconds"] = "10",
        ["Scanning:RetryIntervalSeconds"] = "30",

        // Tests run the background scanner's passes themselves (RunDocumentRescanAsync), on their own clock.
        ["Scanning:PollSeconds"] = "0",
    };

    public void Dispose()
    {
        Stop();
        ThrowawayServer.TryDelete(_directory);
    }

    private static string Run(string executable, string[] arguments, string directory)
    {
        var psi = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && output.Length > 0
            ? output
            : throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}");
    }

    private static string? Find(string variable, string executable)
    {
        var fromEnv = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return File.Exists(fromEnv) ? fromEnv : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);
    }
}
