using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// The service as an operating-system process of its own (the built <c>CaseTransfer.Api.dll</c> under <c>dotnet</c>),
/// on an app's database with its keys, listening on a free port of 127.0.0.1: what can be killed with SIGKILL and started
/// again, as no in-process host can. Its console output is kept for the test to read and to show when something fails.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    // Generous: on a shared machine under heavy load a start has taken more than a minute.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Everything the process wrote to its console so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the service on <paramref name="app"/>'s database and keys with <paramref name="settings"/>, and waits until it answers.</summary>
    public static async Task<ServiceProcess> StartAsync(CaseTransferApp app, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var api = typeof(Program).Assembly.Location;
        var address = new Uri($"http://127.0.0.1:{PostgresCluster.FreePort().ToString(CultureInfo.InvariantCulture)}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(api)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(api);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        var configuration = new Dictionary<string, string>
        {
            ["Database:Provider"] = app.Engine.ToString(),
            ["Database:ConnectionString"] = app.ConnectionString,
            ["Auth:SigningKey"] = Convert.ToBase64String(app.SigningKey),
            ["Auth:UseDevelopmentKey"] = "false",
            ["Audit:SigningKeySeed"] = app.LedgerSigningKeySeed,
            ["Seed:Demo"] = "false",
            ["Transfers:PollIntervalMilliseconds"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging:LogLevel:CaseTransfer.Infrastructure.Auditing.AuditLedgerService"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in configuration)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName} {api}");
        var service = new ServiceProcess(process, address);
        process.OutputDataReceived += (_, line) => service.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => service.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilAnsweringAsync(cancellationToken);
        return service;
    }

    /// <summary>Kills the process with SIGKILL: no shutdown code runs, as when the machine loses power or the kernel kills it.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop with SIGTERM, as a service manager does, and waits for it to exit; returns its exit code.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode} before it answered:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/health/live", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Busy starting.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The service did not answer within {StartTimeout}:\n{Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The dotnet host running these tests, so the service runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        // .../shared/Microsoft.NETCore.App/<version>/ -> .../dotnet
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var beside = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(beside) ? beside : "dotnet";
    }

}
