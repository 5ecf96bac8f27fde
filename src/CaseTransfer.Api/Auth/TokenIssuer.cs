using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CaseTransfer.Api.Auth;

/// <summary>Mints tokens with the configured symmetric key: the <c>token</c> verb and the demo tokens printed at start.</summary>
public sealed class TokenIssuer(AuthOptions options, SymmetricSecurityKey key, TimeProvider clock)
{
    public string Issue(string organisation, string userId, string userName, IEnumerable<string> roles, TimeSpan lifetime, string? clientId = null)
    {
        var claims = new List<Claim>
        {
            new(Claims.Subject, userId),
            new(Claims.Name, userName),
            new(Claims.Organisation, organisation),
            new(Claims.ClientId, clientId ?? "case-transfer-cli"),
        };
        claims.AddRange(roles.Select(r => new Claim(Claims.Role, r)));
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
