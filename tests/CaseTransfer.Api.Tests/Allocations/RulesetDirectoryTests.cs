using CaseTransfer.Api.Tests.Contract;
using CaseTransfer.Domain.Allocations;
using CaseTransfer.Infrastructure.Allocations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CaseTransfer.Api.Tests.Allocations;

/// <summary>The service reads every ruleset file at start and refuses to start on one it cannot use.</summary>
public sealed class RulesetDirectoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("casetransfer-rules-").FullName;
    private static readonly string Shipped = Path.Combine(RepositoryRoot.Path, "rules", "allocation");

    private AllocationRulesOptions Options(string active = "2026.1") => new() { RulesetDirectory = _directory, ActiveRuleset = active };

    [Fact]
    public void The_shipped_files_copied_beside_the_service_load_with_the_default_active()
    {
        var catalogue = RulesetDirectory.Load(new AllocationRulesOptions());

        Assert.Equal(["2026.1", "2026.2"], catalogue.All.Select(r => r.Version));
        Assert.Equal("2026.1", catalogue.Active.Version);
        Assert.Equal(Ruleset.HashOf(File.ReadAllBytes(Path.Combine(Shipped, "2026.1.yaml"))), catalogue.Active.Hash);
    }

    [Fact]
    public void A_broken_file_stops_the_service_naming_the_file_and_the_rule()
    {
        var text = File.ReadAllText(Path.Combine(Shipped, "2026.1.yaml")).Replace("in: [High, VeryHigh]", "in: [High, Severe]", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_directory, "2026.1.yaml"), text);

        var error = Assert.Throws<RulesetFormatException>(() => RulesetDirectory.Load(Options()));

        Assert.StartsWith("Ruleset file 2026.1.yaml: Rule 'rosh-high-or-very-high': 'Severe' is not a value of rosh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_not_named_after_its_version_is_refused()
    {
        File.Copy(Path.Combine(Shipped, "2026.1.yaml"), Path.Combine(_directory, "2026.3.yaml"));

        var error = Assert.Throws<RulesetFormatException>(() => RulesetDirectory.Load(Options("2026.3")));

        Assert.Contains("differs from the file name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_active_version_with_no_file_is_refused()
    {
        File.Copy(Path.Combine(Shipped, "2026.1.yaml"), Path.Combine(_directory, "2026.1.yaml"));

        var error = Assert.Throws<RulesetFormatException>(() => RulesetDirectory.Load(Options("2027.1")));

        Assert.Contains("Allocation:ActiveRuleset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_service_refuses_to_start_with_a_broken_ruleset()
    {
        File.WriteAllText(Path.Combine(_directory, "2026.1.yaml"), "version: \"2026.1\"\n");
        using var service = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Testing")
            .UseSetting("Allocation:RulesetDirectory", _directory)
            .UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(_directory, "unused.db")}"));

        var error = Assert.ThrowsAny<Exception>(() => service.Services);

        var cause = error;
        while (cause is not RulesetFormatException && cause.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        Assert.Equal("Ruleset file 2026.1.yaml: allocation: is required.", cause.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
