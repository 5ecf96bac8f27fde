using System.Net;
using System.Net.Http.Json;
using CaseTransfer.Api.Tests.Infrastructure;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Auth;

/// <summary>
/// Partner systems calling with their own client-credentials tokens from a real OpenID Connect provider
/// (<see cref="OidcProvider"/>): the service finds the provider's keys by discovery, takes the organisation, roles and
/// name from its own <c>Auth:Clients</c> configuration, and records the client in the audit log.
/// </summary>
public sealed class PartnerIdentityTests(PartnerIdentityTests.PartnerWorld world) : IClassFixture<PartnerIdentityTests.PartnerWorld>
{
    private const string NorthWestCaseSystem = "nw-case-system";
    private const string NorthWestCaseSystemName = "NPS North West case management system";
    private const string PartnerRoleOnlySystem = "intake-system";
    private const string ShortLivedSystem = "short-lived-system";
    private const string UnregisteredSystem = "unregistered-system";

    // Not registered here, but described by the provider in claims of its own naming (Auth:ClaimMappings).
    private const string DescribedSystem = "described-system";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_partner_system_acts_for_the_organisation_and_with_the_roles_it_is_registered_with_and_its_client_is_audited()
    {
        var (provider, app) = world.Started();
        var client = await PartnerAsync(app, provider, NorthWestCaseSystem);

        var organisations = await client.GetAsync("/api/v1/organisations", Cancellation);
        Assert.Equal(HttpStatusCode.OK, organisations.StatusCode);
        var crn = NewCrn();
        var opened = await client.PostAsJsonAsync("/api/v1/cases", NewCase(crn), Cancellation);

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var summary = await (await client.GetAsync($"/api/v1/cases/{crn}", Cancellation)).ReadJsonAsync();
        Assert.Equal(NpsNorthWest, summary["holder"]!["code"]!.GetValue<string>());
        var entry = await CaseOpeningAuditedAsync(app, crn);
        Assert.Equal(NorthWestCaseSystem, entry.ClientId);
        Assert.Equal(NorthWestCaseSystem, entry.ActorUserId);
        Assert.Equal(NorthWestCaseSystemName, entry.ActorUserName);
        Assert.Equal(NpsNorthWest, entry.ActorOrganisation);
    }

    [Fact]
    public async Task A_partner_system_registered_without_roles_acts_as_a_partner_system_and_no_more()
    {
        var (provider, app) = world.Started();
        var client = await PartnerAsync(app, provider, PartnerRoleOnlySystem);
        var crn = NewCrn();

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/cases", NewCase(crn), Cancellation)).StatusCode);
        var assigned = await client.PostAsJsonAsync($"/api/v1/cases/{crn}/responsible-officer", new { practitionerId = PriyaPatelNpsNw }, Cancellation);

        var problem = await Problems.AssertProblemAsync(assigned, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains(Application.Common.Roles.CaseManager, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_the_configuration_does_not_know_is_forbidden_though_its_token_is_valid()
    {
        var (provider, app) = world.Started();
        var client = await PartnerAsync(app, provider, UnregisteredSystem);

        var response = await client.GetAsync("/api/v1/organisations", Cancellation);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains(UnregisteredSystem, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_system_the_provider_describes_acts_as_the_claims_named_in_the_mappings_say()
    {
        var (provider, app) = world.Started();
        var client = await PartnerAsync(app, provider, DescribedSystem);
        var crn = NewCrn();

        var opened = await client.PostAsJsonAsync("/api/v1/cases", NewCase(crn), Cancellation);

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var entry = await CaseOpeningAuditedAsync(app, crn);
        Assert.Equal(NpsNorthWest, entry.ActorOrganisation);
        Assert.Equal(DescribedSystem, entry.ClientId);
        Assert.Equal("Described intake", entry.ActorUserName);
    }

    [Fact]
    public async Task After_the_provider_rotates_its_keys_a_token_signed_with_the_new_key_is_accepted_without_a_restart()
    {
        // A provider and service of its own: the rotation must not change the keys under the other tests.
        OidcProvider.RequireOrSkip();
        await using var provider = await StartProviderAsync();
        await using var app = await StartServiceAsync(provider);
        var before = await PartnerAsync(app, provider, NorthWestCaseSystem);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/v1/organisations", Cancellation)).StatusCode);
        var oldKey = KeyIdOf(await provider.TokenForAsync(NorthWestCaseSystem));

        await provider.RotateKeysAsync();
        var token = await provider.TokenForAsync(NorthWestCaseSystem);

        Assert.NotEqual(oldKey, KeyIdOf(token));
        Assert.Equal([KeyIdOf(token), oldKey], await provider.PublishedKeyIdsAsync());
        var after = Bearer(app.AnonymousClient(), token);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/v1/organisations", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/v1/organisations", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_as_expired()
    {
        var (provider, app) = world.Started();
        var client = await PartnerAsync(app, provider, ShortLivedSystem);
        var token = Jwt(client.DefaultRequestHeaders.Authorization!.Parameter!);

        // Past its one-second lifetime and the service's one-second clock skew.
        var wait = token.ValidTo.AddSeconds(2) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Cancellation);
        }

        var response = await client.GetAsync("/api/v1/organisations", Cancellation);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("expired", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_provider_issued_for_another_service_is_refused()
    {
        var (provider, app) = world.Started();
        var token = await provider.TokenForAsync(NorthWestCaseSystem, OidcProvider.OtherResource);
        Assert.Equal([OidcProvider.OtherResource], Jwt(token).Audiences);

        var response = await Bearer(app.AnonymousClient(), token).GetAsync("/api/v1/organisations", Cancellation);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task The_service_finds_the_providers_keys_through_its_discovery_document()
    {
        var (provider, app) = world.Started();
        using var http = new HttpClient();

        var discovery = await http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(provider.Authority + "/.well-known/openid-configuration", Cancellation);

        Assert.Equal(provider.Authority, discovery!["issuer"]!.GetValue<string>());
        Assert.Contains("client_credentials", discovery["grant_types_supported"]!.AsArray().Select(g => g!.GetValue<string>()));
        var token = Jwt(await provider.TokenForAsync(NorthWestCaseSystem));
        Assert.Equal(provider.Authority, token.Issuer);
        Assert.Contains(token.Kid, await provider.PublishedKeyIdsAsync());
        var client = await PartnerAsync(app, provider, NorthWestCaseSystem);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organisations", Cancellation)).StatusCode);
    }

    /// <summary>One provider and one service trusting it, shared by the tests that leave the provider's keys alone.</summary>
    public sealed class PartnerWorld : IAsyncLifetime
    {
        private OidcProvider? _provider;
        private CaseTransferApp? _app;

        /// <summary>The running provider and service; skips the test (or fails it, where required) without oidc-provider.</summary>
        public (OidcProvider Provider, CaseTransferApp App) Started()
        {
            OidcProvider.RequireOrSkip();
            return (_provider!, _app!);
        }

        public async ValueTask InitializeAsync()
        {
            if (OidcProvider.UnavailableReason is not null)
            {
                return;
            }

            _provider = await StartProviderAsync();
            _app = await StartServiceAsync(_provider);
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            if (_provider is not null)
            {
                await _provider.DisposeAsync();
            }
        }
    }

    private static Task<OidcProvider> StartProviderAsync() =>
        OidcProvider.StartAsync(
            [NorthWestCaseSystem, PartnerRoleOnlySystem, ShortLivedSystem, UnregisteredSystem, DescribedSystem],
            TimeSpan.FromMinutes(10),
            shortLivedClient: ShortLivedSystem,
            extraClaims: new Dictionary<string, Dictionary<string, object>>
            {
                [DescribedSystem] = new()
                {
                    ["organisation_code"] = NpsNorthWest,
                    ["groups"] = new[] { Application.Common.Roles.Allocator },
                    ["display_name"] = "Described intake",
                },
            });

    /// <summary>The service trusting only the provider: no shared signing key, the resource indicator as audience.</summary>
    private static async Task<CaseTransferApp> StartServiceAsync(OidcProvider provider)
    {
        var app = new ConfiguredApp(Engine.Sqlite, new Dictionary<string, string>
        {
            ["Auth:Authority"] = provider.Authority,
            ["Auth:SigningKey"] = "",
            ["Auth:Audience"] = OidcProvider.Resource,
            ["Auth:ClockSkewSeconds"] = "1",
            [$"Auth:Clients:{NorthWestCaseSystem}:Organisation"] = NpsNorthWest,
            [$"Auth:Clients:{NorthWestCaseSystem}:Name"] = NorthWestCaseSystemName,
            [$"Auth:Clients:{NorthWestCaseSystem}:Roles:0"] = Application.Common.Roles.Allocator,
            [$"Auth:Clients:{NorthWestCaseSystem}:Roles:1"] = Application.Common.Roles.CaseManager,
            [$"Auth:Clients:{PartnerRoleOnlySystem}:Organisation"] = NpsNorthWest,
            [$"Auth:Clients:{ShortLivedSystem}:Organisation"] = NpsNorthWest,
            ["Auth:ClaimMappings:Organisation"] = "organisation_code",
            ["Auth:ClaimMappings:Roles"] = "groups",
            ["Auth:ClaimMappings:Name"] = "display_name",
        });
        await app.InitializeAsync();
        return app;
    }

    private static async Task<HttpClient> PartnerAsync(CaseTransferApp app, OidcProvider provider, string clientId) =>
        Bearer(app.AnonymousClient(), await provider.TokenForAsync(clientId));

    private static HttpClient Bearer(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string KeyIdOf(string token) => Jwt(token).Kid;

    private static Microsoft.IdentityModel.JsonWebTokens.JsonWebToken Jwt(string token) => new(token);

    private static Task<Domain.Auditing.AuditEntry> CaseOpeningAuditedAsync(CaseTransferApp app, string crn)
    {
        var opened = Domain.Identifiers.Crn.Parse(crn);
        return app.InDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.AuditEntries, a => a.Crn == (Domain.Identifiers.Crn?)opened && a.Action == "CreateCase", Cancellation));
    }
}
