using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace CaseTransfer.Api.Auth;

/// <summary>
/// Accepts a token signed with a key the authority has just started using, on the request that first brings it.
/// </summary>
/// <remarks>
/// On a signature key it does not know, JwtBearer asks its configuration manager to fetch the authority's keys again
/// and fails the request anyway: the partner's first call after a rotation would be a 401. Here, after that request
/// (which the manager honours at most once per <see cref="AuthOptions.KeyRefreshMinimumSeconds"/>), the token is
/// checked once more against the keys just fetched, with the same parameters. <see cref="UseBlockingRefresh"/> makes
/// that fetch happen before the configuration is read; otherwise IdentityModel fetches in the background and the
/// request would still see the old keys.
/// </remarks>
public static class KeyRotation
{
    private const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    /// <summary>Set before any configuration manager exists: IdentityModel reads the switch once and keeps it.</summary>
    public static void UseBlockingRefresh() => AppContext.SetSwitch(BlockingRefreshSwitch, true);

    public static async Task RetryWithRefreshedKeysAsync(AuthenticationFailedContext context, AuthOptions options)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException
            || context.Options.ConfigurationManager is not { } manager
            || BearerToken(context.Request) is not { } token)
        {
            return;
        }

        var configuration = await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        var parameters = context.Options.TokenValidationParameters.Clone();
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

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
