using System.Net.Http.Json;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Api.Tests.Sharing;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Events;

/// <summary>
/// Who may hear of each event is fixed when it is stored: the organisations that see its case at that moment (with
/// the one above each), and those the event concerns; a share's recipients while it is live, not after.
/// </summary>
public abstract class EventAudienceTests(EscalationClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<List<(string Type, string? Audience)>> EventsAsync(string crn) =>
        app.InDatabaseAsync(async db => (await db.OutboxMessages.Where(o => o.Crn == crn).OrderBy(o => o.Sequence)
            .Select(o => new { o.EventType, o.Audience }).ToListAsync(Ct)).Select(o => (o.EventType, o.Audience)).ToList());

    [Fact]
    public async Task An_event_is_for_those_who_see_its_case_at_that_moment_and_those_it_concerns()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var scenario = new SharingScenario(app, app.Clock);
        var crn = await scenario.ProviderHeldCaseAsync();

        // A share to CRC London: the share's event reaches both sides; the holder's next event reaches London too.
        var share = await scenario.SharedAsync(crn);
        (await scenario.Holder().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        await EscalationScenario.DoneAsync(await scenario.Holder().PostAsJsonAsync($"/api/v1/shares/{SharingScenario.Id(share)}/revoke", new { reason = "done" }, Ct));
        (await scenario.Holder().PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();

        var events = await EventsAsync(crn);
        var opened = events.Single(e => e.Type == "case-transfer.case.opened");
        Assert.Equal($"|{Nps}|{NpsNorthWest}|", opened.Audience);
        var made = events.Single(e => e.Type == "case-transfer.share.made");
        Assert.Equal($"|{CrcGreaterManchester}|{CrcLondon}|", made.Audience);
        var assessments = events.Where(e => e.Type == "case-transfer.risk-assessment.recorded").ToList();
        Assert.Contains($"|{CrcLondon}|", assessments[^2].Audience, StringComparison.Ordinal);
        Assert.DoesNotContain($"|{CrcLondon}|", assessments[^1].Audience, StringComparison.Ordinal);
        Assert.Contains($"|{CrcGreaterManchester}|", assessments[^1].Audience, StringComparison.Ordinal);
        Assert.DoesNotContain($"|{CrcMerseyside}|", string.Concat(events.Select(e => e.Audience)), StringComparison.Ordinal);
    }
}

public sealed class EventAudienceTestsOnSqlite(SqliteEscalationClockApp app) : EventAudienceTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class EventAudienceTestsOnPostgres(PostgresEscalationClockApp app) : EventAudienceTests(app), IClassFixture<PostgresEscalationClockApp>;
