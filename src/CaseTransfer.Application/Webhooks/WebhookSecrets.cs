using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CaseTransfer.Application.Webhooks;

/// <summary>
/// Makes subscription secrets and keeps them protected at rest with ASP.NET Core Data Protection: the database holds
/// only ciphertext, and the dispatcher unprotects a secret the moment it signs. Every instance of the service must share
/// the Data Protection key ring (see the README) or it cannot sign for subscriptions another instance made.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "whsec_";

    private readonly IDataProtector _protector = provider.CreateProtector("CaseTransfer.Webhooks.SubscriptionSecret.v1");

    /// <summary>A new secret in the Standard Webhooks form: <c>whsec_</c> and the base64 of 32 random bytes.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
