using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CaseTransfer.Api.Auth;

/// <summary>
/// Accepts a token signed with a key the authority has just started using, on the request that first brings it.
/// </summary>
/// <remarks>
/// On a signature key it does not know, JwtBearer asks its configuration manager to fetch the authority's keys again
/// and fails the request anyway; IdentityModel then fetches in the background, so the partner's first call after a
/// rotation would be a 401 and only later calls would pass. Here that request reads the authority's discovery document
/// and keys itself and checks the token once more against them, with the same parameters. At most one such read per
/// <see cref="AuthOptions.KeyRefreshMinimumSeconds"/>, so tokens naming made-up keys cannot make us hammer the provider.
/// One instance per service (it holds that rhythm).
/// </remarks>
public sealed class KeyRotation(AuthOptions options, TimeProvider clock)
{
    private long _lastReadTicks = long.MinValue;

    public async Task RetryWithRefreshedKeysAsync(AuthenticationFailedContext context)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException
            || context.Options.MetadataAddress is not { Length: > 0 } address
            || BearerToken(context.Request) is not { } token
            || !TryTakeTurn())
        {
            return;
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            var retriever = new HttpDocumentRetriever(context.Options.Backchannel) { RequireHttps = context.Options.RequireHttpsMetadata };
            configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, context.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or ArgumentException or OperationCanceledException)
        {
            // The provider cannot be read now: the request stays refused as the handler decided (401).
            return;
        }

        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.ConfigurationManager = null;
        parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
        parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
        foreach (var handler in context.Options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (result.IsValid)
            {
                var principal = new ClaimsPrincipal(result.ClaimsIdentity);
                PartnerIdentity.Apply(principal, options);
                context.Principal = principal;
                context.Success();
                return;
            }
        }
    }

    /// <summary>True when no read was made in the last <see cref="AuthOptions.KeyRefreshMinimumSeconds"/> (and claims this one).</summary>
    private bool TryTakeTurn()
    {
        var now = clock.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastReadTicks);
        return (last == long.MinValue || now - last >= TimeSpan.FromSeconds(options.KeyRefreshMinimumSeconds).Ticks)
            && Interlocked.CompareExchange(ref _lastReadTicks, now, last) == last;
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
