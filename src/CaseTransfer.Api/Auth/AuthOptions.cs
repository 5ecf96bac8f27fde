using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CaseTransfer.Api.Auth;

/// <summary>
/// The <c>Auth</c> configuration section. A real identity provider plugs in with <see cref="Authority"/> (OpenID
/// Connect discovery) or a shared <see cref="SigningKey"/>; no code changes. For local use only,
/// <see cref="UseDevelopmentKey"/> makes the service its own issuer with a key kept under <c>data/</c>.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "case-transfer-dev";
    public string Audience { get; set; } = "case-transfer";

    /// <summary>An OpenID Connect authority whose published keys sign tokens (production).</summary>
    public string? Authority { get; set; }

    /// <summary>Base64 HMAC-SHA256 key of at least 32 bytes, shared with the issuer.</summary>
    public string? SigningKey { get; set; }

    public bool UseDevelopmentKey { get; set; }
    public string DevelopmentKeyPath { get; set; } = "data/dev-signing-key";

    /// <summary>How a bearer token is checked: issuer, audience, signature (<paramref name="key"/>, or the authority's keys when null), the claims read as name and role, and 30 s of clock skew.</summary>
    public TokenValidationParameters ValidationParameters(SymmetricSecurityKey? key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key,
        ValidateIssuerSigningKey = key is not null,
        NameClaimType = Claims.Name,
        RoleClaimType = Claims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <summary>The symmetric key tokens are checked with, or null when an authority's keys are used.</summary>
    public SymmetricSecurityKey? ResolveKey()
    {
        if (SigningKey is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length >= 32
                ? new SymmetricSecurityKey(bytes)
                : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
        }

        if (Authority is not null)
        {
            return null;
        }

        if (!UseDevelopmentKey)
        {
            throw new InvalidOperationException(
                "No token validation is configured: set Auth:Authority or Auth:SigningKey (Auth:UseDevelopmentKey is for local use only).");
        }

        if (!File.Exists(DevelopmentKeyPath))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(DevelopmentKeyPath))!);
            File.WriteAllText(DevelopmentKeyPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(DevelopmentKeyPath).Trim()));
    }
}

/// <summary>The claim names the service reads.</summary>
public static class Claims
{
    public const string Organisation = "org";
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string ClientId = "client_id";
}
