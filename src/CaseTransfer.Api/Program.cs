using CaseTransfer.Api.Hosting;

// Offline receipt checking needs nothing of the service: no configuration, no database.
if (args is ["verify-receipt", ..])
{
    return OfflineVerification.Run(args, Console.Out);
}

var verb = args.Length > 0 && Cli.Verbs.Contains(args[0]) ? args : null;

// Verbs take their own options; keep them out of the configuration so "--cases" is not read as a setting.
var builder = WebApplication.CreateBuilder(verb is null ? args : []);
builder.AddCaseTransfer();
var app = builder.Build();

if (verb is not null)
{
    return await Cli.RunAsync(app, verb);
}

app.UseCaseTransfer();
await Cli.InitialiseAsync(app);
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
