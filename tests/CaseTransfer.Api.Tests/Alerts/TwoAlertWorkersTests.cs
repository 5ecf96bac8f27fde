using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Alerts;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Alerts;
using CaseTransfer.Domain.Common;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Alerts;

/// <summary>
/// Two instances of the service on one PostgreSQL database, each running alert passes at once: the lease lets one run
/// them, so each alert is raised once, with one event; when the holder stops renewing, the other takes over.
/// </summary>
public sealed class TwoAlertWorkersTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<string>> CasesWithLateRequirementsAsync(int count)
    {
        var nps = app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);
        var today = London.DateOf(DateTimeOffset.UtcNow);
        var crns = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var body = NewCase(NewCrn());
            body["requirements"] = new JsonArray(
                new JsonObject { ["type"] = "UnpaidWork", ["startDate"] = today.AddDays(-10).ToString("yyyy-MM-dd"), ["expectedEndDate"] = today.AddDays(200).ToString("yyyy-MM-dd") },
                new JsonObject { ["type"] = "Curfew", ["startDate"] = today.AddDays(-3).ToString("yyyy-MM-dd"), ["expectedEndDate"] = today.AddDays(100).ToString("yyyy-MM-dd") });
            var response = await nps.PostAsJsonAsync("/api/v1/cases", body, Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            crns.Add(body["crn"]!.GetValue<string>());
        }

        return crns;
    }

    private Task<(int Alerts, int Events)> CountAsync(List<string> crns) => app.InDatabaseAsync(async db =>
    {
        var parsed = crns.Select(Domain.Identifiers.Crn.Parse).ToList();
        var alerts = await db.Alerts.CountAsync(a => parsed.Contains(a.Crn) && a.Kind == AlertKinds.RequirementNotStarted, Ct);
        var events = await db.OutboxMessages.CountAsync(o => crns.Contains(o.Crn!) && o.EventType == "case-transfer.alert.raised", Ct);
        return (alerts, events);
    });

    [Fact]
    public async Task Two_instances_on_one_PostgreSQL_database_raise_each_alert_once()
    {
        var first = await CasesWithLateRequirementsAsync(12);
        await using var second = app.OnSameDatabase();

        for (var round = 0; round < 4; round++)
        {
            var kind = round % 2 == 0 ? AlertPassKind.Full : AlertPassKind.Incremental;
            var passes = await Task.WhenAll(app.RunAlertPassAsync(kind), second.RunAlertPassAsync(kind));
            Assert.True(passes.Count(p => p.Ran) == 1, $"round {round}: {passes.Count(p => p.Ran)} instances ran a pass");
        }

        Assert.Equal((24, 24), await CountAsync(first));

        // Only the holder runs passes while its lease is live; the other instance finds it held.
        var holder = await app.InDatabaseAsync(db => db.AlertLeases.AsNoTracking().SingleAsync(l => l.Name == AlertLease.JobName, Ct));
        Assert.NotNull(holder.Holder);
        var results = await Task.WhenAll(app.RunAlertPassAsync(), second.RunAlertPassAsync());
        Assert.Equal(1, results.Count(r => r.Ran));

        // The holder dies (its lease expires unrenewed): the other takes over and raises what is new, once.
        await app.InDatabaseAsync(db => db.AlertLeases.Where(l => l.Name == AlertLease.JobName)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)), Ct));
        var standby = results[0].Ran ? second : app;
        var former = results[0].Ran ? app : second;
        var later = await CasesWithLateRequirementsAsync(5);
        var takeover = await standby.RunAlertPassAsync();
        Assert.True(takeover.Ran);
        Assert.False((await former.RunAlertPassAsync()).Ran);
        await Task.WhenAll(standby.RunAlertPassAsync(), former.RunAlertPassAsync(), standby.RunAlertPassAsync(AlertPassKind.Incremental));
        Assert.Equal((10, 10), await CountAsync(later));
        Assert.Equal((24, 24), await CountAsync(first));
        var newHolder = await app.InDatabaseAsync(db => db.AlertLeases.AsNoTracking().SingleAsync(l => l.Name == AlertLease.JobName, Ct));
        Assert.NotEqual(holder.Holder, newHolder.Holder);
    }
}
