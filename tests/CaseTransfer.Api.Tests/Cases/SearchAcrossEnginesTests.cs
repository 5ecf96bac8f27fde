using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Search;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Api.Tests.Cases;

/// <summary>
/// The same population on SQLite and PostgreSQL answers every search identically: same cases, same order, same
/// scores. Candidates come from key equality and ties break on the CRN, so no engine's collation or plan decides.
/// </summary>
public sealed class SearchAcrossEnginesTests(SqliteApp sqlite, PostgresApp postgres) : IClassFixture<SqliteApp>, IClassFixture<PostgresApp>
{
    private const int Population = 1_000;

    [Fact]
    public async Task Search_gives_the_same_ranked_answers_on_every_engine()
    {
        var sqliteClient = sqlite.ClientFor(TestData.Nps, "nps-search", Roles.Allocator);
        var postgresClient = postgres.ClientFor(TestData.Nps, "nps-search", Roles.Allocator);
        await SeedAsync(sqlite);
        await SeedAsync(postgres);

        var random = new Random(62);
        var queries = new List<string>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 40; i++)
        {
            var person = SyntheticCases.Create(random.Next(Population), ReferenceData.Areas, now);
            queries.Add(Misspellings.Make(Misspellings.Kinds[i % Misspellings.Kinds.Count], person.Forenames, person.LastName, random));
        }

        queries.AddRange(["smith", "A000007", "Jon Smyth"]);
        var answered = 0;
        foreach (var q in queries)
        {
            var expected = await AnswerAsync(sqliteClient, q);
            var actual = await AnswerAsync(postgresClient, q);
            Assert.True(expected == actual, $"'{q}' differs:\nSQLite:     {expected}\nPostgreSQL: {actual}");
            answered += expected.Length > 0 ? 1 : 0;
        }

        // Identical empty answers would prove nothing: nearly every query must find someone.
        Assert.True(answered >= queries.Count - 3, $"only {answered} of {queries.Count} queries found anyone");
    }

    private static async Task SeedAsync(CaseTransferApp app)
    {
        var seeder = ActivatorUtilities.CreateInstance<Seeder>(app.Services);
        if (!await seeder.HasCasesAsync(TestContext.Current.CancellationToken))
        {
            await seeder.SeedCasesAsync(Population, cancellationToken: TestContext.Current.CancellationToken);
        }
    }

    private static async Task<string> AnswerAsync(HttpClient client, string q)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases?q={Uri.EscapeDataString(q)}&limit=20", TestContext.Current.CancellationToken);
        return string.Join(", ", page!["items"]!.AsArray().Select(i => $"{i!["crn"]}:{i["score"]}"));
    }
}
