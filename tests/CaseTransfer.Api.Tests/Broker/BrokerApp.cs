using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Broker;
using CaseTransfer.Application.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using static CaseTransfer.Api.Tests.Infrastructure.TestData;

namespace CaseTransfer.Api.Tests.Broker;

/// <summary>
/// The service publishing to a real RabbitMQ node: the shared one, or (<paramref name="ownNode"/>) a node of its own
/// that a test may stop and start. An exchange of its own, so no other app's events reach its queues; the publisher
/// off (tests run passes themselves, <see cref="RunBrokerPassAsync"/>); absolute detailUrls.
/// </summary>
public abstract class BrokerApp(Engine engine, bool ownNode = false, int batchSize = 1_000) : CaseTransferApp(engine), IAsyncLifetime
{
    private RabbitMqNode? _own;

    public RabbitMqNode Node => _own ?? RabbitMqNode.Shared;

    public string Exchange { get; } = "casetransfer.events.test-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The broker settings, for another instance of the service on this database (<see cref="ConfiguredApp"/>).</summary>
    public Dictionary<string, string> BrokerSettings => new()
    {
        ["Broker:Transport"] = nameof(BrokerTransport.RabbitMQ),
        ["Broker:RabbitMQ:Uri"] = Node.UnavailableReason is null ? Node.Uri : "amqp://127.0.0.1:1/",
        ["Broker:RabbitMQ:Exchange"] = Exchange,
        ["Broker:IntervalMilliseconds"] = "0",
        ["Broker:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Broker:ConfirmTimeoutSeconds"] = "5",
        ["Broker:ClaimSeconds"] = "10",
        ["Api:PublicBaseUrl"] = "https://case-transfer.example",
    };

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        if (ownNode)
        {
            _own = await Task.Run(RabbitMqNode.StartNew);
        }

        await InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in BrokerSettings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Skips the test (or fails it where required) when the database or the broker is not there.</summary>
    public void RequireBroker()
    {
        RequireOrSkip();
        Node.RequireOrSkip();
    }

    /// <summary>Runs one publisher pass as the background service would.</summary>
    public async Task<BrokerPassResult> RunBrokerPassAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxPublisher>().RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Runs passes until one finds nothing to publish.</summary>
    public async Task PublishAllAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var pass = await RunBrokerPassAsync();
            if (pass.Claimed == 0 && pass.HeldBack == 0)
            {
                return;
            }
        }

        Assert.Fail("the outbox still had events after 100 passes");
    }

    /// <summary>The events about <paramref name="crns"/> in the outbox, in order: (id, CRN, event type, published).</summary>
    public Task<List<(string Id, string Crn, string EventType, bool Published)>> EventsAboutAsync(IEnumerable<string> crns)
    {
        var wanted = crns.ToList();
        return InDatabaseAsync(async db => (await db.OutboxMessages.AsNoTracking()
                .Where(o => o.Crn != null && wanted.Contains(o.Crn))
                .OrderBy(o => o.Sequence)
                .Select(o => new { o.Id, o.Crn, o.EventType, o.PublishedAt, o.ClaimedBy })
                .ToListAsync(TestContext.Current.CancellationToken))
            .Select(o => (o.Id.ToString(), o.Crn!, o.EventType, o.PublishedAt != null)).ToList());
    }

    public HttpClient NpsAllocator() => ClientFor(NpsNorthWest, "nw-spo-01", Roles.Allocator, Roles.CaseManager);

    public HttpClient Provider() => ClientFor(CrcGreaterManchester, "cgm-po-02", Roles.CaseManager);

    /// <summary>A case NPS North West holds, with <paramref name="assessments"/> risk assessments: several events about it.</summary>
    public async Task<string> CaseWithEventsAsync(int assessments = 2)
    {
        var ct = TestContext.Current.CancellationToken;
        var nps = NpsAllocator();
        var crn = await CreateCaseAsync(nps);
        for (var i = 0; i < assessments; i++)
        {
            (await nps.PostAsJsonAsync($"/api/v1/cases/{crn}/risk-assessments", Assessment("Medium"), ct)).EnsureSuccessStatusCode();
        }

        return crn;
    }

    /// <summary>NPS North West allocates the case to CRC-CGM, which accepts it.</summary>
    public async Task AllocateToTheProviderAsync(string crn)
    {
        var ct = TestContext.Current.CancellationToken;
        var proposal = await NpsAllocator().PostAsJsonAsync("/api/v1/allocations", new JsonObject
        {
            ["crn"] = crn,
            ["toOrganisation"] = CrcGreaterManchester,
            ["reason"] = "NewSentence",
            ["justification"] = null,
        }, ct);
        Assert.True(proposal.StatusCode == HttpStatusCode.Created, await proposal.Content.ReadAsStringAsync(ct));
        var id = (await proposal.ReadJsonAsync())["id"]!.GetValue<string>();
        var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/allocations/{id}/accept") { Content = JsonContent.Create(new { responsibleOfficerId = TomRileyCrcCgm }) };
        var accepted = await Provider().SendAsync(accept, ct);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync(ct));
    }

    /// <summary>What /health/ready says: Healthy, Degraded or Unhealthy.</summary>
    public async Task<string> ReadinessAsync() => await AnonymousClient().GetStringAsync("/health/ready", TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _own?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteBrokerApp() : BrokerApp(Engine.Sqlite);

public sealed class PostgresBrokerApp() : BrokerApp(Engine.Postgres);

/// <summary>A broker of its own (stopped and started by its test), small batches so a run of passes spans the outage.</summary>
public sealed class SqliteOutageBrokerApp() : BrokerApp(Engine.Sqlite, ownNode: true, batchSize: 4);

public sealed class PostgresOutageBrokerApp() : BrokerApp(Engine.Postgres, ownNode: true, batchSize: 4);

/// <summary>Small batches, so two instances on one database take turns and overlap.</summary>
public sealed class PostgresTwoPublishersApp() : BrokerApp(Engine.Postgres, batchSize: 5);

/// <summary>One message as a consumer took it from a queue.</summary>
public sealed record ReceivedMessage(string MessageId, string RoutingKey, IReadOnlyBasicProperties Properties, string Body)
{
    public JsonObject Envelope => JsonNode.Parse(Body)!.AsObject();

    public string? Crn => Envelope["personReference"]?["identifiers"]?[0]?["value"]?.GetValue<string>();

    public string? Header(string name) => Properties.Headers?.TryGetValue(name, out var value) == true
        ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
        : null;
}

/// <summary>A consumer's queue bound to the app's exchange; messages taken with basic.get.</summary>
public sealed class BrokerQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly bool _deleteOnDispose;

    private BrokerQueue(IConnection connection, IChannel channel, string name, bool deleteOnDispose)
    {
        (_connection, _channel, Name, _deleteOnDispose) = (connection, channel, name, deleteOnDispose);
    }

    public string Name { get; }

    /// <summary>A durable queue (it survives a broker restart) bound to the exchange with <paramref name="bindingKey"/>.</summary>
    public static async Task<BrokerQueue> BindAsync(BrokerApp app, string bindingKey = "#", IDictionary<string, object?>? arguments = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = await new ConnectionFactory { Uri = new Uri(app.Node.Uri) }.CreateConnectionAsync(ct);
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.ExchangeDeclareAsync(app.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct);
        var name = "test-" + Guid.NewGuid().ToString("N")[..12];
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: ct);
        await channel.QueueBindAsync(name, app.Exchange, bindingKey, cancellationToken: ct);
        return new BrokerQueue(connection, channel, name, deleteOnDispose: true);
    }

    /// <summary>The same queue through a new connection (after the broker restarted).</summary>
    public static async Task<BrokerQueue> ReopenAsync(BrokerApp app, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var connection = await new ConnectionFactory { Uri = new Uri(app.Node.Uri) }.CreateConnectionAsync(ct);
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        return new BrokerQueue(connection, channel, name, deleteOnDispose: true);
    }

    /// <summary>Takes (and acknowledges) every message the queue holds now.</summary>
    public async Task<List<ReceivedMessage>> DrainAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var messages = new List<ReceivedMessage>();
        while (await _channel.BasicGetAsync(Name, autoAck: true, ct) is { } got)
        {
            messages.Add(new ReceivedMessage(got.BasicProperties.MessageId ?? "", got.RoutingKey, got.BasicProperties, Encoding.UTF8.GetString(got.Body.Span)));
        }

        return messages;
    }

    public async Task PurgeAsync() => await _channel.QueuePurgeAsync(Name, TestContext.Current.CancellationToken);

    /// <summary>Leaves the queue in place (the broker is about to stop): only the connection closes.</summary>
    public async Task CloseAsync()
    {
        try
        {
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
        }
        catch (Exception)
        {
            // The broker may already be gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_deleteOnDispose && _channel.IsOpen)
            {
                await _channel.QueueDeleteAsync(Name, cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception)
        {
            // Best effort: the node is thrown away anyway.
        }

        await CloseAsync();
    }
}
