using System.Diagnostics;
using System.Globalization;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>What the tests' throwaway servers (<see cref="PostgresCluster"/>, <see cref="Azurite"/>) share.</summary>
internal static class ThrowawayServer
{
    /// <summary>
    /// Skips the calling test when the server is unavailable (<paramref name="unavailableReason"/> not null), or fails
    /// it when <paramref name="requireVariable"/> is <c>1</c> or <c>true</c> (as in CI).
    /// </summary>
    public static void RequireOrSkip(string server, string requireVariable, string? unavailableReason)
    {
        if (unavailableReason is null)
        {
            return;
        }

        var required = Environment.GetEnvironmentVariable(requireVariable)?.Trim();
        if (required == "1" || string.Equals(required, "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{server} is required ({requireVariable}={required}) but unavailable: {unavailableReason}");
        }

        Assert.Skip($"{server} unavailable (set {requireVariable}=1 to fail instead of skip): {unavailableReason}");
    }

    /// <summary>
    /// Starts a detached shell running <paramref name="script"/> with this process's id as <c>$1</c> and
    /// <paramref name="arguments"/> after it: it waits for this process to die and then cleans up, which covers a
    /// killed test process, for which ProcessExit never runs.
    /// </summary>
    public static void StartWatchdog(string name, string script, IEnumerable<string> arguments)
    {
        try
        {
            var setsid = File.Exists("/usr/bin/setsid");
            var psi = new ProcessStartInfo(
                setsid ? "/usr/bin/setsid" : "sh",
                [.. setsid ? ["sh"] : Array.Empty<string>(), "-c", script, name, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), .. arguments])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            using var process = Process.Start(psi);
        }
        catch (Exception)
        {
            // The ProcessExit handler still cleans up on a normal exit.
        }
    }

    /// <summary>
    /// Ends a server process and removes its directory when the test process ends: on a normal exit (ProcessExit), and
    /// through a watchdog (<see cref="StartWatchdog"/>) should the test process be killed.
    /// </summary>
    public static void EndWithTestProcess(string name, Process server, string directory)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            pid=$1; server=$2; dir=$3
            while kill -0 "$pid" 2>/dev/null; do sleep 1; done
            kill "$server" 2>/dev/null
            rm -rf "$dir"
            """;
        StartWatchdog(name, script, [server.Id.ToString(CultureInfo.InvariantCulture), directory]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Kill(server);
            TryDelete(directory);
        };
    }

    public static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception)
        {
            // Best effort.
        }
    }

    /// <summary>True when something accepts a TCP connection on the loopback port.</summary>
    public static bool Answers(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Keeps the first lines a server prints, to say why it failed to start.</summary>
    public static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is not null && output.Count < 30)
        {
            output.Enqueue(line);
        }
    }

    /// <summary>Kills the server and what it started, waiting a little for it to go; best effort.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
        }
        catch (Exception)
        {
            // Best effort, at process exit too.
        }
    }
}
