namespace CaseTransfer.Application.Common;

/// <summary>The resource does not exist or the caller may not know it does: both answer 404.</summary>
public sealed class NotFoundException(string resource, string key)
    : Exception($"{resource} '{key}' was not found.");

/// <summary>The caller is known but lacks the role or the standing for the action (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>An If-Match precondition did not hold (412); nothing was written.</summary>
public sealed class PreconditionFailedException(string message) : Exception(message)
{
    /// <summary>412 unless the caller's If-Match (<paramref name="expected"/>, when sent) is the resource's version.</summary>
    public static void Unless(string resource, long version, long? expected)
    {
        if (expected is { } sent && sent != version)
        {
            throw new PreconditionFailedException($"The {resource} is at version {version}, not {sent}: it changed since you read it.");
        }
    }
}

/// <summary>The Idempotency-Key was used before with a different request (422).</summary>
public sealed class IdempotencyKeyReusedException()
    : Exception("This Idempotency-Key was already used with a different request.");

/// <summary>A request with the same Idempotency-Key is still being processed (409).</summary>
public sealed class IdempotencyKeyInFlightException()
    : Exception("A request with this Idempotency-Key is still in progress; retry later.");
