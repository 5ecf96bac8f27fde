using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CaseTransfer.Api.Tests.Contract;

/// <summary>
/// The linters partners' tooling agrees with, Spectral (<c>spectral:oas</c>) and Redocly (<c>recommended</c>), find no
/// error in the committed document. Their versions are pinned in <c>tests/contract-lint/package-lock.json</c>; the
/// first run installs them there with <c>npm ci</c> (again only when the lock file changes), so Node.js and npm are
/// all a machine needs. Without npm the test fails rather than skips: the contract is not checked otherwise.
/// </summary>
public sealed class OpenApiLintTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "contract-lint");
    private static readonly string Document = Path.Combine(RepositoryRoot.Path, OpenApiContractTests.CommittedPath);
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    /// <summary>Each linter's command line, run in the lint folder: both exit non-zero on an error.</summary>
    private static readonly Dictionary<string, string[]> Linters = new()
    {
        ["spectral"] = ["lint", Document, "--ruleset", ".spectral.yaml", "--fail-severity", "error"],
        ["redocly"] = ["lint", Document, "--config", "redocly.yaml", "--format", "stylish"],
    };

    [Theory]
    [InlineData("spectral")]
    [InlineData("redocly")]
    public async Task The_linter_finds_no_error_in_the_committed_document(string linter)
    {
        await Installed.Value;

        var (exitCode, output) = await RunAsync(Path.Combine(Folder, "node_modules", ".bin", linter), Linters[linter], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, $"{linter} found errors in {OpenApiContractTests.CommittedPath} (exit {exitCode}):\n{output}");
    }

    /// <summary><c>npm ci</c> into the lint folder unless what is there was installed from this very lock file.</summary>
    private static async Task InstallAsync()
    {
        var stamp = Path.Combine(Folder, "node_modules", ".installed-from-lock");
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Folder, "package-lock.json"))));
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) == lockHash)
        {
            return;
        }

        var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"npm ci in tests/contract-lint failed (exit {exitCode}):\n{output}");
        await File.WriteAllTextAsync(stamp, lockHash);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["REDOCLY_TELEMETRY"] = "off",
                ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
                ["NO_UPDATE_NOTIFIER"] = "1",
                ["NO_COLOR"] = "1",
            },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e) when (program == "npm")
        {
            Assert.Fail($"npm was not found ({e.Message}). The contract linters need Node.js and npm on PATH (apt-get install nodejs npm).");
            throw;
        }

        using (process)
        {
            var output = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timer = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(timer.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
            }

            output.Append(await stdout).Append(await stderr);
            return (process.ExitCode, output.ToString());
        }
    }
}
