using System.Collections.Concurrent;
using System.Reflection;
using Mediator;

namespace CaseTransfer.Application.Common.Behaviours;

/// <summary>
/// Checks the caller's roles against the message's <see cref="AuthoriseAttribute"/>. A message without one is
/// refused outright: forgetting to declare who may send it must fail closed.
/// </summary>
public sealed class AuthorisationBehaviour<TMessage, TResponse>(ICaller caller) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly ConcurrentDictionary<Type, AuthoriseAttribute?> Declared = new();

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var declared = Declared.GetOrAdd(typeof(TMessage), t => t.GetCustomAttribute<AuthoriseAttribute>())
            ?? throw new ForbiddenException($"{typeof(TMessage).Name} declares no roles and may not be sent.");
        if (!caller.IsAuthenticated)
        {
            throw new ForbiddenException("The caller is not authenticated.");
        }

        if (!declared.Roles.Any(caller.Roles.Contains))
        {
            throw new ForbiddenException($"This action needs one of the roles: {string.Join(", ", declared.Roles)}.");
        }

        return next(message, cancellationToken);
    }
}
