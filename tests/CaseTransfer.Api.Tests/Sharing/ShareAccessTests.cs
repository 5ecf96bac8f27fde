using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;
using static CaseTransfer.Api.Tests.Sharing.SharingScenario;

namespace CaseTransfer.Api.Tests.Sharing;

/// <summary>
/// Who sees what, before, during and after a share: the holder that shares, the recipient organisation, a person a
/// share names, the other staff of the recipient, and a third organisation; expiry on a controllable clock, and
/// revocation. After either, the recipients get a 404, as for something that never existed.
/// </summary>
public abstract class ShareAccessTests(EscalationClockApp app)
{
    private readonly SharingScenario _s = new(app, app.Clock);

    private async Task<string> CaseAsync()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        return await _s.ProviderHeldCaseAsync();
    }

    [Fact]
    public async Task A_share_to_an_organisation_lets_everyone_there_read_it_and_the_case_summary_until_it_expires()
    {
        var crn = await CaseAsync();
        var (recipient, colleague, third) = (_s.NamedRecipient(), _s.OtherRecipientStaff(), _s.ThirdOrganisation());

        // Before: nobody but the holder sees the case.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(recipient, $"/api/v1/cases/{crn}"));
        Assert.False(await FindsAsync(recipient, crn));

        var share = await _s.SharedAsync(crn, lasting: TimeSpan.FromDays(10));
        var path = $"/api/v1/shares/{Id(share)}";
        Assert.True(share["live"]!.GetValue<bool>());
        Assert.Empty(share["recipientUserIds"]!.AsArray());

        // During: the recipient organisation's staff read the share and the case summary (read-only, until the expiry),
        // and find the case in search; not its history, and not the case's pending work.
        foreach (var client in new[] { recipient, colleague })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, path));
            var summary = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{crn}", Ct))!;
            Assert.Equal(share["expiresAt"]!.GetValue<DateTimeOffset>(), summary["readOnlyUntil"]!.GetValue<DateTimeOffset>());
            Assert.Equal(0, summary["pending"]!["total"]!.GetValue<int>());
            Assert.True(await FindsAsync(client, crn));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, $"/api/v1/cases/{crn}/risk-assessments"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, $"/api/v1/cases/{crn}/holders"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, $"/api/v1/cases/{crn}/victim-conditions"));
            Assert.Null(summary["victimLiaison"]);
            var received = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/shares?crn={crn}", Ct))!;
            Assert.Equal(Id(share), Id(Assert.Single(received["items"]!.AsArray())!.AsObject()));
        }

        // A read-only share changes nothing the recipient may do with the case itself.
        var change = await recipient.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("High"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, change.StatusCode);

        // The holder still reads the victim liaison conditions that bind it.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_s.Holder(), $"/api/v1/cases/{crn}/victim-conditions"));

        // A third organisation sees none of it.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(third, path));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(third, $"/api/v1/cases/{crn}"));
        Assert.False(await FindsAsync(third, crn));

        // After expiry: the recipients are back to 404, exactly as for a share that never existed.
        app.Clock.Set(DateTimeOffset.UtcNow + TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
        foreach (var client in new[] { recipient, colleague })
        {
            await AssertNeverExistedAsync(client, path, $"/api/v1/shares/{Guid.CreateVersion7()}");
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, $"/api/v1/cases/{crn}"));
            Assert.False(await FindsAsync(client, crn));
            var received = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/shares?crn={crn}", Ct))!;
            Assert.Empty(received["items"]!.AsArray());
        }

        // The sharer keeps it on the record, no longer live.
        var kept = (await _s.Holder().GetFromJsonAsync<JsonObject>(path, Ct))!;
        Assert.False(kept["live"]!.GetValue<bool>());
        Assert.Null(kept["links"]!["revoke"]);
    }

    [Fact]
    public async Task A_share_naming_people_is_seen_by_them_alone_in_the_recipient_organisation()
    {
        var crn = await CaseAsync();
        var share = await _s.SharedAsync(crn, named: [NamedRecipientId]);
        var path = $"/api/v1/shares/{Id(share)}";

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_s.NamedRecipient(), path));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_s.NamedRecipient(), $"/api/v1/cases/{crn}"));
        Assert.True(await FindsAsync(_s.NamedRecipient(), crn));

        await AssertNeverExistedAsync(_s.OtherRecipientStaff(), path, $"/api/v1/shares/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.OtherRecipientStaff(), $"/api/v1/cases/{crn}"));
        Assert.False(await FindsAsync(_s.OtherRecipientStaff(), crn));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.ThirdOrganisation(), path));
    }

    [Fact]
    public async Task A_member_of_staff_the_cases_lists_exclude_can_neither_share_upload_ask_nor_act_on_a_request_about_it()
    {
        var crn = await CaseAsync();
        var request = Id(await _s.RequestedAsync(crn));
        var limit = await _s.Holder().PostAsJsonAsync($"/api/v1/cases/{crn}/access-limits", new { kind = "Exclusion", staffCode = "cgm-pso-05" }, Ct);
        Assert.True(limit.IsSuccessStatusCode, await limit.Content.ReadAsStringAsync(Ct));
        var excluded = app.ClientFor(CrcGreaterManchester, "cgm-pso-05", Roles.InformationOfficer, Roles.CaseManager);

        var share = await excluded.PostAsJsonAsync("/api/v1/shares", _s.Share(crn), Ct);
        using var note = new ByteArrayContent("Notes of a home visit."u8.ToArray());
        note.Headers.ContentType = new("text/plain");
        var upload = await excluded.PostAsync($"/api/v1/cases/{crn}/documents?fileName=visit.txt", note, Ct);
        var ask = await excluded.PostAsJsonAsync("/api/v1/information-requests", Request(crn, dueDate: London(_s.Now.AddDays(5))), Ct);
        var withdraw = await excluded.PostAsync($"/api/v1/information-requests/{request}/withdraw", null, Ct);

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            new[] { share.StatusCode, upload.StatusCode, ask.StatusCode, withdraw.StatusCode });
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(excluded, $"/api/v1/cases/{crn}"));

        // A colleague the lists do not name goes on as before.
        await _s.SharedAsync(crn);
        var withdrawn = await _s.Holder().PostAsync($"/api/v1/information-requests/{request}/withdraw", null, Ct);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_share_ends_its_recipients_access_at_once_and_is_on_the_record()
    {
        var crn = await CaseAsync();
        var share = await _s.SharedAsync(crn, mode: "Copy");
        var path = $"/api/v1/shares/{Id(share)}";
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_s.NamedRecipient(), path));

        // A recipient cannot revoke what it was given.
        var byRecipient = await _s.NamedRecipient().PostAsJsonAsync($"{path}/revoke", new { reason = "not mine" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, byRecipient.StatusCode);

        var revoked = await EscalationScenario.DoneAsync(await _s.Holder().SendAsync(
            EscalationScenario.Post($"{path}/revoke", new { reason = "Sent to the wrong provider" }, "\"1\""), Ct));
        Assert.False(revoked["live"]!.GetValue<bool>());
        Assert.NotNull(revoked["revokedAt"]);

        await AssertNeverExistedAsync(_s.NamedRecipient(), path, $"/api/v1/shares/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(_s.NamedRecipient(), $"/api/v1/cases/{crn}"));

        var again = await _s.Holder().PostAsJsonAsync($"{path}/revoke", new { reason = "again" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.EndsWith("/rules/share-already-revoked", (await again.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);

        // The disclosure log shows the share, the recipient's read, and the revocation, in order, with purpose, basis and recipients.
        var log = (await _s.Holder().GetFromJsonAsync<JsonArray>($"/api/v1/cases/{crn}/disclosure-log", Ct))!.Select(e => e!.AsObject()).ToList();
        var made = log.Single(e => e["action"]!.GetValue<string>() == "ShareInformation");
        Assert.Equal("Disclosure", made["operation"]!.GetValue<string>());
        Assert.Contains("LawEnforcementPurposes", made["justification"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("To assess the risk", made["justification"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(CrcLondon, made["recipients"]!.GetValue<string>());
        var read = log.Single(e => e["action"]!.GetValue<string>() == "GetShare" && e["actorOrganisation"]!.GetValue<string>() == CrcLondon);
        Assert.Equal("Consultation", read["operation"]!.GetValue<string>());
        var revocation = log.Single(e => e["action"]!.GetValue<string>() == "RevokeShare");
        Assert.Equal("Disclosure", revocation["operation"]!.GetValue<string>());
        Assert.Equal(CrcLondon, revocation["recipients"]!.GetValue<string>());
        Assert.True(log.IndexOf(made) < log.IndexOf(read) && log.IndexOf(read) < log.IndexOf(revocation));
    }

    [Fact]
    public async Task A_share_states_its_purpose_basis_and_an_expiry_within_the_maximum()
    {
        var crn = await CaseAsync();
        var holder = _s.Holder();

        var bare = _s.Share(crn);
        bare["purpose"] = null;
        bare["lawfulBasis"] = null;
        bare["expiresAt"] = null;
        bare["mode"] = null;
        var refused = await holder.PostAsJsonAsync("/api/v1/shares", bare, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync())["errors"]!.AsObject();
        foreach (var field in new[] { "purpose", "lawfulBasis", "expiresAt", "mode" })
        {
            Assert.True(errors.ContainsKey(field), $"{field} should be named in {errors.ToJsonString()}");
        }

        var tooLong = await holder.PostAsJsonAsync("/api/v1/shares", _s.Share(crn, lasting: TimeSpan.FromDays(91)), Ct);
        Assert.Equal(HttpStatusCode.Conflict, tooLong.StatusCode);
        Assert.EndsWith("/rules/share-expiry-too-far", (await tooLong.ReadJsonAsync())["type"]!.GetValue<string>(), StringComparison.Ordinal);

        var unknown = await holder.PostAsJsonAsync("/api/v1/shares", _s.Share(crn, recipient: "CRC-NOWHERE"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("recipientOrganisation"));

        var nothing = await holder.PostAsJsonAsync("/api/v1/shares", _s.Share(crn, content: null), Ct);
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);

        // An organisation that never held the case cannot share about it: 404, as for a case it cannot see.
        var stranger = await _s.ThirdOrganisation().PostAsJsonAsync("/api/v1/shares", _s.Share(crn, recipient: CrcLondon), Ct);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);

        // Nothing refused was written.
        Assert.Equal(0, await app.InDatabaseAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Shares, s => s.Crn == Domain.Identifiers.Crn.Parse(crn), Ct)));
    }

    /// <summary>The recipient's answer for the share is the answer for an id that never existed: same status, same body but for the id.</summary>
    private static async Task AssertNeverExistedAsync(HttpClient client, string path, string neverExisted)
    {
        var gone = await client.GetAsync(path, Ct);
        var never = await client.GetAsync(neverExisted, Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(never.StatusCode, gone.StatusCode);
        var (a, b) = (await gone.ReadJsonAsync(), await never.ReadJsonAsync());
        Assert.Equal(b["type"]!.GetValue<string>(), a["type"]!.GetValue<string>());
        Assert.Equal(b["title"]!.GetValue<string>(), a["title"]!.GetValue<string>());
    }
}

public sealed class ShareAccessTestsOnSqlite(SqliteEscalationClockApp app) : ShareAccessTests(app), IClassFixture<SqliteEscalationClockApp>;

public sealed class ShareAccessTestsOnPostgres(PostgresEscalationClockApp app) : ShareAccessTests(app), IClassFixture<PostgresEscalationClockApp>;
