using System.Net;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CaseTransfer.Api.Tests.Clients;

/// <summary>
/// The service on Kestrel, listening on a free port of 127.0.0.1, rather than on the in-memory test server: a partner's
/// generated client reaches it as it would reach a deployment, through a socket, with its own HTTP stack.
/// </summary>
public abstract class KiotaApp : CaseTransferApp
{
    protected KiotaApp(Engine engine)
        : base(engine) => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    /// <summary>Where the service listens (http://127.0.0.1:port).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// The generated client as a partner would set it up, acting as one person of one organisation: Kiota's own
    /// handlers (retry, redirect, headers inspection...) over a plain socket handler, the bearer token from an access
    /// token provider through Kiota's <see cref="BaseBearerTokenAuthenticationProvider"/>. Every answer is also checked
    /// against the committed document (<see cref="ResponsesMatchTheContract"/>), as the other tests' answers are.
    /// </summary>
    public CaseTransferClient KiotaClientFor(string organisation, string userId, params string[] roles)
    {
        RequireOrSkip();

        var address = Address;
        var tokens = new StaticAccessTokenProvider(TokenFor(organisation, userId, roles), address.Host);
        var handlers = KiotaClientFactory.CreateDefaultHandlers();
        handlers.Add(new ResponsesMatchTheContract());
        var http = KiotaClientFactory.Create(handlers, new SocketsHttpHandler());
        var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(tokens), httpClient: http)
        {
            BaseUrl = address.GetLeftPart(UriPartial.Authority),
        };
        return new CaseTransferClient(adapter);
    }

    /// <summary>A token the caller already holds (a partner would fetch one from its identity provider here), sent only to the service's host.</summary>
    private sealed class StaticAccessTokenProvider(string token, string host) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : string.Empty);
    }
}

public sealed class SqliteKiotaApp() : KiotaApp(Engine.Sqlite);

public sealed class PostgresKiotaApp() : KiotaApp(Engine.Postgres);
