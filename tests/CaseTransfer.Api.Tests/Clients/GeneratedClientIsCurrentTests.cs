using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Contract;

namespace CaseTransfer.Api.Tests.Clients;

/// <summary>
/// The committed C# client (clients/CaseTransfer.Client/Generated) is what Kiota makes of the committed contract
/// today: the test regenerates it into a temporary folder with the tool the repository pins (dotnet-tools.json) and
/// the options its kiota-lock.json records, and compares every file. A change to the contract without regenerating
/// the client fails here. Offline: the tool comes from the NuGet cache and is told not to look for updates.
/// </summary>
public sealed class GeneratedClientIsCurrentTests
{
    public const string ClientFolder = "clients/CaseTransfer.Client/Generated";

    private const string LockFile = "kiota-lock.json";

    /// <summary>What Kiota writes beside the code that is not part of the client.</summary>
    private static readonly string[] NotTheClient = [".kiota.log"];

    /// <summary>Fields of kiota-lock.json that depend on where it was generated, not on what.</summary>
    private static readonly string[] WhereGenerated = ["descriptionLocation"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_committed_client_is_what_Kiota_generates_from_the_committed_contract()
    {
        var committed = Path.Combine(RepositoryRoot.Path, ClientFolder);
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(committed, LockFile), Ct))!.AsObject();
        var output = Directory.CreateTempSubdirectory("casetransfer-kiota-").FullName;
        try
        {
            await RunDotnetAsync(["tool", "restore"]);
            await RunDotnetAsync(["tool", "run", "kiota", .. GenerateArguments(settings, output)]);

            var differences = Compare(committed, output);
            Assert.True(differences.Count == 0,
                $"{ClientFolder} is not what Kiota generates from {OpenApiContractTests.CommittedPath}; regenerate it with "
                + $"clients/CaseTransfer.Client/regenerate.sh and commit the result:\n  {string.Join("\n  ", differences.Take(30))}");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary><c>kiota generate</c> with the options the committed client was generated with, as its lock file records them.</summary>
    private static List<string> GenerateArguments(JsonObject settings, string output)
    {
        string Text(string name) => settings[name]!.GetValue<string>();
        string Flag(string name) => settings[name]!.GetValue<bool>() ? "true" : "false";
        IEnumerable<string> Many(string option, string name) =>
            (settings[name]?.AsArray() ?? []).SelectMany(v => new[] { option, v!.GetValue<string>() });

        return
        [
            "generate",
            "--openapi", Path.Combine(RepositoryRoot.Path, OpenApiContractTests.CommittedPath),
            "--output", output,
            "--language", Text("language"),
            "--class-name", Text("clientClassName"),
            "--namespace-name", Text("clientNamespaceName"),
            "--type-access-modifier", Text("typeAccessModifier"),
            "--exclude-backward-compatible", Flag("excludeBackwardCompatible"),
            "--additional-data", Flag("includeAdditionalData"),
            "--backing-store", Flag("usesBackingStore"),
            .. Many("--serializer", "serializers"),
            .. Many("--deserializer", "deserializers"),
            .. Many("--structured-mime-types", "structuredMimeTypes"),
            .. Many("--include-path", "includePatterns"),
            .. Many("--exclude-path", "excludePatterns"),
            .. Many("--disable-validation-rules", "disabledValidationRules"),
            "--clean-output",
            "--log-level", "Warning",
        ];
    }

    /// <summary>One line per file missing, extra or different; the lock file compared without where it was generated.</summary>
    private static List<string> Compare(string committed, string generated)
    {
        static Dictionary<string, string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !NotTheClient.Contains(Path.GetFileName(f)))
            .ToDictionary(f => f, f => Normalise(f, File.ReadAllText(Path.Combine(root, f))), StringComparer.Ordinal);

        var expected = Files(generated);
        var actual = Files(committed);
        var differences = new List<string>();
        differences.AddRange(expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).Select(f => $"missing: {f}"));
        differences.AddRange(actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).Select(f => $"not generated any more: {f}"));
        differences.AddRange(expected.Keys.Intersect(actual.Keys).Order(StringComparer.Ordinal)
            .Where(f => expected[f] != actual[f])
            .Select(f => $"differs: {f} ({FirstDifference(actual[f], expected[f])})"));
        return differences;
    }

    private static string Normalise(string path, string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Path.GetFileName(path) != LockFile)
        {
            return text;
        }

        var settings = JsonNode.Parse(text)!.AsObject();
        foreach (var field in WhereGenerated)
        {
            settings.Remove(field);
        }

        return settings.ToJsonString();
    }

    private static string FirstDifference(string committed, string generated)
    {
        var a = committed.Split('\n');
        var b = generated.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < b.Length ? b[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: committed '{left.Trim()}', generated '{right.Trim()}'";
            }
        }

        return "same lines";
    }

    /// <summary>Runs the dotnet CLI at the repository root (where the tool manifest is), offline, and fails with its output if it fails.</summary>
    private static async Task RunDotnetAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Kiota's update check calls out to the internet: off, as are its hints. Nothing else in generation does.
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        output.Append(await stdout).Append(await stderr);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
    }
}
