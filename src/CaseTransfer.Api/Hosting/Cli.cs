using System.Diagnostics;
using System.Globalization;
using CaseTransfer.Api.Auth;
using CaseTransfer.Application.Common;
using CaseTransfer.Infrastructure.Persistence;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CaseTransfer.Api.Hosting;

/// <summary>The command-line verbs (<c>migrate</c>, <c>token</c>, <c>seed</c>, <c>verify</c>) and what the service does at start.</summary>
public static class Cli
{
    public static readonly string[] Verbs = ["migrate", "token", "seed", "verify"];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var seeder = ActivatorUtilities.CreateInstance<Seeder>(app.Services);
        switch (args[0])
        {
            case "migrate":
                await seeder.MigrateAsync();
                await seeder.SeedWorkloadModelAsync();
                Console.WriteLine($"Migrated the {app.Services.GetRequiredService<DatabaseOptions>().Provider} database.");
                return 0;
            case "token":
                return Token(app, args);
            case "seed":
                var count = int.Parse(Option(args, "--cases") ?? "1000", CultureInfo.InvariantCulture);

                // --region NPS-NW: only people living in that region's areas, so one organisation holds every case.
                var region = Option(args, "--region");
                var areas = ReferenceData.Areas.Where(a => region is null || a.NpsRegionCode == region).ToList();
                if (areas.Count == 0)
                {
                    Console.Error.WriteLine($"No area is covered by {region}; regions are: {string.Join(", ", ReferenceData.Areas.Select(a => a.NpsRegionCode).Distinct())}.");
                    return 2;
                }

                await seeder.MigrateAsync();
                await seeder.SeedReferenceDataAsync();
                var watch = Stopwatch.StartNew();
                await seeder.SeedCasesAsync(count, new Progress<int>(done =>
                    Console.Write($"\rSeeded {done:N0} of {count:N0} cases ({done / Math.Max(watch.Elapsed.TotalSeconds, 0.001):N0}/s)   ")), areas: areas);
                Console.WriteLine($"\nSeeded {count:N0} synthetic cases in {watch.Elapsed.TotalSeconds:N1} s.");
                return 0;
            case "verify":
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var kept = Option(args, "--checkpoint") is { } path ? new[] { await File.ReadAllTextAsync(path) } : [];
                    var report = await scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Auditing.LedgerVerifier>()
                        .VerifyAsync(kept, CancellationToken.None);
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions(AppJson.Options) { WriteIndented = true }));
                    return report.Intact ? 0 : 1;
                }

            default:
                Console.Error.WriteLine($"Unknown verb {args[0]}; verbs are: {string.Join(", ", Verbs)}.");
                return 2;
        }
    }

    /// <summary>Only the embedded default migrates at start; server engines are migrated with the <c>migrate</c> verb.</summary>
    public static async Task InitialiseAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        if (options.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        var seeder = ActivatorUtilities.CreateInstance<Seeder>(app.Services);
        await seeder.MigrateAsync();
        await seeder.SeedWorkloadModelAsync();
        if (app.Configuration.GetValue("Seed:Demo", true) && !await seeder.HasCasesAsync())
        {
            await seeder.SeedReferenceDataAsync();
            await seeder.SeedCasesAsync(app.Configuration.GetValue("Seed:DemoCases", DemoCaseloads.DefaultCaseCount), withTiers: true);
            await seeder.SeedDemoCaseloadsAsync();
        }

        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app));
    }

    private static void PrintWelcome(WebApplication app)
    {
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault();
        if (first is null)
        {
            return;
        }

        // One write, so the host's own start-up log lines cannot interleave with the tokens.
        var text = new System.Text.StringBuilder();
        text.AppendLine().AppendLine($"CaseTransfer is running. Swagger UI: {first.TrimEnd('/')}/swagger");
        var issuer = app.Services.GetService<TokenIssuer>();
        if (issuer is not null && app.Services.GetRequiredService<AuthOptions>().UseDevelopmentKey)
        {
            text.AppendLine("Demo bearer tokens (development signing key, valid 8 hours). In Swagger UI press Authorize and paste one:")
                .AppendLine()
                .AppendLine("NPS allocator (Priya Patel, NPS-NW):")
                .AppendLine(issuer.Issue(ReferenceData.NpsNorthWest, "nw-spo-01", "Priya Patel", [Roles.Allocator, Roles.CaseManager], TimeSpan.FromHours(8)))
                .AppendLine()
                .AppendLine("CRC case manager (Tom Riley, CRC-CGM):")
                .AppendLine(issuer.Issue(ReferenceData.CrcGreaterManchester, "cgm-po-02", "Tom Riley", [Roles.CaseManager], TimeSpan.FromHours(8)))
                .AppendLine()
                .AppendLine("NPS manager, the second person who approves allocation overrides (Alex Morgan, NPS):")
                .AppendLine(issuer.Issue(ReferenceData.Nps, "nps-mgr-01", "Alex Morgan", [Roles.Manager], TimeSpan.FromHours(8)));
        }

        Console.Out.Write(text.AppendLine().ToString());
    }

    private static int Token(WebApplication app, string[] args)
    {
        var issuer = app.Services.GetService<TokenIssuer>();
        if (issuer is null)
        {
            Console.Error.WriteLine("Tokens are issued by the configured authority; this service holds no signing key.");
            return 2;
        }

        var org = Option(args, "--org");
        var user = Option(args, "--user");
        if (org is null || user is null)
        {
            Console.Error.WriteLine("usage: token --org CODE --user ID [--name \"Full Name\"] [--roles role1,role2] [--hours 8] [--client ID]");
            Console.Error.WriteLine($"roles: {string.Join(", ", Roles.All)}");
            return 2;
        }

        var roles = (Option(args, "--roles") ?? Roles.CaseManager).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = roles.Except(Roles.All).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown role(s): {string.Join(", ", unknown)}. Roles are: {string.Join(", ", Roles.All)}.");
            return 2;
        }

        var hours = double.Parse(Option(args, "--hours") ?? "8", CultureInfo.InvariantCulture);
        Console.WriteLine(issuer.Issue(org, user, Option(args, "--name") ?? user, roles, TimeSpan.FromHours(hours), Option(args, "--client")));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
