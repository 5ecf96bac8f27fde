using System.Collections.Concurrent;
using System.Text.Json;

namespace WebhookReceiver;

/// <summary>An event as received and accepted once, with the signature headers it came with.</summary>
public sealed record ReceivedEvent(string WebhookId, string EventType, string? Crn, string Payload, string Timestamp, string Signature, DateTimeOffset ReceivedAt);

/// <summary>How the receiver answers, switched at run time (<c>POST /behaviour/{mode}</c>, or by a test in-process).</summary>
public enum ReceiverMode
{
    /// <summary>Accept every correctly signed delivery.</summary>
    Healthy,

    /// <summary>Answer 500 to everything.</summary>
    Failing,

    /// <summary>Answer 503 with Retry-After.</summary>
    Unavailable,

    /// <summary>Answer 410 Gone: the sender should stop.</summary>
    Gone,

    /// <summary>Record, then answer too late (the sender times out and will send it again).</summary>
    Slow,

    /// <summary>At random: accept, fail, or answer too late.</summary>
    Flaky,
}

/// <summary>
/// What the receiver got: each event once, in the order first accepted, deduplicated by <c>webhook-id</c> (a sender
/// that delivers at least once sends some events more than once), and how many duplicates and bad signatures it saw.
/// </summary>
public sealed class Receiver(SignatureCheck signatures)
{
    /// <summary>The secrets deliveries are checked with; replaced when the subscriber learns a new one.</summary>
    public SignatureCheck Signatures { get; set; } = signatures;

    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private readonly ConcurrentQueue<ReceivedEvent> _received = new();
    private int _duplicates;
    private int _badSignatures;
    private int _attempts;

    public ReceiverMode Mode { get; set; } = ReceiverMode.Healthy;

    /// <summary>How long a Slow (or Flaky) answer waits: longer than the sender's timeout.</summary>
    public TimeSpan SlowAnswer { get; set; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<ReceivedEvent> Received => [.. _received];

    public int Duplicates => _duplicates;

    public int BadSignatures => _badSignatures;

    public int Attempts => _attempts;

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        using var reader = new StreamReader(request.Body);
        var payload = await reader.ReadToEndAsync(cancellationToken);
        if (!Signatures.IsValid(payload, request.Headers))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.Unauthorized();
        }

        var mode = Mode == ReceiverMode.Flaky ? Random.Shared.Next(4) switch { 0 => ReceiverMode.Failing, 1 => ReceiverMode.Slow, _ => ReceiverMode.Healthy } : Mode;
        switch (mode)
        {
            case ReceiverMode.Failing:
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            case ReceiverMode.Unavailable:
                request.HttpContext.Response.Headers.RetryAfter = "120";
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            case ReceiverMode.Gone:
                return Results.StatusCode(StatusCodes.Status410Gone);
        }

        Record(request.Headers, payload);
        if (mode == ReceiverMode.Slow)
        {
            // Processed, but the answer comes after the sender gave up: it will send the event again.
            await Task.Delay(SlowAnswer, CancellationToken.None);
        }

        return Results.NoContent();
    }

    private void Record(IHeaderDictionary headers, string payload)
    {
        var id = headers["webhook-id"].ToString();
        if (!_seen.TryAdd(id, 0))
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        using var json = JsonDocument.Parse(payload);
        var root = json.RootElement;
        var crn = root.TryGetProperty("personReference", out var person) && person.ValueKind == JsonValueKind.Object
            ? person.GetProperty("identifiers")[0].GetProperty("value").GetString()
            : null;
        _received.Enqueue(new ReceivedEvent(id, root.GetProperty("eventType").GetString()!, crn, payload,
            headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), DateTimeOffset.UtcNow));
    }
}
