using CaseTransfer.Domain.Allocations;

namespace CaseTransfer.Domain.Tests.Allocations;

/// <summary>The ruleset files in the repository (rules/allocation), read as the service reads them.</summary>
internal static class ShippedRulesets
{
    public static string Directory { get; } = Find();

    public static string PathOf(string version) => Path.Combine(Directory, $"{version}.yaml");

    public static Ruleset Load(string version) => Ruleset.Parse(File.ReadAllBytes(PathOf(version)));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CaseTransfer.sln")))
            {
                return Path.Combine(directory.FullName, "rules", "allocation");
            }
        }

        throw new InvalidOperationException($"No CaseTransfer.sln above {AppContext.BaseDirectory}.");
    }
}
