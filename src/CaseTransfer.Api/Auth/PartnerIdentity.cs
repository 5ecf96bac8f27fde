using System.Security.Claims;

namespace CaseTransfer.Api.Auth;

/// <summary>
/// Turns a partner system's client-credentials token into a caller: the token says only which client it is (and that
/// the provider vouches for it), so the organisation, roles and display name come from <c>Auth:Clients</c>. Any other
/// token's organisation, roles and name are read from the claims <c>Auth:ClaimMappings</c> names.
/// </summary>
public static class PartnerIdentity
{
    /// <summary>
    /// The client a token was issued to when it names no person: no <c>sub</c>, or a <c>sub</c> that is the client
    /// itself (RFC 9068 has client-credentials tokens carry the client_id as their subject). Null for a person's token,
    /// which keeps the organisation and roles its own claims give.
    /// </summary>
    public static string? SystemClientId(ClaimsPrincipal principal)
    {
        var clientId = principal.FindFirst(Claims.ClientId)?.Value ?? principal.FindFirst(Claims.AuthorisedParty)?.Value;
        var subject = principal.FindFirst(Claims.Subject)?.Value;
        return clientId is { Length: > 0 } && (subject is null || subject == clientId) ? clientId : null;
    }

    /// <summary>
    /// Gives a registered system's token the organisation, roles and name configured for it, in place of any the
    /// token carries (our configuration, not the provider, decides what a partner may do here), and its client_id as
    /// user id and client id. An unregistered system is left as it is; without an organisation it is refused (403).
    /// </summary>
    public static void Apply(ClaimsPrincipal principal, AuthOptions options)
    {
        if (principal.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        if (SystemClientId(principal) is not { } clientId || !options.Clients.TryGetValue(clientId, out var client))
        {
            MapClaims(identity, options.ClaimMappings);
            return;
        }

        foreach (var claim in identity.Claims
                     .Where(c => c.Type is Claims.Organisation or Claims.Role or Claims.Name or Claims.Subject or Claims.ClientId)
                     .ToList())
        {
            identity.RemoveClaim(claim);
        }

        identity.AddClaim(new Claim(Claims.Subject, clientId));
        identity.AddClaim(new Claim(Claims.ClientId, clientId));
        identity.AddClaim(new Claim(Claims.Name, client.Name is { Length: > 0 } name ? name : clientId));
        identity.AddClaim(new Claim(Claims.Organisation, client.Organisation));
        foreach (var role in client.EffectiveRoles)
        {
            identity.AddClaim(new Claim(Claims.Role, role));
        }
    }

    /// <summary>
    /// Reads the organisation, roles and name from the claims <paramref name="mappings"/> name, in place of ours: what
    /// the provider says under that name is what counts, and a stray claim under our name must not stand beside it.
    /// </summary>
    private static void MapClaims(ClaimsIdentity identity, ClaimMappings mappings)
    {
        foreach (var (ours, theirs) in new[] { (Claims.Organisation, mappings.Organisation), (Claims.Role, mappings.Roles), (Claims.Name, mappings.Name) })
        {
            if (ours == theirs)
            {
                continue;
            }

            var values = identity.FindAll(theirs).Select(c => c.Value).ToList();
            foreach (var claim in identity.FindAll(ours).ToList())
            {
                identity.RemoveClaim(claim);
            }

            identity.AddClaims(values.Select(value => new Claim(ours, value)));
        }
    }

    /// <summary>Why an authenticated caller has no standing here: the 403's detail, with what an operator would check.</summary>
    public static string NoStanding(ClaimsPrincipal principal, AuthOptions options)
    {
        if (SystemClientId(principal) is { } clientId)
        {
            return $"The client '{clientId}' is not registered with this service (Auth:Clients:{clientId}) and its token names no organisation, so it acts for none.";
        }

        var client = principal.FindFirst(Claims.ClientId)?.Value ?? principal.FindFirst(Claims.AuthorisedParty)?.Value;
        return client is not null && options.Clients.ContainsKey(client)
            ? $"The token names a subject other than its client '{client}', so it is taken for a person's, and it names no organisation."
            : "The bearer token names no organisation.";
    }
}
