namespace CaseTransfer.Application.Broker;

/// <summary>Where events go besides webhooks and the feed.</summary>
public enum BrokerTransport
{
    /// <summary>No broker: the service runs with nothing but itself; events wait in the outbox.</summary>
    None,

    /// <summary>A RabbitMQ broker (<c>Broker:RabbitMQ:*</c>).</summary>
    RabbitMQ,
}

/// <summary>Settings of the message broker publisher (<c>Broker:*</c>), checked at start.</summary>
public sealed record BrokerOptions
{
    public const string Section = "Broker";

    public BrokerTransport Transport { get; init; } = BrokerTransport.None;

    /// <summary>Milliseconds between publisher passes while there is nothing to publish; 0 switches the publisher off (tests run passes themselves).</summary>
    public int IntervalMilliseconds { get; init; } = 1_000;

    /// <summary>Events taken per pass.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>How long a pass's claim on its events lasts; a publisher that dies mid-batch leaves them to another after this.</summary>
    public int ClaimSeconds { get; init; } = 60;

    /// <summary>How long a pass waits for the broker to confirm an event before leaving it for the next pass.</summary>
    public int ConfirmTimeoutSeconds { get; init; } = 15;

    public RabbitMqOptions RabbitMQ { get; init; } = new();

    public BrokerOptions Validate()
    {
        foreach (var (name, value, min) in new[]
        {
            (nameof(IntervalMilliseconds), IntervalMilliseconds, 0),
            (nameof(BatchSize), BatchSize, 1),
            (nameof(ClaimSeconds), ClaimSeconds, 1),
            (nameof(ConfirmTimeoutSeconds), ConfirmTimeoutSeconds, 1),
            ($"RabbitMQ:{nameof(RabbitMqOptions.MaxOutstandingConfirms)}", RabbitMQ.MaxOutstandingConfirms, 1),
        })
        {
            if (value < min)
            {
                throw new InvalidOperationException($"{Section}:{name} must be at least {min}, not {value}.");
            }
        }

        if (ConfirmTimeoutSeconds >= ClaimSeconds)
        {
            throw new InvalidOperationException($"{Section}:{nameof(ConfirmTimeoutSeconds)} ({ConfirmTimeoutSeconds}) must be below {Section}:{nameof(ClaimSeconds)} ({ClaimSeconds}): a claim must outlast the wait for its confirms.");
        }

        if (Transport == BrokerTransport.RabbitMQ)
        {
            if (!Uri.TryCreate(RabbitMQ.Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
            {
                throw new InvalidOperationException($"{Section}:RabbitMQ:Uri must be an amqp:// or amqps:// address when {Section}:Transport is RabbitMQ.");
            }

            if (string.IsNullOrWhiteSpace(RabbitMQ.Exchange) || RabbitMQ.Exchange.Length > 255 || RabbitMQ.Exchange.StartsWith("amq.", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{Section}:RabbitMQ:Exchange must be a name of 1 to 255 characters not starting with amq.");
            }
        }

        return this;
    }
}

/// <summary><c>Broker:RabbitMQ:*</c>.</summary>
public sealed record RabbitMqOptions
{
    public const string DefaultExchange = "casetransfer.events";

    /// <summary>The broker, as <c>amqp://user:password@host:port/vhost</c> (or <c>amqps://</c>).</summary>
    public string? Uri { get; init; }

    /// <summary>The durable topic exchange events are published to, with the event type as routing key.</summary>
    public string Exchange { get; init; } = DefaultExchange;

    /// <summary>Publishes awaiting their confirm at once, on the publisher's channel.</summary>
    public int MaxOutstandingConfirms { get; init; } = 2_000;
}
