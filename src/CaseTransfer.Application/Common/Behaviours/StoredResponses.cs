using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace CaseTransfer.Application.Common.Behaviours;

/// <summary>
/// A command result that carries a secret shown once (a webhook subscription's signing secret). Its idempotent replay
/// must still show it, yet the database must never hold it in clear: <see cref="StoredResponses"/> keeps such a
/// result encrypted.
/// </summary>
public interface ISecretBearingResult
{
    /// <summary>Whether this result holds a secret (a subscription's answer to creation or rotation does; others do not).</summary>
    bool CarriesSecret { get; }
}

/// <summary>
/// The result an <c>Idempotency-Key</c> replays, as stored in <see cref="Persistence.IdempotencyRecord.ResponseJson"/>:
/// plain JSON, except for a result that carries a secret (<see cref="ISecretBearingResult"/>), which is stored
/// encrypted with ASP.NET Core Data Protection (the key ring that protects the subscriptions' own secrets) behind a
/// prefix no JSON starts with, and decrypted on replay. A replay after the key ring was lost cannot be answered.
/// </summary>
public sealed class StoredResponses(IDataProtectionProvider provider)
{
    public const string ProtectedPrefix = "protected:";

    private readonly IDataProtector _protector = provider.CreateProtector("CaseTransfer.Idempotency.StoredResponse.v1");

    public string Store<TResponse>(TResponse response)
    {
        var json = JsonSerializer.Serialize(response, AppJson.Options);
        return response is ISecretBearingResult { CarriesSecret: true } ? ProtectedPrefix + _protector.Protect(json) : json;
    }

    public TResponse Read<TResponse>(string stored) => JsonSerializer.Deserialize<TResponse>(
        stored.StartsWith(ProtectedPrefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[ProtectedPrefix.Length..]) : stored,
        AppJson.Options)!;
}
