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

    /// <summary>How far a token's lifetime may be stretched for clocks that disagree (the issuer's and ours).</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// The least time between two fetches of the authority's keys that a token signed with an unknown key may cause:
    /// a rotated key is picked up at once, but a stream of tokens naming made-up keys cannot make us hammer the provider.
    /// </summary>
    public int KeyRefreshMinimumSeconds { get; set; } = 300;

    /// <summary>
    /// Partner systems that call with their own client-credentials token, by <c>client_id</c>: such a token names no
    /// person and usually no organisation or roles, so this service says which organisation the system acts for and
    /// with what roles. Ours to decide, not the provider's: a client's standing here is part of our configuration.
    /// </summary>
    public Dictionary<string, PartnerClient> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Which of a provider's claims carry the organisation, roles and name, where it does not use ours.</summary>
    public ClaimMappings ClaimMappings { get; set; } = new();

    /// <summary>How a bearer token is checked: issuer, audience, signature (<paramref name="key"/>, or the authority's keys when null), the claims read as name and role, and the clock skew.</summary>
    public TokenValidationParameters ValidationParameters(SymmetricSecurityKey? key) => new()
    {
        // With an authority its discovery document names the one issuer; a configured Issuer would be accepted
        // beside it, signed with the authority's keys, which nobody should mean.
        ValidIssuer = key is null ? null : Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        NameClaimType = Claims.Name,
        RoleClaimType = Claims.Role,
        ClockSkew = TimeSpan.FromSeconds(ClockSkewSeconds),
    };

    /// <summary>Refuses settings the service could not honour, naming the one at fault, before it starts.</summary>
    public AuthOptions Validate()
    {
        if (ClockSkewSeconds is < 0 or > 300)
        {
            throw new InvalidOperationException("Auth:ClockSkewSeconds must be between 0 and 300.");
        }

        if (KeyRefreshMinimumSeconds < 1)
        {
            throw new InvalidOperationException("Auth:KeyRefreshMinimumSeconds must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            throw new InvalidOperationException("Auth:Audience is required: every token must be meant for this service.");
        }

        foreach (var (setting, claim) in new[] { ("Organisation", ClaimMappings.Organisation), ("Roles", ClaimMappings.Roles), ("Name", ClaimMappings.Name) })
        {
            if (string.IsNullOrWhiteSpace(claim))
            {
                throw new InvalidOperationException($"Auth:ClaimMappings:{setting} must name a claim.");
            }
        }

        foreach (var (clientId, client) in Clients)
        {
            if (string.IsNullOrWhiteSpace(client.Organisation))
            {
                throw new InvalidOperationException($"Auth:Clients:{clientId}:Organisation is required: the organisation the system acts for.");
            }

            var unknown = client.Roles.Where(r => !CaseTransfer.Application.Common.Roles.All.Contains(r)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Auth:Clients:{clientId}:Roles has roles this service does not know: {string.Join(", ", unknown)} (known: {string.Join(", ", CaseTransfer.Application.Common.Roles.All)}).");
            }
        }

        return this;
    }

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

/// <summary>A partner system known by its <c>client_id</c> (<c>Auth:Clients:{client_id}</c>).</summary>
public sealed class PartnerClient
{
    /// <summary>The organisation code the system acts for: what it may see and what it writes as.</summary>
    public string Organisation { get; set; } = "";

    /// <summary>Its roles; a system given none has <c>partner-system</c>, the role made for systems (it reads cases and opens them).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Its display name in the audit log and elsewhere; the client_id when not given.</summary>
    public string? Name { get; set; }

    public IReadOnlyList<string> EffectiveRoles => Roles.Count > 0 ? Roles : [CaseTransfer.Application.Common.Roles.PartnerSystem];
}

/// <summary>
/// The claims of a provider's tokens that say a caller's organisation, roles and name (<c>Auth:ClaimMappings</c>), for a
/// provider that cannot be made to write <c>org</c>, <c>role</c> and <c>name</c>. A registered client's configuration
/// (<c>Auth:Clients</c>) still wins over whatever its token says.
/// </summary>
public sealed class ClaimMappings
{
    public string Organisation { get; set; } = Claims.Organisation;
    public string Roles { get; set; } = Claims.Role;
    public string Name { get; set; } = Claims.Name;
}

/// <summary>The claim names the service reads.</summary>
public static class Claims
{
    public const string Organisation = "org";
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string ClientId = "client_id";

    /// <summary>The authorised party: the client a token was issued to, where a provider writes no client_id.</summary>
    public const string AuthorisedParty = "azp";
}
