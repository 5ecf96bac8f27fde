namespace WebhookReceiver;

/// <summary>
/// A minimal webhook receiver for CaseTransfer subscriptions: <c>POST /webhooks</c> checks the signature, deduplicates
/// by <c>webhook-id</c>, and records the event; <c>GET /received</c> lists what arrived; <c>POST /behaviour/{mode}</c>
/// makes it fail, time out, answer 410 or recover. Run it with the subscription's secret(s):
/// <c>dotnet run --project samples/WebhookReceiver -- --Secrets:0 whsec_... --urls http://127.0.0.1:5080</c>.
/// </summary>
public static class ReceiverProgram
{
    public static async Task Main(string[] args) => await Build(args).RunAsync();

    /// <summary>The receiver, built but not started, so a test can start it in-process (with <c>--urls http://127.0.0.1:0</c>).</summary>
    public static WebApplication Build(string[] args, IEnumerable<string>? secrets = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var configured = secrets?.ToList() ?? builder.Configuration.GetSection("Secrets").Get<List<string>>() ?? [];
        builder.Services.AddSingleton(new SignatureCheck(configured));
        builder.Services.AddSingleton<Receiver>();
        var app = builder.Build();
        app.MapPost("/webhooks", (HttpRequest request, Receiver receiver, CancellationToken ct) => receiver.HandleAsync(request, ct));
        app.MapGet("/received", (Receiver receiver) => Results.Ok(new { received = receiver.Received, duplicates = receiver.Duplicates, badSignatures = receiver.BadSignatures }));
        app.MapPost("/behaviour/{mode}", (ReceiverMode mode, Receiver receiver) =>
        {
            receiver.Mode = mode;
            return Results.NoContent();
        });
        return app;
    }
}
