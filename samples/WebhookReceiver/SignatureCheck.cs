using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace WebhookReceiver;

/// <summary>
/// Checks a delivery's <c>webhook-signature</c> with the Standard Webhooks reference library: valid when any of its
/// <c>v1,</c> signatures was made with any secret this receiver holds (during a rotation the sender signs with both the
/// old and the new secret, so a receiver holding either accepts). The library also refuses a timestamp more than five
/// minutes from now, which stops a captured delivery being replayed later.
/// StandardWebhooks 1.1.2's <c>Verify</c> looks only at the first of several space-separated signatures, so each is
/// given to it on its own: a receiver holding only the new secret (the second signature) then accepts too.
/// </summary>
public sealed class SignatureCheck(IEnumerable<string> secrets)
{
    private readonly List<StandardWebhook> _webhooks = [.. secrets.Select(s => new StandardWebhook(s))];

    public bool IsValid(string payload, IHeaderDictionary headers)
    {
        foreach (var signature in headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var one = new HeaderDictionary
            {
                ["webhook-id"] = headers["webhook-id"],
                ["webhook-timestamp"] = headers["webhook-timestamp"],
                ["webhook-signature"] = signature,
            };
            foreach (var webhook in _webhooks)
            {
                try
                {
                    webhook.Verify(payload, one);
                    return true;
                }
                catch (WebhookVerificationException)
                {
                    // Not this secret's signature (or a stale timestamp); try the next.
                }
            }
        }

        return false;
    }
}
