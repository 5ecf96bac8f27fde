using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Identifiers;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Disputes.DisputeScenario;

namespace CaseTransfer.Api.Tests.Disputes;

/// <summary>
/// A dispute's stage limits over HTTP, on a clock the tests set: a Local stage moves up by itself after five working
/// days (weekends and bank holidays not counted), as the system, once however many sweeps run; a Senior stage past
/// its limit stays Senior and is overdue.
/// </summary>
public abstract class DisputeDeadlineTests(EscalationClockApp app)
{
    private readonly DisputeScenario _scenario = new(app, app.Clock);

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private async Task<JsonObject> ReadAsync(JsonObject dispute) =>
        (await _scenario.ProviderManager().GetFromJsonAsync<JsonObject>($"/api/v1/disputes/{Id(dispute)}", Ct))!;

    private async Task<List<string>> OverdueAsync() =>
        [.. (await _scenario.NpsManager().GetFromJsonAsync<JsonObject>("/api/v1/disputes?overdue=true&limit=200", Ct))!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    [Fact]
    public async Task A_Local_stage_across_a_weekend_and_a_bank_holiday_moves_up_by_lapse_after_five_working_days_not_before()
    {
        // Thursday 29 April 2027 (BST): the weekend and the May Day bank holiday (Monday 3 May) do not count; the fifth
        // working day is Friday 7 May, which ends at 23:00 UTC.
        app.Clock.Set(Utc(2027, 4, 29, 10));
        var dispute = await _scenario.DisputedDeclineAsync();
        Assert.Equal(Utc(2027, 5, 7, 23), dispute["stageDueBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal("2027-05-08T00:00:00+01:00", dispute["stageDueByLondon"]!.GetValue<string>());

        foreach (var notYet in new[] { Utc(2027, 5, 3, 12), Utc(2027, 5, 6, 23, 30), Utc(2027, 5, 7, 22, 59), Utc(2027, 5, 7, 23) })
        {
            app.Clock.Set(notYet);
            await _scenario.SweepAsync();
            var read = await ReadAsync(dispute);
            Assert.Equal("Local", Stage(read));
            Assert.False(read["overdue"]!.GetValue<bool>(), $"overdue at {notYet:O}");
        }

        app.Clock.Set(Utc(2027, 5, 7, 23, 1));
        Assert.Contains(Id(dispute), await OverdueAsync());
        Assert.True((await _scenario.SweepAsync()).Moved >= 1);

        var moved = await ReadAsync(dispute);
        Assert.Equal(("Senior", "Lapse"), (Stage(moved), moved["stageReachedBy"]!.GetValue<string>()));
        Assert.Equal(Utc(2027, 5, 7, 23, 1), moved["stageEnteredAt"]!.GetValue<DateTimeOffset>());

        // Ten working days after Saturday 8 May (London's date at 00:01 BST): the end of Friday 21 May.
        Assert.Equal(Utc(2027, 5, 21, 23), moved["stageDueBy"]!.GetValue<DateTimeOffset>());
        Assert.False(moved["overdue"]!.GetValue<bool>());
        Assert.Null(moved["links"]!["moveUp"]);
        var change = moved["stageChanges"]!.AsArray()[1]!;
        Assert.Equal(("Local", "Senior", "Lapse", "system"), (change["from"]!.GetValue<string>(), change["to"]!.GetValue<string>(), change["cause"]!.GetValue<string>(), change["by"]!.GetValue<string>()));
        Assert.Contains("case-transfer.dispute.stage-lapsed", await _scenario.EventsAsync(CrnOf(dispute)));
        var entry = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Crn == (Crn?)Crn.Parse(CrnOf(dispute)) && e.Action == "LapseDisputeStage", Ct));
        Assert.Equal(("system", AuditOperation.Alteration, "dispute"), (entry.ActorUserId, entry.Operation, entry.ResourceType));
        Assert.Contains("(Lapse)", entry.Summary, StringComparison.Ordinal);

        // Past the Senior limit it stays Senior, overdue: nothing moves it further.
        app.Clock.Set(Utc(2027, 5, 24, 8));
        await _scenario.SweepAsync();
        var overdue = await ReadAsync(dispute);
        Assert.Equal("Senior", Stage(overdue));
        Assert.True(overdue["overdue"]!.GetValue<bool>());
        Assert.Equal(2, overdue["stageChanges"]!.AsArray().Count);
        Assert.Contains(Id(dispute), await OverdueAsync());
    }

    [Fact]
    public async Task A_lapsed_stage_alerts_both_parties_once_until_the_dispute_is_resolved()
    {
        app.Clock.Set(Utc(2027, 4, 29, 10));
        var dispute = await _scenario.DisputedDeclineAsync();
        var crn = CrnOf(dispute);
        async Task<List<JsonObject>> AlertsAsync(HttpClient party) =>
            [.. (await party.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?crn={crn}&kind=dispute-stage-overdue&limit=50", Ct))!["items"]!.AsArray().Select(a => a!.AsObject())];

        // On time: nothing to say.
        app.Clock.Set(Utc(2027, 5, 7, 22, 59));
        await app.RunAlertPassAsync();
        Assert.Empty(await AlertsAsync(_scenario.NpsManager()));

        // The Local stage lapses and moves up: each party is told once, from the move, with the Senior stage's deadline.
        app.Clock.Set(Utc(2027, 5, 7, 23, 1));
        await _scenario.SweepAsync();
        await app.RunAlertPassAsync();
        foreach (var party in new[] { _scenario.NpsManager(), _scenario.ProviderManager() })
        {
            var alert = Assert.Single(await AlertsAsync(party));
            Assert.Equal(("Open", Id(dispute)), (alert["state"]!.GetValue<string>(), alert["subjectId"]!.GetValue<string>()));
            Assert.Equal(Utc(2027, 5, 7, 23, 1), alert["since"]!.GetValue<DateTimeOffset>());
            Assert.Equal(Utc(2027, 5, 21, 23), alert["deadline"]!.GetValue<DateTimeOffset>());
        }

        // Past the Senior limit too: still the one alert each, not a second.
        app.Clock.Set(Utc(2027, 5, 24, 8));
        await app.RunAlertPassAsync();
        Assert.Single(await AlertsAsync(_scenario.ProviderManager()));

        // Resolved: the condition clears, and so do the alerts.
        var senior = await ReadAsync(dispute);
        await DoneAsync(await _scenario.NpsHead().SendAsync(
            Post(Act(senior, "resolve"), new { outcome = "NotUpheld", text = "The decline stands" }, $"\"{senior["version"]}\""), Ct));
        await app.RunAlertPassAsync();
        foreach (var party in new[] { _scenario.NpsManager(), _scenario.ProviderManager() })
        {
            var alert = Assert.Single(await AlertsAsync(party));
            Assert.Equal("Resolved", alert["state"]!.GetValue<string>());
            Assert.True(alert["clearedBySystem"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Two_sweeps_at_once_move_a_lapsed_stage_once()
    {
        // Monday 7 June 2027: due by the end of Monday 14 June.
        app.Clock.Set(Utc(2027, 6, 7, 9));
        var dispute = await _scenario.DisputedDeclineAsync();
        Assert.Equal(Utc(2027, 6, 14, 23), dispute["stageDueBy"]!.GetValue<DateTimeOffset>());
        app.Clock.Set(Utc(2027, 6, 15, 8));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(_scenario.SweepAsync, Ct)));

        Assert.True(results.Sum(r => r.Moved) >= 1);
        var crn = Crn.Parse(CrnOf(dispute));
        var (entries, events) = await app.InDatabaseAsync(async db => (
            await db.AuditEntries.CountAsync(e => e.Crn == (Crn?)crn && e.Action == "LapseDisputeStage", Ct),
            await db.OutboxMessages.CountAsync(o => o.Crn == crn.Value && o.EventType == "case-transfer.dispute.stage-lapsed", Ct)));
        Assert.Equal((1, 1), (entries, events));
        var read = await ReadAsync(dispute);
        Assert.Equal(("Senior", 2), (Stage(read), read["stageChanges"]!.AsArray().Count));
    }

    [Fact]
    public async Task A_stage_moved_up_on_request_is_not_moved_again_by_the_sweep()
    {
        app.Clock.Set(Utc(2027, 9, 6, 9));
        var dispute = await _scenario.DisputedDeclineAsync();
        await DoneAsync(await _scenario.NpsManager().SendAsync(Post($"/api/v1/disputes/{Id(dispute)}/move-up", null), Ct));

        app.Clock.Set(Utc(2027, 9, 14, 9));
        await _scenario.SweepAsync();

        var read = await ReadAsync(dispute);
        Assert.Equal(("Senior", "Request"), (Stage(read), read["stageReachedBy"]!.GetValue<string>()));
        Assert.Equal(2, read["stageChanges"]!.AsArray().Count);
    }
}

public sealed class DisputeDeadlineTestsOnSqlite(SqliteEscalationClockApp app) : DisputeDeadlineTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class DisputeDeadlineTestsOnPostgres(PostgresEscalationClockApp app) : DisputeDeadlineTests(app), IClassFixture<PostgresEscalationClockApp>;
