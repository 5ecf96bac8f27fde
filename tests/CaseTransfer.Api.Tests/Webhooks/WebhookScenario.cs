using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Escalations;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebhookReceiver;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Webhooks;

/// <summary>
/// The service on a <see cref="MovableClock"/>, with attempts that give up after a second (so a receiver that answers
/// late costs little) and circuits that close again after a second. Its own fixture: moving the clock must not
/// disturb other tests.
/// </summary>
public abstract class WebhookApp(Engine engine) : CaseTransferApp(engine)
{
    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:TimeoutSeconds", "1");
        builder.UseSetting("Webhooks:CircuitBreakSeconds", "1");
        builder.UseSetting("Api:PublicBaseUrl", "https://case-transfer.example");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}

public sealed class SqliteWebhookApp() : WebhookApp(Engine.Sqlite);

public sealed class PostgresWebhookApp() : WebhookApp(Engine.Postgres);

/// <summary>A subscriber's receiver (the sample), running in-process on a loopback port.</summary>
public sealed class RunningReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningReceiver(WebApplication app, string address)
    {
        _app = app;
        CallbackUrl = address.TrimEnd('/') + "/webhooks";
        Receiver = app.Services.GetRequiredService<Receiver>();
    }

    public string CallbackUrl { get; }

    public Receiver Receiver { get; }

    public static async Task<RunningReceiver> StartAsync(params string[] secrets)
    {
        var app = ReceiverProgram.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"], secrets);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningReceiver(app, address);
    }

    /// <summary>Run when the receiver stops: its subscription is switched off, so it never calls whatever listens on this port next.</summary>
    public Func<Task>? OnStopping { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (OnStopping is { } stopping)
        {
            await stopping();
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>Subscriptions, cases that make events, and the dispatcher run until the receivers have what they should.</summary>
public sealed class WebhookScenario(WebhookApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Admin(string organisation) => app.ClientFor(organisation, $"{organisation.ToLowerInvariant()}-admin", Roles.Admin);

    public HttpClient NpsAllocator() => app.ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    public HttpClient Provider() => app.ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    /// <summary>The subscription as made (201), with its secret.</summary>
    public async Task<(string Id, string Secret, JsonObject Subscription)> SubscribeAsync(string organisation, string callbackUrl, params string[] eventTypes)
    {
        var response = await Admin(organisation).PostAsJsonAsync(
            "/api/v1/subscriptions", new { callbackUrl, eventTypes = eventTypes.Length == 0 ? ["*"] : eventTypes, description = "Case management system" }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"subscribe answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        var subscription = await response.ReadJsonAsync();
        return (subscription["id"]!.GetValue<string>(), subscription["secret"]!.GetValue<string>(), subscription);
    }

    /// <summary>A receiver, and a subscription to it whose secret it then holds.</summary>
    public async Task<(string Id, string Secret, RunningReceiver Receiver)> SubscribedReceiverAsync(string organisation, params string[] eventTypes)
    {
        var receiver = await RunningReceiver.StartAsync();
        var (id, secret, _) = await SubscribeAsync(organisation, receiver.CallbackUrl, eventTypes);
        receiver.Receiver.Signatures = new SignatureCheck([secret]);

        // A later test's receiver may be given this one's port: this subscription must not call it (a stray attempt
        // with another secret, counted by that receiver).
        var subscriptionId = Guid.Parse(id);
        receiver.OnStopping = () => app.InDatabaseAsync(db => db.WebhookSubscriptions.Where(s => s.Id == subscriptionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, false), CancellationToken.None));
        return (id, secret, receiver);
    }

    /// <summary>A case NPS North West holds, and <paramref name="assessments"/> risk assessments: several events about it.</summary>
    public async Task<string> CaseWithEventsAsync(int assessments = 2)
    {
        var nps = NpsAllocator();
        var crn = await CreateCaseAsync(nps);
        for (var i = 0; i < assessments; i++)
        {
            (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), Ct)).EnsureSuccessStatusCode();
        }

        return crn;
    }

    /// <summary>NPS North West allocates the case to CRC-CGM and CRC-CGM accepts it: the case is CRC-CGM's.</summary>
    public async Task TransferToTheProviderAsync(string crn)
    {
        var proposal = await NpsAllocator().PostAsJsonAsync("/api/v1/allocations", new JsonObject
        {
            ["crn"] = crn,
            ["toOrganisation"] = CrcGreaterManchester,
            ["reason"] = "NewSentence",
            ["justification"] = null,
        }, Ct);
        Assert.True(proposal.StatusCode == HttpStatusCode.Created, await proposal.Content.ReadAsStringAsync(Ct));
        var id = (await proposal.ReadJsonAsync())["id"]!.GetValue<string>();
        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/allocations/{id}/accept") { Content = JsonContent.Create(new { responsibleOfficerId = TomRileyCrcCgm }) };
        var accepted = await Provider().SendAsync(accept, Ct);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>The events about <paramref name="crns"/> that <paramref name="organisation"/> may hear of, in outbox order: (event id, CRN, sequence).</summary>
    public Task<List<(string Id, string Crn, long Sequence)>> AudibleEventsAsync(string organisation, IEnumerable<string> crns)
    {
        var marker = EventAudience.Marker(organisation);
        var wanted = crns.ToList();
        return app.InDatabaseAsync(async db => (await db.OutboxMessages.AsNoTracking()
                .Where(o => o.Crn != null && wanted.Contains(o.Crn) && (o.Audience == null || o.Audience.Contains(marker)))
                .OrderBy(o => o.Sequence)
                .Select(o => new { o.Id, o.Crn, o.Sequence })
                .ToListAsync(Ct))
            .Select(o => (o.Id.ToString(), o.Crn!, o.Sequence)).ToList());
    }

    /// <summary>
    /// Runs dispatcher passes until <paramref name="done"/>, moving the clock on whenever a pass finds nothing due
    /// (the next attempt of a failed delivery is later), as time would; fails after <paramref name="maxPasses"/>.
    /// </summary>
    public async Task DispatchUntilAsync(Func<bool> done, TimeSpan? step = null, int maxPasses = 400)
    {
        for (var i = 0; i < maxPasses && !done(); i++)
        {
            var pass = await app.RunWebhookPassAsync();
            if (pass.NotAttempted > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1_100), Ct); // an open circuit closes after a second of real time
            }

            if (pass.Claimed == 0 || pass.Delivered == 0)
            {
                app.Clock.Set(app.Clock.GetUtcNow() + (step ?? TimeSpan.FromMinutes(15)));
            }
        }

        Assert.True(done(), $"not done after {maxPasses} passes");
    }
}
