using CaseTransfer.Domain.Allocations;
using Microsoft.Extensions.Configuration;

namespace CaseTransfer.Infrastructure.Allocations;

/// <summary>Where the ruleset files are and which one is in force (configuration section <c>Allocation</c>).</summary>
public sealed class AllocationRulesOptions
{
    public const string Section = "Allocation";
    public const string DefaultDirectory = "rules/allocation";
    public const string DefaultActiveRuleset = "2026.1";

    /// <summary>The folder of <c>{version}.yaml</c> files; a relative path is under the application's base directory.</summary>
    public string RulesetDirectory { get; set; } = DefaultDirectory;

    public string ActiveRuleset { get; set; } = DefaultActiveRuleset;

    public static AllocationRulesOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AllocationRulesOptions>() ?? new AllocationRulesOptions();

    public string ResolvedDirectory => Path.GetFullPath(RulesetDirectory, AppContext.BaseDirectory);
}

/// <summary>
/// Reads every ruleset file of the directory at start. A file that does not parse, or whose version is not its file
/// name, stops the service: allocating under a ruleset nobody can name is worse than not starting.
/// </summary>
public static class RulesetDirectory
{
    public static RulesetCatalogue Load(AllocationRulesOptions options)
    {
        var directory = options.ResolvedDirectory;
        if (!Directory.Exists(directory))
        {
            throw new RulesetFormatException($"There is no ruleset directory at {directory} (Allocation:RulesetDirectory).");
        }

        var rulesets = Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).Select(Read).ToList();
        try
        {
            return new RulesetCatalogue(rulesets, options.ActiveRuleset);
        }
        catch (RulesetFormatException e)
        {
            throw new RulesetFormatException($"{e.Message} (Allocation:ActiveRuleset, files in {directory})", e);
        }
    }

    private static Ruleset Read(string path)
    {
        var file = Path.GetFileName(path);
        try
        {
            var ruleset = Ruleset.Parse(File.ReadAllBytes(path));
            return ruleset.Version == Path.GetFileNameWithoutExtension(path)
                ? ruleset
                : throw new RulesetFormatException($"version: '{ruleset.Version}' differs from the file name; a ruleset file is named after its version.");
        }
        catch (RulesetFormatException e)
        {
            throw new RulesetFormatException($"Ruleset file {file}: {e.Message}", e);
        }
    }
}
