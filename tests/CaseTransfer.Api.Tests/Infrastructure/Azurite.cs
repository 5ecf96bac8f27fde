using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// A process-wide throwaway Azurite blob service (the Azure Storage emulator) for tests. It is started lazily (once,
/// thread-safe) the first time a test asks for it, keeps its data in a fresh directory under /tmp, listens on
/// 127.0.0.1 on a free port, and is killed and its directory deleted when the test process exits; a watchdog process
/// does the same if the test process is killed.
/// </summary>
/// <remarks>
/// <c>azurite-blob</c> is taken from <c>AZURITE_BIN</c> (the executable, or the folder holding it) if set, else
/// PATH, else <c>node_modules/.bin</c> under the repository or /tmp (<c>npm install azurite</c> there). Tests call
/// <see cref="RequireOrSkip"/> first: if Azurite is unavailable the test is skipped, or fails when
/// <c>CASETRANSFER_REQUIRE_AZURITE</c> is <c>1</c>/<c>true</c> (as in CI).
/// </remarks>
public static class Azurite
{
    public const string RequireEnvironmentVariable = "CASETRANSFER_REQUIRE_AZURITE";
    public const string BinEnvironmentVariable = "AZURITE_BIN";
    private const string Executable = "azurite-blob";

    // The emulator's published development account: not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<EmulatorState> State = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Null when the emulator is usable; otherwise why not. Reading it starts the emulator if need be.</summary>
    public static string? UnavailableReason => State.Value.Error;

    /// <summary>The connection string of the development account on the running emulator.</summary>
    public static string ConnectionString => State.Value.Error is { } error
        ? throw new InvalidOperationException("Azurite is unavailable: " + error)
        : $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{State.Value.Port.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1;";

    /// <summary>A container name no other test uses.</summary>
    public static string UniqueContainerName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];

    /// <summary>
    /// Skips the calling test when Azurite is unavailable, or fails it when <c>CASETRANSFER_REQUIRE_AZURITE</c> is
    /// <c>1</c> or <c>true</c>.
    /// </summary>
    public static void RequireOrSkip() => ThrowawayServer.RequireOrSkip("Azurite", RequireEnvironmentVariable, UnavailableReason);

    private sealed record EmulatorState(int Port, string? Error);

    private static EmulatorState Start()
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            return new EmulatorState(0, $"{Executable} not found: {BinEnvironmentVariable} unset, not on PATH, no node_modules/.bin/{Executable} under the repository or /tmp (install it with `npm install -g azurite`)");
        }

        var directory = Path.Combine("/tmp", "casetransfer-azurite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        string lastError = "";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = PostgresCluster.FreePort();
            var psi = new ProcessStartInfo(
                executable,
                [
                    "--silent", "--location", directory, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture),
                    "--skipApiVersionCheck", "--loose",
                ])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };

            Process process;
            try
            {
                process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
            }
            catch (Exception e)
            {
                ThrowawayServer.TryDelete(directory);
                return new EmulatorState(0, $"could not start {executable}: {e.GetType().Name}: {e.Message}");
            }

            process.StandardInput.Close();
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => ThrowawayServer.Keep(output, e.Data);
            process.ErrorDataReceived += (_, e) => ThrowawayServer.Keep(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            ThrowawayServer.EndWithTestProcess("azurite-watchdog", process, directory);

            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < StartTimeout && !process.HasExited)
            {
                if (ThrowawayServer.Answers(port))
                {
                    return new EmulatorState(port, null);
                }

                Thread.Sleep(100);
            }

            lastError = process.HasExited
                ? $"{executable} exited with {process.ExitCode}: {string.Join(" | ", output)}"
                : $"{executable} did not answer on port {port} within {StartTimeout.TotalSeconds} s: {string.Join(" | ", output)}";
            ThrowawayServer.Kill(process);
        }

        ThrowawayServer.TryDelete(directory);
        return new EmulatorState(0, lastError);
    }

    private static string? FindExecutable()
    {
        var fromEnv = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Directory.Exists(fromEnv) ? Existing(Path.Combine(fromEnv, Executable)) : Existing(fromEnv);
        }

        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, Executable))
            .Concat(RepositoryRoots().Select(root => Path.Combine(root, "node_modules", ".bin", Executable)))
            .Append(Path.Combine("/tmp", "node_modules", ".bin", Executable))
            .Append(Path.Combine("/tmp", "azurite", "node_modules", ".bin", Executable));
        return candidates.Select(Existing).FirstOrDefault(path => path is not null);
    }

    private static string? Existing(string path) => File.Exists(path) ? path : null;

    /// <summary>The folders from the test binaries up to the one holding the solution.</summary>
    private static IEnumerable<string> RepositoryRoots()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaseTransfer.sln")))
            {
                yield return dir.FullName;
                yield break;
            }
        }
    }
}
