using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Organisations;

/// <summary>The organisations and the areas they cover, as reference data for partner systems. Runs once per engine.</summary>
public abstract class OrganisationTests(CaseTransferApp app)
{
    [Fact]
    public async Task Each_area_is_covered_by_an_NPS_region_and_a_provider()
    {
        var organisations = await app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager)
            .GetFromJsonAsync<JsonArray>("/api/v1/organisations", TestContext.Current.CancellationToken);

        var provider = organisations!.Single(o => (string?)o!["code"] == CrcGreaterManchester)!;
        Assert.Equal("Provider", (string?)provider["kind"]);
        var greaterManchester = provider["areas"]!.AsArray().Single(a => (string?)a!["code"] == "GMAN")!;
        Assert.Equal(NpsNorthWest, (string?)greaterManchester["npsRegionCode"]);
        Assert.Equal(CrcGreaterManchester, (string?)greaterManchester["providerCode"]);
    }
}

public sealed class OrganisationTestsOnSqlite(SqliteApp app) : OrganisationTests(app), IClassFixture<SqliteApp>;

public sealed class OrganisationTestsOnPostgres(PostgresApp app) : OrganisationTests(app), IClassFixture<PostgresApp>;
