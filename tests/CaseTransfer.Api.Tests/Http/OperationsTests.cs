using System.Net;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Http;

/// <summary>What operators and load balancers rely on: health probes, and problem details even where no endpoint answers.</summary>
public abstract class OperationsTests(CaseTransferApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_probes_answer_200_without_a_token(string path)
    {
        var response = await app.AnonymousClient().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/api/v1/cases/X123456/no-such-thing")]
    public async Task An_unknown_route_under_the_API_is_a_problem_details_404(string path)
    {
        var anonymous = await app.AnonymousClient().GetAsync(path, Ct);
        var signedIn = await app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator).GetAsync(path, Ct);

        await AssertProblemAsync(anonymous, HttpStatusCode.NotFound);
        var problem = await AssertProblemAsync(signedIn, HttpStatusCode.NotFound);
        Assert.Equal(path, problem["instance"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_method_a_route_does_not_take_is_a_problem_details_405()
    {
        var response = await app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator).DeleteAsync("/api/v1/cases/X123456", Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Contains("DELETE", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_problem_details_body_carries_the_trace_id_of_the_request()
    {
        var response = await app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator).GetAsync("/api/v1/cases/Y000002", Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        var traceId = problem["traceId"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.NotEqual(new string('0', 32), traceId);
    }

    [Fact]
    public async Task Each_request_has_its_own_trace_id()
    {
        var client = app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator);

        var first = await AssertProblemAsync(await client.GetAsync("/api/v1/cases/Y000003", Ct), HttpStatusCode.NotFound);
        var second = await AssertProblemAsync(await client.GetAsync("/api/v1/cases/Y000003", Ct), HttpStatusCode.NotFound);

        Assert.NotEqual(first["traceId"]!.GetValue<string>(), second["traceId"]!.GetValue<string>());
    }
}

public sealed class OperationsTestsOnSqlite(SqliteApp app) : OperationsTests(app), IClassFixture<SqliteApp>;

public sealed class OperationsTestsOnPostgres(PostgresApp app) : OperationsTests(app), IClassFixture<PostgresApp>;
