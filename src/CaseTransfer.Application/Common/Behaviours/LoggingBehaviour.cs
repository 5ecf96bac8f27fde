using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Application.Common.Behaviours;

/// <summary>The one place a message is logged: its name, the caller's organisation, outcome and duration, never its payload.</summary>
public sealed class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger, ICaller caller)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly ActivitySource Source = new("CaseTransfer.Application");

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = typeof(TMessage).Name;
        using var activity = Source.StartActivity(name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            logger.LogInformation(
                "{Message} by {Organisation} completed in {ElapsedMs:0.0} ms",
                name,
                caller.IsAuthenticated ? caller.OrganisationCode : "anonymous",
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex)
        {
            logger.LogInformation(
                "{Message} by {Organisation} refused with {Error} after {ElapsedMs:0.0} ms",
                name,
                caller.IsAuthenticated ? caller.OrganisationCode : "anonymous",
                ex.GetType().Name,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
