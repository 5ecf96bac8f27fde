using System.Text;
using CaseTransfer.Application.Broker;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace CaseTransfer.Infrastructure.Broker;

/// <summary>
/// Publishes to a RabbitMQ topic exchange (<c>Broker:RabbitMQ:Exchange</c>, durable, declared on every new channel) on
/// one connection and one channel with publisher confirms tracked by the client: a publish completes when the broker
/// confirms it and throws on a nack. Each message: routing key the event type, persistent (delivery mode 2), message id
/// the event id, type the event type, timestamp when it occurred, content type application/json, the envelope as body,
/// and the audience as headers a headers exchange can match: <c>audience</c> (the codes, comma-separated, or <c>*</c>
/// for an event about no case), and <c>audience-CODE</c> = true for each code, or <c>audience-everyone</c> = true.
/// No automatic recovery: a pass that finds the channel closed opens a new one, and what the old one had not
/// confirmed is published again.
/// </summary>
public sealed class RabbitMqPublisher(BrokerOptions options, ILogger<RabbitMqPublisher> logger) : IBrokerPublisher, IAsyncDisposable
{
    public const string AudienceHeader = "audience";
    public const string AudienceHeaderPrefix = "audience-";
    public const string EveryoneHeader = "audience-everyone";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;
    private volatile bool _broken;

    /// <summary>The broker's address without its credentials, for logs and health reports.</summary>
    public string Where { get; } = options.RabbitMQ.Uri is { } uri && Uri.TryCreate(uri, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Host}:{u.Port}{u.AbsolutePath}" : "(no address)";

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (Usable(_channel))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Usable(_channel))
            {
                return;
            }

            await CloseAsync();
            var factory = new ConnectionFactory
            {
                Uri = new Uri(options.RabbitMQ.Uri!),
                ClientProvidedName = $"case-transfer publisher {Environment.MachineName}:{Environment.ProcessId}",
                AutomaticRecoveryEnabled = false,
                TopologyRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            };
            var connection = await factory.CreateConnectionAsync(cancellationToken);
            try
            {
                var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(
                        publisherConfirmationsEnabled: true,
                        publisherConfirmationTrackingEnabled: true,
                        outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(options.RabbitMQ.MaxOutstandingConfirms)),
                    cancellationToken);
                await channel.ExchangeDeclareAsync(options.RabbitMQ.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                (_connection, _channel, _broken) = (connection, channel, false);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            logger.LogInformation("Connected to the broker at {Broker}, exchange {Exchange}", Where, options.RabbitMQ.Exchange);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task PublishAsync(BrokerMessage message, CancellationToken cancellationToken)
    {
        // Only the channel the pass connected: a channel lost mid-pass fails the rest of the pass at once, not one
        // reconnection per message.
        var channel = _channel is { } open && Usable(open) ? open : throw new InvalidOperationException("No open channel to the broker.");
        var properties = new BasicProperties
        {
            MessageId = message.Id.ToString(),
            Type = message.EventType,
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(message.OccurredAt.ToUnixTimeSeconds()),
            AppId = "case-transfer",
            Headers = Headers(message.Audience),
        };
        try
        {
            await channel.BasicPublishAsync(options.RabbitMQ.Exchange, message.EventType, mandatory: false, properties, Encoding.UTF8.GetBytes(message.Body), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // No confirm in time: the channel's state is unknown, so the next pass starts on a new one.
            _broken = true;
            throw;
        }
    }

    private static Dictionary<string, object?> Headers(IReadOnlyList<string>? audience)
    {
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal) { [AudienceHeader] = audience is null ? "*" : string.Join(',', audience) };
        if (audience is null)
        {
            headers[EveryoneHeader] = true;
        }
        else
        {
            foreach (var code in audience)
            {
                headers[AudienceHeaderPrefix + code] = true;
            }
        }

        return headers;
    }

    private bool Usable(IChannel? channel) => channel is { IsOpen: true } && !_broken && _connection is { IsOpen: true };

    private async Task CloseAsync()
    {
        var (connection, channel) = (_connection, _channel);
        (_connection, _channel) = (null, null);
        try
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Closing the old broker connection failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _gate.Dispose();
    }
}
