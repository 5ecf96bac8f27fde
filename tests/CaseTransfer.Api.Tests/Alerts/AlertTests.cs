using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Alerts;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Alerts;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Escalations.EscalationScenario;
using static CaseTransfer.Api.Tests.Infrastructure.Problems;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Alerts;

/// <summary>
/// Alerts that never sleep, over HTTP: every kind raised by the job when its condition holds and cleared by it when the
/// condition clears, never twice for one condition, acknowledged and resolved by the organisation that must act (and
/// by no one else), shown under the case's pending work.
/// </summary>
public abstract class AlertTests(EscalationClockApp app)
{
    private readonly EscalationScenario _scenario = new(app, app.Clock);

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private HttpClient Nps() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    private HttpClient Manager(string organisation) => app.ClientFor(organisation, $"{organisation.ToLowerInvariant()}-manager", Roles.Manager, Roles.CaseManager);

    private Task PassAsync(AlertPassKind kind = AlertPassKind.Full) => app.RunAlertPassAsync(kind);

    /// <summary>The alerts <paramref name="client"/>'s organisation sees on the case, in every state, optionally of one kind.</summary>
    private static async Task<List<JsonObject>> AlertsAsync(HttpClient client, string crn, string? kind = null)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?crn={crn}{(kind is null ? "" : $"&kind={kind}")}&limit=200", Ct);
        return [.. page!["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private static async Task<List<JsonObject>> UnresolvedAsync(HttpClient client, string crn, string? kind = null) =>
        [.. (await AlertsAsync(client, crn, kind)).Where(a => a["state"]!.GetValue<string>() != "Resolved")];

    private static void AssertClearedBySystem(JsonObject alert)
    {
        Assert.Equal("Resolved", alert["state"]!.GetValue<string>());
        Assert.True(alert["clearedBySystem"]!.GetValue<bool>());
        Assert.Equal(Alert.SystemActor, alert["resolvedBy"]!.GetValue<string>());
        Assert.NotNull(alert["resolvedAt"]);
    }

    private Task<int> RaisedEventsAsync(string crn) =>
        app.InDatabaseAsync(db => db.OutboxMessages.CountAsync(o => o.Crn == crn && o.EventType == "case-transfer.alert.raised", Ct));

    private static JsonObject CaseWith(string crn, JsonArray requirements, string? expectedEndDate = null)
    {
        var body = NewCase(crn);
        body["requirements"] = requirements;
        if (expectedEndDate is not null)
        {
            body["sentence"] = new JsonObject
            {
                ["type"] = "CommunityOrder",
                ["sentenceDate"] = "2026-01-05",
                ["startDate"] = "2026-01-05",
                ["expectedEndDate"] = expectedEndDate,
                ["releaseDate"] = null,
                ["licenceEndDate"] = null,
            };
        }

        return body;
    }

    private async Task<string> CreateAsync(JsonObject body)
    {
        var response = await Nps().PostAsJsonAsync("/api/v1/cases", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return body["crn"]!.GetValue<string>();
    }

    private static JsonObject Requirement(string startDate, string? startedOn = null) => new()
    {
        ["type"] = "UnpaidWork",
        ["startDate"] = startDate,
        ["expectedEndDate"] = "2027-12-31",
        ["startedOn"] = startedOn,
    };

    [Fact]
    public async Task Escalation_required_alerts_the_provider_and_the_region_then_their_managers_and_clears_when_escalated()
    {
        app.Clock.Set(Utc(2027, 2, 1, 8, 59));
        var crn = await _scenario.ProviderHeldCaseAsync();

        // A minute on, so the new assessment is the current one (the clock stands still between settings).
        app.Clock.Set(Utc(2027, 2, 1, 9));
        var assessment = await _scenario.RecordHighRiskAsync(crn);
        Assert.True(assessment["escalationRequired"]!.GetValue<bool>());

        await PassAsync();
        await PassAsync();
        await PassAsync(AlertPassKind.Incremental);
        var provider = _scenario.Provider();
        var region = _scenario.Decider();
        var ours = Assert.Single(await UnresolvedAsync(provider, crn));
        var theirs = Assert.Single(await UnresolvedAsync(region, crn));
        Assert.Equal(AlertKinds.EscalationRequired, ours["kind"]!.GetValue<string>());
        Assert.Equal(CrcGreaterManchester, ours["organisation"]!.GetValue<string>());
        Assert.Equal(NpsNorthWest, theirs["organisation"]!.GetValue<string>());
        Assert.Equal("Everyone", ours["audience"]!.GetValue<string>());
        Assert.Equal(Utc(2027, 2, 1, 9), ours["since"]!.GetValue<DateTimeOffset>());
        Assert.Equal(2, await RaisedEventsAsync(crn));
        var entries = await app.InDatabaseAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Crn == (Domain.Identifiers.Crn?)Domain.Identifiers.Crn.Parse(crn) && e.Action == "RaiseAlert").Select(e => e.ActorUserId).ToListAsync(Ct));
        Assert.Equal([Alert.SystemActor, Alert.SystemActor], entries);

        // Not requested within 24 clock hours: raised again to the managers on both sides.
        app.Clock.Set(Utc(2027, 2, 2, 8, 59));
        await PassAsync();
        Assert.Single(await UnresolvedAsync(provider, crn));
        app.Clock.Set(Utc(2027, 2, 2, 9, 1));
        await PassAsync();
        var managers = (await UnresolvedAsync(provider, crn)).Where(a => a["audience"]!.GetValue<string>() == "Managers").ToList();
        Assert.Single(managers);
        Assert.Single(await UnresolvedAsync(region, crn), a => a["audience"]!.GetValue<string>() == "Managers");
        await AssertProblemAsync(await provider.SendAsync(Post($"/api/v1/alerts/{Id(managers[0])}/acknowledge", null), Ct), HttpStatusCode.Forbidden);
        await DoneAsync(await Manager(CrcGreaterManchester).SendAsync(Post($"/api/v1/alerts/{Id(managers[0])}/acknowledge", null), Ct));

        // Escalated: every one of the four clears, by the system, on the next incremental pass.
        var requested = await _scenario.RequestAsync(crn, Id(assessment));
        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        await PassAsync(AlertPassKind.Incremental);
        Assert.Empty(await UnresolvedAsync(provider, crn));
        Assert.Empty(await UnresolvedAsync(region, crn));
        var all = (await AlertsAsync(provider, crn)).Concat(await AlertsAsync(region, crn)).ToList();
        Assert.Equal(4, all.Count);
        Assert.All(all, AssertClearedBySystem);
        Assert.Equal(4, await RaisedEventsAsync(crn));
    }

    [Fact]
    public async Task A_lower_risk_assessment_clears_escalation_required()
    {
        app.Clock.Set(Utc(2027, 2, 8, 9));
        var crn = await _scenario.ProviderHeldCaseAsync();
        app.Clock.Set(Utc(2027, 2, 8, 9, 1));
        await _scenario.RecordHighRiskAsync(crn);
        await PassAsync();
        Assert.Single(await UnresolvedAsync(_scenario.Provider(), crn));
        app.Clock.Set(Utc(2027, 2, 8, 9, 2));

        (await _scenario.Provider().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        await PassAsync();
        AssertClearedBySystem(Assert.Single(await AlertsAsync(_scenario.Provider(), crn)));
    }

    [Fact]
    public async Task An_unacknowledged_emergency_alerts_the_region_after_an_hour_and_clears_when_acknowledged()
    {
        app.Clock.Set(Utc(2027, 1, 10, 2));
        var escalation = await _scenario.RequestedAsync("Emergency");
        var crn = EscalationScenario.Crn(escalation);
        var region = _scenario.Decider();
        app.Clock.Set(Utc(2027, 1, 10, 2, 59));
        await PassAsync();
        Assert.Empty(await UnresolvedAsync(region, crn, AlertKinds.EscalationAcknowledgementOverdue));

        app.Clock.Set(Utc(2027, 1, 10, 3, 1));
        await PassAsync();
        var alert = Assert.Single(await UnresolvedAsync(region, crn, AlertKinds.EscalationAcknowledgementOverdue));
        Assert.Equal(Utc(2027, 1, 10, 3), alert["deadline"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Id(escalation), alert["subjectId"]!.GetValue<string>());
        Assert.Equal($"/api/v1/escalations/{Id(escalation)}", alert["links"]!["subject"]!.GetValue<string>());
        Assert.Empty(await UnresolvedAsync(_scenario.Provider(), crn, AlertKinds.EscalationAcknowledgementOverdue));

        await DoneAsync(await region.SendAsync(Post(Act(escalation, "acknowledge"), null), Ct));
        await PassAsync(AlertPassKind.Incremental);
        AssertClearedBySystem(Assert.Single(await AlertsAsync(region, crn, AlertKinds.EscalationAcknowledgementOverdue)));
    }

    [Fact]
    public async Task An_undecided_standard_escalation_alerts_the_region_past_its_deadline_and_clears_when_decided()
    {
        app.Clock.Set(Utc(2027, 4, 29, 9));
        var escalation = await _scenario.AcknowledgedAsync();
        var crn = EscalationScenario.Crn(escalation);
        var region = _scenario.Decider();
        app.Clock.Set(Utc(2027, 5, 7, 23, 1));
        await PassAsync();
        var alert = Assert.Single(await UnresolvedAsync(region, crn, AlertKinds.EscalationDecisionOverdue));
        Assert.Equal(Utc(2027, 5, 7, 23), alert["deadline"]!.GetValue<DateTimeOffset>());

        await DoneAsync(await region.SendAsync(Post(Act(escalation, "decline"), new { reason = "ThresholdNotMet" }), Ct));
        await PassAsync();
        AssertClearedBySystem(Assert.Single(await AlertsAsync(region, crn, AlertKinds.EscalationDecisionOverdue)));
    }

    [Fact]
    public async Task An_allocation_the_provider_has_not_decided_by_its_deadline_alerts_the_provider_and_clears_when_decided()
    {
        app.Clock.Set(Utc(2027, 3, 1, 10));
        var nps = Nps();
        var crn = await CreateCaseAsync(nps);
        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        var proposed = await nps.PostAsJsonAsync("/api/v1/allocations", new { crn, toOrganisation = CrcGreaterManchester, reason = "TransferIn" }, Ct);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var allocation = await proposed.ReadJsonAsync();
        var dueBy = allocation["dueBy"]!.GetValue<DateTimeOffset>();
        var provider = _scenario.Provider();

        app.Clock.Set(dueBy.AddMinutes(1));
        await PassAsync();
        var alert = Assert.Single(await UnresolvedAsync(provider, crn, AlertKinds.AllocationDecisionOverdue));
        Assert.Equal(dueBy, alert["deadline"]!.GetValue<DateTimeOffset>());
        Assert.Empty(await UnresolvedAsync(nps, crn, AlertKinds.AllocationDecisionOverdue));

        (await provider.PostAsJsonAsync($"/api/v1/allocations/{Id(allocation)}/reject", new { reason = "InsufficientInformation" }, Ct)).EnsureSuccessStatusCode();
        await PassAsync(AlertPassKind.Incremental);
        AssertClearedBySystem(Assert.Single(await AlertsAsync(provider, crn, AlertKinds.AllocationDecisionOverdue)));
    }

    [Fact]
    public async Task A_case_with_no_audited_write_for_28_days_is_quiet_until_the_next_write()
    {
        app.Clock.Set(Utc(2027, 6, 1, 12));
        var crn = await CreateCaseAsync(Nps());
        var nps = Nps();

        // Reading is not writing: consultations leave the case quiet.
        app.Clock.Set(Utc(2027, 6, 29, 11, 59));
        await PassAsync();
        Assert.Equal(HttpStatusCode.OK, (await nps.GetAsync($"/api/v1/cases/{crn}", Ct)).StatusCode);
        Assert.Empty(await UnresolvedAsync(nps, crn, AlertKinds.CaseQuiet));
        app.Clock.Set(Utc(2027, 6, 29, 12, 1));
        await PassAsync();
        var alert = Assert.Single(await UnresolvedAsync(nps, crn, AlertKinds.CaseQuiet));
        Assert.Equal(Utc(2027, 6, 1, 12), alert["since"]!.GetValue<DateTimeOffset>());
        Assert.Null(alert["deadline"]);

        // The case picture lists it under pending, with its link.
        var summary = await nps.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{crn}", Ct);
        Assert.Contains(summary!["pending"]!["items"]!.AsArray(), i => i!["kind"]!.GetValue<string>() == "alert" && i["href"]!.GetValue<string>() == $"/api/v1/alerts/{Id(alert)}");

        // Saying "on it" is not work on the case: the alert stays.
        await DoneAsync(await nps.SendAsync(Post($"/api/v1/alerts/{Id(alert)}/acknowledge", null), Ct));
        await PassAsync(AlertPassKind.Incremental);
        Assert.Equal("Acknowledged", Assert.Single(await UnresolvedAsync(nps, crn, AlertKinds.CaseQuiet))["state"]!.GetValue<string>());

        (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        var result = await app.RunAlertPassAsync(AlertPassKind.Incremental);
        Assert.False(result.Full);
        Assert.True(result.Cleared >= 1);
        AssertClearedBySystem(Assert.Single(await AlertsAsync(nps, crn, AlertKinds.CaseQuiet)));
        summary = await nps.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{crn}", Ct);
        Assert.DoesNotContain(summary!["pending"]!["items"]!.AsArray(), i => i!["kind"]!.GetValue<string>() == "alert");
    }

    [Fact]
    public async Task A_requirement_not_started_by_its_expected_start_alerts_the_holder_until_it_starts()
    {
        app.Clock.Set(Utc(2027, 7, 1, 9));
        var late = await CreateAsync(CaseWith(NewCrn(), [Requirement("2027-07-05")]));
        var started = await CreateAsync(CaseWith(NewCrn(), [Requirement("2027-07-05", startedOn: "2027-07-01")]));
        var nps = Nps();

        // Missed once London's next day has begun: 6 July 00:00 BST is 5 July 23:00 UTC.
        app.Clock.Set(Utc(2027, 7, 5, 22, 59));
        await PassAsync();
        Assert.Empty(await UnresolvedAsync(nps, late, AlertKinds.RequirementNotStarted));
        app.Clock.Set(Utc(2027, 7, 5, 23, 1));
        await PassAsync();
        var alert = Assert.Single(await UnresolvedAsync(nps, late, AlertKinds.RequirementNotStarted));
        Assert.Equal(Utc(2027, 7, 5, 23), alert["deadline"]!.GetValue<DateTimeOffset>());
        Assert.Contains("2027-07-05", alert["why"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await AlertsAsync(nps, started, AlertKinds.RequirementNotStarted));

        await app.InDatabaseAsync(async db =>
        {
            var @case = await db.Cases.Include(c => c.Requirements).SingleAsync(c => c.Crn == Domain.Identifiers.Crn.Parse(late), Ct);
            @case.StartRequirement(@case.Requirements[0].Id, new DateOnly(2027, 7, 5), app.Clock.GetUtcNow());
            return await db.SaveChangesAsync(Ct);
        });
        await PassAsync();
        AssertClearedBySystem(Assert.Single(await AlertsAsync(nps, late, AlertKinds.RequirementNotStarted)));
    }

    [Fact]
    public async Task An_order_past_its_expected_end_and_still_held_alerts_the_holder_until_the_date_moves()
    {
        app.Clock.Set(Utc(2027, 1, 4, 9));
        var crn = await CreateAsync(CaseWith(NewCrn(), [], expectedEndDate: "2027-01-05"));
        var nps = Nps();
        await PassAsync();
        Assert.Empty(await UnresolvedAsync(nps, crn, AlertKinds.OrderPastEnd));

        app.Clock.Set(Utc(2027, 1, 6, 0, 1));
        await PassAsync();
        var alert = Assert.Single(await UnresolvedAsync(nps, crn, AlertKinds.OrderPastEnd));
        Assert.Equal(Utc(2027, 1, 6), alert["deadline"]!.GetValue<DateTimeOffset>());

        // No endpoint extends an order yet: the date is moved in the database, as a corrected import would.
        var later = new DateOnly(2027, 12, 31);
        await app.InDatabaseAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"Cases\" SET \"ExpectedEndDate\" = {later} WHERE \"Crn\" = {crn}", Ct));
        await PassAsync();
        AssertClearedBySystem(Assert.Single(await AlertsAsync(nps, crn, AlertKinds.OrderPastEnd)));
    }

    [Fact]
    public async Task Acknowledging_and_resolving_follow_the_alert_state_machine_and_If_Match()
    {
        app.Clock.Set(Utc(2027, 8, 2, 9));
        var crn = await CreateAsync(CaseWith(NewCrn(), [Requirement("2027-07-20")]));
        await PassAsync();
        var nps = Nps();
        var alert = Assert.Single(await UnresolvedAsync(nps, crn, AlertKinds.RequirementNotStarted));
        var path = $"/api/v1/alerts/{Id(alert)}";
        var read = await nps.GetAsync(path, Ct);
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);

        var acknowledged = await DoneAsync(await nps.SendAsync(Post($"{path}/acknowledge", null, "\"1\""), Ct));
        Assert.Equal("Acknowledged", acknowledged["state"]!.GetValue<string>());
        Assert.Equal("nw-spo-01", acknowledged["acknowledgedBy"]!.GetValue<string>());
        Assert.Equal(2, acknowledged["version"]!.GetValue<long>());
        await AssertProblemAsync(await nps.SendAsync(Post($"{path}/acknowledge", null), Ct), HttpStatusCode.Conflict, "alert-already-acknowledged");
        await AssertProblemAsync(await nps.SendAsync(Post($"{path}/resolve", null, "\"1\""), Ct), HttpStatusCode.PreconditionFailed);

        var resolved = await DoneAsync(await nps.SendAsync(Post($"{path}/resolve", null, "\"2\""), Ct));
        Assert.Equal("Resolved", resolved["state"]!.GetValue<string>());
        Assert.False(resolved["clearedBySystem"]!.GetValue<bool>());
        await AssertProblemAsync(await nps.SendAsync(Post($"{path}/resolve", null), Ct), HttpStatusCode.Conflict, "alert-resolved");
        await AssertProblemAsync(await nps.SendAsync(Post($"{path}/acknowledge", null), Ct), HttpStatusCode.Conflict, "alert-resolved");
        var events = await app.InDatabaseAsync(db => db.OutboxMessages.Where(o => o.Crn == crn && o.EventType.StartsWith("case-transfer.alert.")).OrderBy(o => o.Sequence).Select(o => o.EventType).ToListAsync(Ct));
        Assert.Equal(["case-transfer.alert.raised", "case-transfer.alert.acknowledged", "case-transfer.alert.resolved"], events);

        // Resolved by a person: the same occurrence is not raised again while the condition holds.
        await PassAsync();
        Assert.Single(await AlertsAsync(nps, crn, AlertKinds.RequirementNotStarted));

        // Open -> Resolved directly is allowed too.
        var other = await CreateAsync(CaseWith(NewCrn(), [Requirement("2027-07-20")]));
        await PassAsync();
        var open = Assert.Single(await UnresolvedAsync(nps, other, AlertKinds.RequirementNotStarted));
        Assert.Equal("Resolved", (await DoneAsync(await nps.SendAsync(Post($"/api/v1/alerts/{Id(open)}/resolve", null), Ct)))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_organisation_sees_and_acts_on_only_its_own_alerts()
    {
        app.Clock.Set(Utc(2027, 8, 9, 9));
        var crn = await CreateAsync(CaseWith(NewCrn(), [Requirement("2027-08-01")]));
        await PassAsync();
        var alert = Assert.Single(await UnresolvedAsync(Nps(), crn, AlertKinds.RequirementNotStarted));
        var stranger = app.ClientFor(CrcLondon, "ldn-po-01", Roles.CaseManager, Roles.Manager);
        var path = $"/api/v1/alerts/{Id(alert)}";

        await AssertProblemAsync(await stranger.GetAsync(path, Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.SendAsync(Post($"{path}/acknowledge", null), Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.SendAsync(Post($"{path}/resolve", null), Ct), HttpStatusCode.NotFound);
        Assert.Empty(await AlertsAsync(stranger, crn));
        await AssertProblemAsync(await stranger.GetAsync($"/api/v1/alerts/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await Nps().GetAsync("/api/v1/alerts?kind=no-such-kind", Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await Nps().GetAsync("/api/v1/alerts?crn=123", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_same_condition_never_has_two_open_alerts_and_the_list_pages()
    {
        app.Clock.Set(Utc(2027, 9, 1, 9));
        var crns = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            crns.Add(await CreateAsync(CaseWith(NewCrn(), [Requirement("2027-08-20"), Requirement("2027-08-25")])));
        }

        await Task.WhenAll(PassAsync(), PassAsync(), PassAsync(AlertPassKind.Incremental));
        await PassAsync();
        var nps = Nps();
        foreach (var crn in crns)
        {
            Assert.Equal(2, (await UnresolvedAsync(nps, crn, AlertKinds.RequirementNotStarted)).Count);
            Assert.Equal(2, await RaisedEventsAsync(crn));
        }

        var ids = await AllPagesAsync(nps, $"/api/v1/alerts?kind={AlertKinds.RequirementNotStarted}&state=Open", 2, i => i["id"]!.GetValue<string>());
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Superset(
            (await Task.WhenAll(crns.Select(c => UnresolvedAsync(nps, c)))).SelectMany(a => a).Select(Id).ToHashSet(),
            ids.ToHashSet());

        // The database refuses a second unresolved alert for a condition, whatever writes it.
        var existing = await app.InDatabaseAsync(db => db.Alerts.AsNoTracking().FirstAsync(a => a.Crn == Domain.Identifiers.Crn.Parse(crns[0]) && a.ResolvedAt == null, Ct));
        var duplicate = Alert.Raise(
            Guid.CreateVersion7(),
            new AlertFinding(existing.Kind, existing.CaseId, existing.Crn, existing.SubjectId, existing.OrganisationCode, existing.Audience, existing.Since, existing.Deadline),
            new AlertPolicy(28, 24),
            app.Clock.GetUtcNow());
        await Assert.ThrowsAsync<DbUpdateException>(() => app.InDatabaseAsync(db =>
        {
            db.Alerts.Add(duplicate);
            return db.SaveChangesAsync(Ct);
        }));
    }
}

// The escalation deadline tests' service on a movable clock: a class fixture is this class's own instance.
public sealed class AlertTestsOnSqlite(SqliteEscalationClockApp app) : AlertTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class AlertTestsOnPostgres(PostgresEscalationClockApp app) : AlertTests(app), IClassFixture<PostgresEscalationClockApp>;
