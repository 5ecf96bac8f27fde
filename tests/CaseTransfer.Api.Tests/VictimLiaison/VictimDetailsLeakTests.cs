using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.EntityFrameworkCore;
using static CaseTransfer.Api.Tests.Escalations.EscalationScenario;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;
using static CaseTransfer.Api.Tests.VictimLiaison.VictimLiaisonScenario;

namespace CaseTransfer.Api.Tests.VictimLiaison;

/// <summary>
/// The promise of victim liaison: a victim's details reach the NPS victim liaison unit and no one else. Every GET
/// operation of the committed contract is called as the holding provider (with each role, and all of them), and as
/// another provider, with the scenario's ids; no answer, header, event or audit entry may carry the victim's details.
/// Operations added to the contract later are covered without changing this test.
/// </summary>
public abstract class VictimDetailsLeakTests(CaseTransferApp app)
{
    // Strings that appear nowhere but in the victim's details: finding one anywhere else is a leak.
    private const string Name = "Quillfeather-7f3a";
    private const string Address = "Brackenmoor-c41d Lane";
    private const string Phone = "0161 739 2846";
    private const string Email = "marwick-e90b@example.org";
    private const string Notes = "Tallowgate-5b2e";

    private static readonly string[] Markers = [Name, Address, Phone, Email, Notes, "Quillfeather", "Brackenmoor", "739 2846", "marwick-e90b", "Tallowgate"];

    /// <summary>Fewer calls than this per caller, and the contract could not have been walked: the test must not pass vacuously.</summary>
    private const int AtLeastCallsPerCaller = 30;

    private readonly VictimLiaisonScenario _scenario = new(app);

    [Fact]
    public async Task Victim_details_never_reach_a_provider()
    {
        var escalation = await _scenario.Escalations.RequestedAsync();
        var crn = Crn(escalation);
        var zone = await _scenario.RecordConditionAsync(crn, ExclusionZone());
        await _scenario.RecordConditionAsync(crn, NoContact());
        await _scenario.SetContactReferenceAsync(crn, "VLU-NW/2026/0042");
        var victim = await _scenario.RecordVictimAsync(crn, new { name = Name, address = Address, phone = Phone, email = Email, relationship = "Former partner", notes = Notes });

        await app.IntegrateLedgerAsync();

        // The unit does read them: the markers are really stored, so their absence elsewhere means something.
        var unitRead = await (await _scenario.Unit().GetAsync($"/api/v1/cases/{crn}/victims", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains(Name, unitRead, StringComparison.Ordinal);
        Assert.Contains(Email, unitRead, StringComparison.Ordinal);

        var ids = new Dictionary<string, string>
        {
            ["victim-conditions"] = Id(zone),
            ["victims"] = Id(victim),
            ["escalations"] = Id(escalation),
        };
        var callers = Roles.All.Select(role => (Who: $"{CrcGreaterManchester} {role}", Client: app.ClientFor(CrcGreaterManchester, "cgm-po-02", role)))
            .Append(($"{CrcGreaterManchester} every role", app.ClientFor(CrcGreaterManchester, "cgm-po-02", [.. Roles.All])))
            .Append(($"{CrcLondon} every role", app.ClientFor(CrcLondon, "ldn-po-01", [.. Roles.All])))
            .ToList();
        var gets = CommittedContract.Operations().Where(o => o.Method == "GET").ToList();

        var leaks = new List<string>();
        var answers = new Dictionary<string, int>();
        foreach (var (who, client) in callers)
        {
            var calls = 0;
            var answered = 0;
            foreach (var operation in gets)
            {
                foreach (var path in Requests(operation, crn, ids))
                {
                    calls++;
                    var response = await client.GetAsync(path, Ct);
                    answered += response.IsSuccessStatusCode ? 1 : 0;
                    var seen = await response.Content.ReadAsStringAsync(Ct)
                        + string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
                    leaks.AddRange(Markers.Where(m => seen.Contains(m, StringComparison.OrdinalIgnoreCase)).Select(m => $"{who}: GET {path} ({(int)response.StatusCode}) shows '{m}'"));
                }
            }

            Assert.True(calls >= AtLeastCallsPerCaller, $"only {calls} GET calls as {who}: the contract's operations were not walked");
            answers[who] = answered;
        }

        // The holder with every role reads the case itself and most of what surrounds it: the calls were not all refused.
        Assert.True(answers[$"{CrcGreaterManchester} every role"] >= 15, $"the holder was answered only {answers[$"{CrcGreaterManchester} every role"]} times");

        // Errors of the victims' own endpoint never repeat what was sent, to the unit or to anyone else.
        var victims = $"/api/v1/cases/{crn}/victims";
        foreach (var (who, client, body) in new (string, HttpClient, object)[]
        {
            ("unit, bad email and phone", _scenario.Unit(), new { name = Name, address = Address, phone = $"call {Phone}", email = $"{Notes} at {Email}" }),
            ("unit, name too long", _scenario.Unit(), new { name = string.Concat(Enumerable.Repeat(Name, 20)), email = Email }),
            ("unit, wrong type", _scenario.Unit(), JsonNode.Parse($$"""{"name":"{{Name}}","address":"{{Address}}","phone":7392846,"email":"{{Email}}"}""")!),
            ("holding provider", _scenario.Holder(), new { name = Name, address = Address, phone = Phone, email = Email, notes = Notes }),
        })
        {
            var response = await client.PostAsJsonAsync(victims, body, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{who}: answered {(int)response.StatusCode}");
            var seen = await response.Content.ReadAsStringAsync(Ct) + string.Join('\n', response.Headers.Select(h => string.Join(", ", h.Value)));
            leaks.AddRange(Markers.Where(m => seen.Contains(m, StringComparison.OrdinalIgnoreCase)).Select(m => $"{who}: POST {victims} ({(int)response.StatusCode}) echoes '{m}'"));
        }

        // Nor is anything the service keeps for others to read later: the outbox's events and the audit log.
        var stored = await app.InDatabaseAsync(async db =>
        {
            var outbox = await db.OutboxMessages.AsNoTracking().ToListAsync(Ct);
            var audit = await db.AuditEntries.AsNoTracking().ToListAsync(Ct);
            return outbox.Select(m => ($"outbox {m.Sequence}", Fields(m))).Concat(audit.Select(e => ($"audit {e.Sequence}", Fields(e)))).ToList();
        });
        Assert.Contains(stored, s => s.Item2.Contains("RecordVictim", StringComparison.Ordinal));
        leaks.AddRange(stored.SelectMany(s => Markers.Where(m => s.Item2.Contains(m, StringComparison.OrdinalIgnoreCase)).Select(m => $"{s.Item1} holds '{m}'")));

        Assert.True(leaks.Count == 0, $"{leaks.Count} leak(s) of the victim's details:\n" + string.Join('\n', leaks.Distinct()));
    }

    /// <summary>Every public property's value, as text: the whole row, so a field added later is searched too.</summary>
    private static string Fields(object row) =>
        string.Join('|', row.GetType().GetProperties().Select(p => p.GetValue(row) switch
        {
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            var value => value?.ToString(),
        }));

    /// <summary>
    /// The paths to call for one GET operation: its template filled with the scenario's ids (by the resource the
    /// parameter follows; a fresh id for one the scenario has none of), once as it is and once with <c>crn=</c>
    /// where the operation takes a crn in its query; required query parameters get harmless values.
    /// </summary>
    private static IEnumerable<string> Requests(ContractOperation operation, string crn, IReadOnlyDictionary<string, string> ids)
    {
        var segments = operation.PathTemplate.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segments[i] switch
            {
                "{crn}" => crn,
                "{code}" => CrcGreaterManchester,
                "{index}" => "0",
                ['{', ..] => ids.TryGetValue(segments[i - 1], out var id) ? id : Guid.NewGuid().ToString(),
                var literal => literal,
            };
        }

        var path = string.Join('/', segments);
        var query = (operation.Definition["parameters"]?.AsArray() ?? [])
            .Where(p => (string?)p?["in"] == "query")
            .Select(p => (Name: (string)p!["name"]!, Required: (bool?)p["required"] == true))
            .ToList();
        var required = string.Join('&', query.Where(p => p.Required).Select(p => $"{p.Name}=1"));
        yield return required.Length == 0 ? path : $"{path}?{required}";
        if (query.Any(p => p.Name == "crn"))
        {
            yield return $"{path}?{(required.Length == 0 ? "" : required + "&")}crn={crn}";
        }

        if (query.Any(p => p.Name == "q"))
        {
            yield return $"{path}?q={crn}";
        }

        if (query.Any(p => p.Name == "format"))
        {
            yield return $"{path}?crn={crn}&format=csv";
        }
    }
}

public sealed class VictimDetailsLeakTestsOnSqlite(SqliteApp app) : VictimDetailsLeakTests(app), IClassFixture<SqliteApp>;

public sealed class VictimDetailsLeakTestsOnPostgres(PostgresApp app) : VictimDetailsLeakTests(app), IClassFixture<PostgresApp>;
