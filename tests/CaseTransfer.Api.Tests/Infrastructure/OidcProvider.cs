using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway OpenID Connect provider for tests: oidc-provider (an OpenID-certified server, on npm) run by node on a
/// free loopback port over plain http, issuing client-credentials access tokens as RS256 JWTs for the resource
/// <see cref="Resource"/> (and, to be refused, <see cref="OtherResource"/>). Its signing keys live in a file in its
/// own temporary directory; <see cref="RotateKeysAsync"/> restarts it, on the same address, with a new key first.
/// </summary>
/// <remarks>
/// The package is looked for in <c>OIDC_PROVIDER_DIR</c> (the folder holding <c>node_modules/oidc-provider</c>, or
/// that package folder itself), then the repository's <c>node_modules</c>, then /tmp/oidc (<c>npm install --prefix
/// /tmp/oidc oidc-provider@9.13.3</c>). Tests call <see cref="RequireOrSkip"/> first: without node or the package
/// the test is skipped, or fails when <c>CASETRANSFER_REQUIRE_OIDC</c> is <c>1</c>/<c>true</c> (as in CI).
/// </remarks>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string RequireEnvironmentVariable = "CASETRANSFER_REQUIRE_OIDC";
    public const string DirectoryEnvironmentVariable = "OIDC_PROVIDER_DIR";
    public const string Resource = "urn:case-transfer";
    public const string OtherResource = "urn:another-service";

    /// <summary>Every client's secret: the provider is throwaway and loopback-only.</summary>
    public const string Secret = "a-throwaway-secret-for-tests-only";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _node;
    private readonly string _directory;
    private readonly int _port;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    private OidcProvider(string node, string directory, int port)
    {
        _node = node;
        _directory = directory;
        _port = port;
    }

    /// <summary>The issuer, which is also where discovery is: <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string Authority => "http://127.0.0.1:" + _port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Why no provider can be run here (node or the package missing), or null when one can.</summary>
    public static string? UnavailableReason => Installation.Value.Error;

    public static void RequireOrSkip() => ThrowawayServer.RequireOrSkip("oidc-provider", RequireEnvironmentVariable, UnavailableReason);

    /// <summary>
    /// Starts a provider that knows <paramref name="clients"/> (client ids, each with <see cref="Secret"/> and the
    /// client-credentials grant), whose access tokens live <paramref name="tokenLifetime"/>, except those of
    /// <paramref name="shortLivedClient"/>, which live one second. <paramref name="extraClaims"/> adds claims to the
    /// tokens of the clients it names, as a provider configured to describe its clients would.
    /// </summary>
    public static async Task<OidcProvider> StartAsync(
        IEnumerable<string> clients,
        TimeSpan tokenLifetime,
        string? shortLivedClient = null,
        IReadOnlyDictionary<string, Dictionary<string, object>>? extraClaims = null)
    {
        RequireOrSkip();
        var (node, packageDirectory, _) = Installation.Value;
        var directory = Directory.CreateTempSubdirectory("casetransfer-oidc-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "server.mjs"), ServerScript(packageDirectory!));
        await File.WriteAllTextAsync(
            Path.Combine(directory, "settings.json"),
            JsonSerializer.Serialize(new
            {
                clients = clients.ToArray(),
                secret = Secret,
                resources = new[] { Resource, OtherResource },
                ttlSeconds = (int)tokenLifetime.TotalSeconds,
                shortLivedClient,
                extraClaims = extraClaims ?? new Dictionary<string, Dictionary<string, object>>(),
            }));

        var provider = new OidcProvider(node!, directory, PostgresCluster.FreePort());
        await provider.StartProcessAsync(rotate: false);
        return provider;
    }

    /// <summary>
    /// Rotates the signing keys as a provider does: a new key is published and signs from now on, the old one is still
    /// published (tokens it signed stay valid until they expire). Restarts the provider on the same address.
    /// </summary>
    public async Task RotateKeysAsync()
    {
        Stop();
        await StartProcessAsync(rotate: true);
    }

    /// <summary>The key ids the provider publishes, newest (the one that signs) first.</summary>
    public async Task<IReadOnlyList<string>> PublishedKeyIdsAsync()
    {
        using var http = new HttpClient();
        using var jwks = JsonDocument.Parse(await http.GetStringAsync(new Uri(Authority + "/jwks")));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    /// <summary>Asks the token endpoint for a client-credentials access token, authenticating with client_secret_basic.</summary>
    public async Task<string> TokenForAsync(string clientId, string resource = Resource)
    {
        using var response = await RequestTokenAsync(clientId, resource);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The provider refused a token to {clientId} ({(int)response.StatusCode}): {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string resource)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Authority + "/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["resource"] = resource,
                ["scope"] = "cases",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(Secret))));
        return await http.SendAsync(request);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        ThrowawayServer.TryDelete(_directory);
        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync(bool rotate)
    {
        string[] arguments = rotate ? ["server.mjs", _port.ToString(CultureInfo.InvariantCulture), "rotate"] : ["server.mjs", _port.ToString(CultureInfo.InvariantCulture)];
        var psi = new ProcessStartInfo(_node, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        StartWatchdog(process.Id, _directory);

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout && !process.HasExited)
        {
            if (await AnswersAsync())
            {
                return;
            }

            await Task.Delay(100);
        }

        var why = process.HasExited
            ? $"node exited with {process.ExitCode}"
            : $"it did not answer on port {_port} within {StartTimeout.TotalSeconds} s";
        Stop();
        throw new InvalidOperationException($"oidc-provider did not start: {why}: {string.Join(" | ", _output)}");
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await http.GetAsync(new Uri(Authority + "/.well-known/openid-configuration"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 50)
        {
            _output.Enqueue(line);
        }
    }

    private void Stop()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
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
            // Best effort: the watchdog kills it when the test process ends.
        }

        process.Dispose();
    }

    /// <summary>Kills the provider should the test process be killed (ProcessExit never runs then).</summary>
    private static void StartWatchdog(int providerPid, string directory)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            pid=$1; provider=$2; dir=$3
            while kill -0 "$pid" 2>/dev/null && kill -0 "$provider" 2>/dev/null; do sleep 1; done
            kill "$provider" 2>/dev/null
            kill -0 "$pid" 2>/dev/null || rm -rf "$dir"
            """;
        ThrowawayServer.StartWatchdog("oidc-watchdog", script, [providerPid.ToString(CultureInfo.InvariantCulture), directory]);
    }

    private sealed record NodeInstallation(string? Node, string? PackageDirectory, string? Error);

    private static readonly Lazy<NodeInstallation> Installation = new(FindInstallation, LazyThreadSafetyMode.ExecutionAndPublication);

    private static NodeInstallation FindInstallation()
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);
        if (node is null)
        {
            return new NodeInstallation(null, null, "node is not on PATH");
        }

        var package = PackageCandidates().FirstOrDefault(dir => File.Exists(Path.Combine(dir, "package.json")));
        return package is null
            ? new NodeInstallation(node, null, $"the oidc-provider package was not found ({DirectoryEnvironmentVariable} unset or wrong, none under the repository's node_modules or /tmp/oidc; install it with `npm install --prefix /tmp/oidc oidc-provider@9.13.3`)")
            : new NodeInstallation(node, package, null);
    }

    private static IEnumerable<string> PackageCandidates()
    {
        if (Environment.GetEnvironmentVariable(DirectoryEnvironmentVariable) is { Length: > 0 } configured)
        {
            yield return Path.Combine(configured, "node_modules", "oidc-provider");
            yield return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaseTransfer.sln")))
            {
                yield return Path.Combine(dir.FullName, "node_modules", "oidc-provider");
                break;
            }
        }

        yield return "/tmp/oidc/node_modules/oidc-provider";
    }

    /// <summary>
    /// The provider: clients with the client-credentials grant only; access tokens for a known resource are RS256 JWTs
    /// whose audience is the resource. Keys are read from keys.json (created with one key at the first start; with
    /// <c>rotate</c>, a new key is put first, which oidc-provider then signs with).
    /// </summary>
    private static string ServerScript(string packageDirectory) => $$"""
        import { generateKeyPairSync, randomUUID } from 'node:crypto';
        import { existsSync, readFileSync, writeFileSync } from 'node:fs';
        import Provider from {{JsonSerializer.Serialize(Path.Combine(packageDirectory, "lib", "index.js"))}};

        const [port, mode] = process.argv.slice(2);
        const settings = JSON.parse(readFileSync('settings.json', 'utf8'));

        const newKey = () => ({
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          kid: randomUUID(), use: 'sig', alg: 'RS256',
        });
        let keys = existsSync('keys.json') ? JSON.parse(readFileSync('keys.json', 'utf8')) : [newKey()];
        if (mode === 'rotate') keys = [newKey(), ...keys];
        writeFileSync('keys.json', JSON.stringify(keys));

        const provider = new Provider(`http://127.0.0.1:${port}`, {
          clients: settings.clients.map((id) => ({
            client_id: id,
            client_secret: settings.secret,
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_basic',
            scope: 'cases',
          })),
          jwks: { keys },
          scopes: ['cases'],
          features: {
            devInteractions: { enabled: false },
            clientCredentials: { enabled: true },
            resourceIndicators: {
              enabled: true,
              defaultResource: () => settings.resources[0],
              useGrantedResource: () => true,
              getResourceServerInfo: (ctx, resource) => {
                if (!settings.resources.includes(resource)) throw new Error(`unknown resource ${resource}`);
                return { scope: 'cases', audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
              },
            },
          },
          extraTokenClaims: (ctx, token) => settings.extraClaims[token.clientId],
          ttl: {
            ClientCredentials: (ctx, token, client) => client.clientId === settings.shortLivedClient ? 1 : settings.ttlSeconds,
          },
        });
        provider.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${port}`));
        """;
}
