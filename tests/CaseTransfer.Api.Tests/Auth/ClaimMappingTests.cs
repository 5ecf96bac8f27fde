using System.Security.Claims;
using CaseTransfer.Api.Auth;

namespace CaseTransfer.Api.Tests.Auth;

/// <summary>Whose organisation and roles a validated token carries: a registered system's, a person's, or a provider's own claims.</summary>
public sealed class ClaimMappingTests
{
    private static readonly AuthOptions Options = new()
    {
        Clients = { ["nw-case-system"] = new PartnerClient { Organisation = "NPS-NW", Roles = ["allocator"], Name = "NW case system" } },
        ClaimMappings = new() { Organisation = "organisation_code", Roles = "groups" },
    };

    [Fact]
    public void A_registered_systems_configuration_wins_over_what_its_token_says()
    {
        var caller = Applied(("client_id", "nw-case-system"), ("sub", "nw-case-system"), ("organisation_code", "CRC-CGM"), ("groups", "admin"));

        Assert.Equal("NPS-NW", caller.FindFirst(Claims.Organisation)?.Value);
        Assert.Equal(["allocator"], caller.FindAll(Claims.Role).Select(c => c.Value));
        Assert.Equal("NW case system", caller.FindFirst(Claims.Name)?.Value);
    }

    [Fact]
    public void A_persons_token_through_a_registered_client_stays_the_persons()
    {
        var caller = Applied(("client_id", "nw-case-system"), ("sub", "nw-spo-01"), ("organisation_code", "NPS-NW"), ("groups", "case-manager"));

        Assert.Equal("nw-spo-01", caller.FindFirst(Claims.Subject)?.Value);
        Assert.Equal(["case-manager"], caller.FindAll(Claims.Role).Select(c => c.Value));
    }

    [Fact]
    public void A_stray_org_claim_does_not_stand_beside_the_mapped_one()
    {
        var caller = Applied(("sub", "cgm-po-02"), ("org", "NPS"), ("organisation_code", "CRC-CGM"));

        Assert.Equal(["CRC-CGM"], caller.FindAll(Claims.Organisation).Select(c => c.Value));
    }

    [Fact]
    public void An_unregistered_system_is_told_which_client_the_service_does_not_know() =>
        Assert.Contains("Auth:Clients:stranger", PartnerIdentity.NoStanding(Token(("client_id", "stranger"), ("sub", "stranger")), Options), StringComparison.Ordinal);

    private static ClaimsPrincipal Applied(params (string Type, string Value)[] claims)
    {
        var caller = Token(claims);
        PartnerIdentity.Apply(caller, Options);
        return caller;
    }

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer", Claims.Name, Claims.Role));
}
