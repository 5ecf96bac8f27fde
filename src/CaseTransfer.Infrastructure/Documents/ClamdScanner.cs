using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using CaseTransfer.Application.Documents;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CaseTransfer.Infrastructure.Documents;

/// <summary>
/// ClamAV's daemon over TCP, by its documented protocol (clamd(8)): <c>zINSTREAM\0</c>, then the bytes as chunks each
/// after its length as a 4-byte big-endian number, a zero length to end, and one reply ending in a NUL:
/// <c>stream: OK</c>, <c>stream: {signature} FOUND</c>, or a line ending in <c>ERROR</c> (such as the stream passing
/// clamd's StreamMaxLength). No client library for it restores here, and the protocol is these few lines. Every step
/// waits at most <see cref="ScanningOptions.TimeoutSeconds"/>; past it the step throws <see cref="TimeoutException"/>.
/// </summary>
public sealed class ClamdScanner(ScanningOptions options) : IMalwareScanner
{
    /// <summary>clamd reads a chunk whole before scanning on; larger writes are sent as several chunks.</summary>
    private const int MaxChunk = 1024 * 1024;

    public async Task<IMalwareScan> StartAsync(CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(cancellationToken);
        try
        {
            await TimedAsync(ct => client.GetStream().WriteAsync("zINSTREAM\0"u8.ToArray(), ct), cancellationToken);
            return new Scan(client, this);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(cancellationToken);
        await TimedAsync(ct => client.GetStream().WriteAsync("zPING\0"u8.ToArray(), ct), cancellationToken);
        var reply = await ReplyAsync(client, cancellationToken);
        if (reply != "PONG")
        {
            throw new InvalidOperationException($"clamd answered PING with '{reply}'.");
        }
    }

    private async Task<TcpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await TimedAsync(ct => client.ConnectAsync(options.ClamdHost, options.ClamdPort, ct), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Reads clamd's reply up to its NUL (or the end of the connection).</summary>
    private async Task<string> ReplyAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var reply = new List<byte>(64);
        var buffer = new byte[256];
        await TimedAsync(async ct =>
        {
            while (reply.Count < 4096)
            {
                var n = await client.GetStream().ReadAsync(buffer, ct);
                if (n == 0)
                {
                    return;
                }

                var end = Array.IndexOf(buffer, (byte)0, 0, n);
                reply.AddRange(buffer.AsSpan(0, end < 0 ? n : end));
                if (end >= 0)
                {
                    return;
                }
            }
        }, cancellationToken);
        return Encoding.UTF8.GetString([.. reply]).Trim();
    }

    private async Task TimedAsync(Func<CancellationToken, ValueTask> step, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await step(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"clamd at {options.ClamdHost}:{options.ClamdPort} did not answer within {options.TimeoutSeconds} s.");
        }
    }

    /// <summary>Reads a clamd INSTREAM reply: OK, FOUND with its signature, anything else (ERROR) a failure.</summary>
    public static ScanVerdict Parse(string reply)
    {
        const string prefix = "stream:";
        var text = reply.StartsWith(prefix, StringComparison.Ordinal) ? reply[prefix.Length..].Trim() : reply.Trim();
        if (text == "OK")
        {
            return ScanVerdict.Clean;
        }

        if (text.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            return ScanVerdict.Infected(text[..^" FOUND".Length].Trim());
        }

        return ScanVerdict.Failed(string.IsNullOrEmpty(reply) ? "clamd closed the connection without a reply" : $"clamd answered '{reply}'");
    }

    private sealed class Scan(TcpClient client, ClamdScanner scanner) : IMalwareScan
    {
        private readonly byte[] _length = new byte[4];

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
        {
            while (!chunk.IsEmpty)
            {
                var part = chunk[..Math.Min(chunk.Length, MaxChunk)];
                BinaryPrimitives.WriteUInt32BigEndian(_length, (uint)part.Length);
                await scanner.TimedAsync(async ct =>
                {
                    var stream = client.GetStream();
                    await stream.WriteAsync(_length, ct);
                    await stream.WriteAsync(part, ct);
                }, cancellationToken);
                chunk = chunk[part.Length..];
            }
        }

        public async Task<ScanVerdict> CompleteAsync(CancellationToken cancellationToken)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_length, 0);
            try
            {
                await scanner.TimedAsync(ct => client.GetStream().WriteAsync(_length, ct), cancellationToken);
            }
            catch (IOException)
            {
                // clamd may have ended the stream itself (past its StreamMaxLength) and closed: its reply says why.
            }

            return Parse(await scanner.ReplyAsync(client, cancellationToken));
        }

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// clamd answers PING, when scanning is on. Degraded, not unhealthy, when it does not: uploads are still taken (kept
/// Pending, unreadable) and scanned when it is back.
/// </summary>
public sealed class ClamdHealthCheck(IMalwareScanner scanner, ScanningOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await scanner.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"clamd at {options.ClamdHost}:{options.ClamdPort} answers");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"clamd at {options.ClamdHost}:{options.ClamdPort} does not answer: uploads stay Pending until it does",
                e);
        }
    }
}
