using System.Globalization;
using System.Net;
using System.Text;
using CaseTransfer.Application.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StandardWebhooks;

namespace CaseTransfer.Infrastructure.Webhooks;

/// <summary>
/// POSTs an event's envelope with the Standard Webhooks headers, signed by the reference library with every secret in
/// force (space-separated <c>v1,</c> signatures during a rotation's overlap). The HttpClient's resilience pipeline
/// gives each attempt a timeout and each subscriber a circuit breaker of its own; retries across time are the
/// dispatcher's schedule, not in-request retries.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients) : IWebhookSender
{
    public const string ClientName = "webhooks";

    /// <summary>Which subscriber a request is for: the resilience pipeline (and so the circuit breaker) is chosen by it.</summary>
    public static readonly HttpRequestOptionsKey<string> Subscriber = new("CaseTransfer.Webhooks.Subscriber");

    public async Task<WebhookSendResult> SendAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        // The receiver checks the timestamp against its own clock, so it is the real time of sending, not the
        // service's clock (which tests move).
        var timestamp = DateTimeOffset.UtcNow;
        var id = message.EventId.ToString();
        var signatures = string.Join(' ', message.Secrets.Select(s => new StandardWebhook(s).Sign(id, timestamp, message.Payload)));
        using var request = new HttpRequestMessage(HttpMethod.Post, message.CallbackUrl)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signatures);
        request.Options.Set(Subscriber, message.SubscriptionId.ToString());
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new WebhookSendResult(WebhookOutcome.Delivered, status, null);
            }

            if (response.StatusCode == HttpStatusCode.Gone)
            {
                return new WebhookSendResult(WebhookOutcome.Gone, status, "410 Gone: the subscriber wants no more deliveries");
            }

            var retryAfter = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                ? response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - DateTimeOffset.UtcNow,
                    _ => (TimeSpan?)null,
                }
                : null;
            return new WebhookSendResult(WebhookOutcome.Failed, status, $"{status} {response.ReasonPhrase}".Trim(), retryAfter);
        }
        catch (BrokenCircuitException)
        {
            return new WebhookSendResult(WebhookOutcome.NotAttempted, null, "circuit open");
        }
        catch (TimeoutRejectedException)
        {
            return new WebhookSendResult(WebhookOutcome.Failed, null, "no answer in time");
        }
        catch (HttpRequestException e)
        {
            return new WebhookSendResult(WebhookOutcome.Failed, null, e.HttpRequestError == HttpRequestError.Unknown ? e.Message : $"{e.HttpRequestError}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(WebhookOutcome.Failed, null, "no answer in time");
        }
    }

    /// <summary>The named client: a timeout per attempt, and a circuit breaker per subscriber.</summary>
    public static void Register(IServiceCollection services, WebhookOptions options)
    {
        services.AddHttpClient(ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("webhook-delivery", pipeline =>
            {
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                    SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.TimeoutSeconds * 2 * options.CircuitBreakerMinimumThroughput)),
                    BreakDuration = TimeSpan.FromSeconds(options.CircuitBreakSeconds),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
            })
            .SelectPipelineBy(_ => request => request.Options.TryGetValue(Subscriber, out var subscriber) ? subscriber : "");
        services.AddSingleton<IWebhookSender, WebhookSender>();
    }
}
