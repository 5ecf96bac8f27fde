using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Domain.Auditing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static CaseTransfer.Api.Tests.Escalations.EscalationScenario;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Escalations;

/// <summary>
/// A clock the tests set to any instant, forwards or back, and which stands still between settings: each deadline
/// test starts at its own instant (a Sunday night, the night the clocks change) whatever the others did, and reads
/// exact deadlines back.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Set(DateTimeOffset instant)
    {
        lock (_lock)
        {
            _now = instant.ToUniversalTime();
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }
}

/// <summary>The service on a <see cref="MovableClock"/>, with the default escalation settings. Its own fixture: setting the clock must not disturb other tests.</summary>
public abstract class EscalationClockApp(Engine engine, CaseTransfer.Application.Documents.DocumentStoreKind documentStore = CaseTransfer.Application.Documents.DocumentStoreKind.Disk)
    : CaseTransferApp(engine, documentStore)
{
    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}

public sealed class SqliteEscalationClockApp() : EscalationClockApp(Engine.Sqlite);

public sealed class PostgresEscalationClockApp() : EscalationClockApp(Engine.Postgres);

/// <summary>The movable clock on SQLite, with documents kept in Azure Blob Storage (a throwaway Azurite).</summary>
public sealed class SqliteAzureBlobClockApp() : EscalationClockApp(Engine.Sqlite, CaseTransfer.Application.Documents.DocumentStoreKind.AzureBlob);

/// <summary>
/// Deadlines that never sleep, over HTTP: an emergency is acknowledged within an hour by the clock, nights, weekends
/// and the change to summer time included; a standard one decided within five working days; the provider's sight of
/// a case it handed over ends with the handover period.
/// </summary>
public abstract class EscalationDeadlineTests(EscalationClockApp app)
{
    private readonly EscalationScenario _scenario = new(app, app.Clock);

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private async Task<List<string>> OverdueAsync(HttpClient client, bool overdue = true)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/escalations?overdue={(overdue ? "true" : "false")}&limit=200", Ct);
        return [.. page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }

    private async Task<bool> IsOverdueAsync(JsonObject escalation) =>
        (await _scenario.Decider().GetFromJsonAsync<JsonObject>($"/api/v1/escalations/{Id(escalation)}", Ct))!["overdue"]!.GetValue<bool>();

    [Fact]
    public async Task An_emergency_requested_at_two_on_a_Sunday_morning_is_overdue_at_three_not_on_Monday()
    {
        app.Clock.Set(Utc(2027, 1, 10, 2));
        var escalation = await _scenario.RequestedAsync("Emergency");

        Assert.Equal(Utc(2027, 1, 10, 3), escalation["acknowledgeBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal("2027-01-10T03:00:00+00:00", escalation["acknowledgeByLondon"]!.GetValue<string>());
        Assert.Null(escalation["decideBy"]);
        Assert.Null(escalation["decideByLondon"]);

        app.Clock.Set(Utc(2027, 1, 10, 2, 59));
        Assert.False(await IsOverdueAsync(escalation));
        Assert.DoesNotContain(Id(escalation), await OverdueAsync(_scenario.Decider()));

        app.Clock.Set(Utc(2027, 1, 10, 3, 1));
        Assert.True(await IsOverdueAsync(escalation));
        Assert.Contains(Id(escalation), await OverdueAsync(_scenario.Decider()));
        Assert.Contains(Id(escalation), await OverdueAsync(_scenario.Provider()));
        Assert.DoesNotContain(Id(escalation), await OverdueAsync(_scenario.Decider(), overdue: false));

        // Acknowledging late is still allowed, and stops the clock: the deadline flags the delay.
        await DoneAsync(await _scenario.Decider().SendAsync(Post(Act(escalation, "acknowledge"), null), Ct));
        Assert.DoesNotContain(Id(escalation), await OverdueAsync(_scenario.Decider()));
        Assert.Contains(Id(escalation), await OverdueAsync(_scenario.Decider(), overdue: false));
    }

    [Fact]
    public async Task An_emergency_requested_at_half_past_midnight_on_the_last_Sunday_of_March_is_overdue_after_one_elapsed_hour()
    {
        // Clocks go forward at 01:00 UTC on 28 March 2027: one hour after 00:30 GMT is 02:30 BST, not 03:30.
        app.Clock.Set(Utc(2027, 3, 28, 0, 30));
        var escalation = await _scenario.RequestedAsync("Emergency");

        Assert.Equal(Utc(2027, 3, 28, 1, 30), escalation["acknowledgeBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal("2027-03-28T02:30:00+01:00", escalation["acknowledgeByLondon"]!.GetValue<string>());

        app.Clock.Set(Utc(2027, 3, 28, 1, 29));
        Assert.False(await IsOverdueAsync(escalation));
        app.Clock.Set(Utc(2027, 3, 28, 1, 31));
        Assert.True(await IsOverdueAsync(escalation));
        Assert.Contains(Id(escalation), await OverdueAsync(_scenario.Decider()));
    }

    [Fact]
    public async Task A_standard_escalation_is_due_five_working_days_on_across_a_weekend_and_a_bank_holiday()
    {
        // Thursday 29 April 2027, 10:00 BST. Monday 3 May is a bank holiday: Fri 30, Tue 4, Wed 5, Thu 6, Fri 7.
        app.Clock.Set(Utc(2027, 4, 29, 9));
        var escalation = await _scenario.RequestedAsync("Standard");

        Assert.Null(escalation["acknowledgeBy"]);
        Assert.Equal(Utc(2027, 5, 7, 23), escalation["decideBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal("2027-05-08T00:00:00+01:00", escalation["decideByLondon"]!.GetValue<string>());

        app.Clock.Set(Utc(2027, 5, 3, 12));
        await DoneAsync(await _scenario.Decider().SendAsync(Post(Act(escalation, "acknowledge"), null), Ct));
        app.Clock.Set(Utc(2027, 5, 7, 22, 59));
        Assert.False(await IsOverdueAsync(escalation));

        // Acknowledged is not decided: a standard escalation's clock runs until the decision.
        app.Clock.Set(Utc(2027, 5, 7, 23, 1));
        Assert.True(await IsOverdueAsync(escalation));
        Assert.Contains(Id(escalation), await OverdueAsync(_scenario.Provider()));

        await DoneAsync(await _scenario.Decider().SendAsync(Post(Act(escalation, "decline"), new { reason = "ThresholdNotMet" }), Ct));
        Assert.False(await IsOverdueAsync(escalation));
    }

    [Fact]
    public async Task The_providers_read_only_sight_of_an_accepted_case_ends_with_the_handover_period()
    {
        app.Clock.Set(Utc(2027, 6, 1, 9));
        var escalation = await _scenario.AcknowledgedAsync();
        var crn = EscalationScenario.Crn(escalation);
        app.Clock.Set(Utc(2027, 6, 2, 15));
        var accepted = await DoneAsync(await _scenario.Decider().SendAsync(Post(Act(escalation, "accept"), Acceptance()), Ct));
        Assert.Equal(Utc(2027, 6, 16, 15), accepted["handoverUntil"]!.GetValue<DateTimeOffset>());
        var provider = _scenario.Provider();

        app.Clock.Set(Utc(2027, 6, 16, 14, 59));
        var summary = await provider.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{crn}", Ct);
        Assert.Equal(Utc(2027, 6, 16, 15), summary!["readOnlyUntil"]!.GetValue<DateTimeOffset>());
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/api/v1/cases/{crn}/risk-assessments", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/api/v1/cases/{crn}/holders", Ct)).StatusCode);

        app.Clock.Set(Utc(2027, 6, 16, 15));
        await AssertProblemAsync(await provider.GetAsync($"/api/v1/cases/{crn}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await provider.GetAsync($"/api/v1/cases/{crn}/risk-assessments", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await provider.GetAsync($"/api/v1/cases/{crn}/holders", Ct), HttpStatusCode.NotFound);

        // The provider's own escalation stays readable: it asked.
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/api/v1/escalations/{Id(escalation)}", Ct)).StatusCode);
        var reads = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Crn == (Domain.Identifiers.Crn?)Domain.Identifiers.Crn.Parse(crn) && e.ActorOrganisation == CrcGreaterManchester && e.Operation == AuditOperation.Consultation)
            .Select(e => e.Action)
            .ToListAsync(Ct));
        Assert.Superset(new HashSet<string> { "GetCaseSummary", "GetRiskAssessments", "GetCaseHolders" }, reads.ToHashSet());
    }
}

public sealed class EscalationDeadlineTestsOnSqlite(SqliteEscalationClockApp app) : EscalationDeadlineTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class EscalationDeadlineTestsOnPostgres(PostgresEscalationClockApp app) : EscalationDeadlineTests(app), IClassFixture<PostgresEscalationClockApp>;
