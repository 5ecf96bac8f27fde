using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Allocations;

/// <summary>
/// The service on a clock the tests move, with a two-working-day deadline configured, so a provider's deadline can
/// pass without waiting for it. Its own fixture: moving the clock must not disturb other tests.
/// </summary>
public abstract class ClockedApp(Engine engine) : CaseTransferApp(engine)
{
    public const int DecisionWorkingDays = 2;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Allocation:DecisionWorkingDays", DecisionWorkingDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}

public sealed class SqliteClockedApp() : ClockedApp(Engine.Sqlite);

public sealed class PostgresClockedApp() : ClockedApp(Engine.Postgres);

/// <summary>A provider must decide within the configured working days; past that the allocation is listed as overdue.</summary>
public abstract class AllocationDeadlineTests(ClockedApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private HttpClient Provider() => app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    private async Task<JsonObject> ProposedAsync(HttpClient nps)
    {
        var crn = await CreateCaseAsync(nps);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        var response = await nps.PostAsJsonAsync("/api/v1/allocations", new { crn, toOrganisation = CrcGreaterManchester, reason = "TransferIn" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static DateTimeOffset Instant(JsonObject allocation, string field) => allocation[field]!.GetValue<DateTimeOffset>();

    private async Task<List<string>> OverdueAsync(HttpClient client, bool overdue = true)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/allocations?overdue={(overdue ? "true" : "false")}&limit=200", Ct);
        return [.. page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }

    [Fact]
    public async Task A_proposal_is_due_at_the_end_of_the_configured_working_days_after_it_was_sent()
    {
        var allocation = await ProposedAsync(NpsAllocator());

        Assert.Equal(WorkingDays.DueBy(Instant(allocation, "sentAt"), ClockedApp.DecisionWorkingDays), Instant(allocation, "dueBy"));
        Assert.False(allocation["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Past_its_deadline_an_undecided_allocation_is_listed_as_overdue_to_both_sides_and_a_decided_one_is_not()
    {
        var nps = NpsAllocator();
        var waiting = await ProposedAsync(nps);
        var decided = await ProposedAsync(nps);
        (await Provider().PostAsJsonAsync($"/api/v1/allocations/{decided["id"]}/reject", new { reason = "InsufficientInformation" }, Ct)).EnsureSuccessStatusCode();
        var id = waiting["id"]!.GetValue<string>();
        Assert.DoesNotContain(id, await OverdueAsync(nps));

        app.Clock.SetUtcNow(Instant(waiting, "dueBy").AddMinutes(1));

        Assert.Contains(id, await OverdueAsync(nps));
        Assert.Contains(id, await OverdueAsync(Provider()));
        Assert.DoesNotContain(decided["id"]!.GetValue<string>(), await OverdueAsync(nps));
        Assert.DoesNotContain(id, await OverdueAsync(nps, overdue: false));
        Assert.Contains(decided["id"]!.GetValue<string>(), await OverdueAsync(nps, overdue: false));
        var read = await Provider().GetFromJsonAsync<JsonObject>($"/api/v1/allocations/{id}", Ct);
        Assert.True(read!["overdue"]!.GetValue<bool>());

        // Late is still allowed: the deadline flags the delay, it does not take the decision away.
        (await Provider().PostAsJsonAsync($"/api/v1/allocations/{id}/accept", new { responsibleOfficerId = TomRileyCrcCgm }, Ct)).EnsureSuccessStatusCode();
        Assert.DoesNotContain(id, await OverdueAsync(nps));
    }
}

public sealed class AllocationDeadlineTestsOnSqlite(SqliteClockedApp app) : AllocationDeadlineTests(app), IClassFixture<SqliteClockedApp>;

public sealed class AllocationDeadlineTestsOnPostgres(PostgresClockedApp app) : AllocationDeadlineTests(app), IClassFixture<PostgresClockedApp>;
