using CaseTransfer.Api.Auth;

namespace CaseTransfer.Api.Tests.Auth;

/// <summary>The service refuses to start on authentication settings it could not honour, naming the one at fault.</summary>
public sealed class AuthSettingsTests
{
    public static TheoryData<string, AuthOptions> BadSettings => new()
    {
        { "Auth:Clients:nw-case-system:Organisation", WithClient(new PartnerClient { Roles = ["allocator"] }) },
        { "Auth:Clients:nw-case-system:Roles", WithClient(new PartnerClient { Organisation = "NPS-NW", Roles = ["allocator", "superuser"] }) },
        { "Auth:ClaimMappings:Organisation", new AuthOptions { ClaimMappings = new() { Organisation = " " } } },
        { "Auth:Audience", new AuthOptions { Audience = "" } },
        { "Auth:ClockSkewSeconds", new AuthOptions { ClockSkewSeconds = -1 } },
        { "Auth:KeyRefreshMinimumSeconds", new AuthOptions { KeyRefreshMinimumSeconds = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_refused_at_start_naming_it(string setting, AuthOptions options) =>
        Assert.Contains(setting, Assert.Throws<InvalidOperationException>(() => options.Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void A_partner_system_registered_without_roles_has_the_partner_system_role() =>
        Assert.Equal(["partner-system"], WithClient(new PartnerClient { Organisation = "NPS-NW" }).Validate().Clients["nw-case-system"].EffectiveRoles);

    private static AuthOptions WithClient(PartnerClient client) => new() { Clients = { ["nw-case-system"] = client } };
}
