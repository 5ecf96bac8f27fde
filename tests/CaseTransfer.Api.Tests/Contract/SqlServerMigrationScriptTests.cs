using CaseTransfer.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CaseTransfer.Api.Tests.Contract;

/// <summary>
/// No SQL Server runs in CI, so its migrations are checked as a script: the idempotent script a DBA would run must
/// parse as T-SQL and build the tables the model needs. PostgreSQL's script gets the same structural check (its
/// migrations are also applied for real by the PostgreSQL suite); SQLite's are applied by every SqliteApp fixture.
/// </summary>
public sealed class SqlServerMigrationScriptTests
{
    [Fact]
    public void The_idempotent_SQL_Server_script_parses_as_T_SQL()
    {
        var script = SqlServerScript();
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        parser.Parse(reader, out var errors);

        Assert.True(errors.Count == 0,
            $"{errors.Count} T-SQL parse error(s) in the idempotent SQL Server migrations script:\n" +
            string.Join('\n', errors.Select(e => $"  line {e.Line}, column {e.Column}: {e.Message}")));
    }

    [Fact]
    public void The_SQL_Server_script_creates_the_Cases_table_and_its_unique_CRN_index()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(SqlServerScript());
        var fragment = parser.Parse(reader, out var errors);
        Assert.Empty(errors);

        var found = new SchemaStatements();
        fragment.Accept(found);

        Assert.Contains("Cases", found.Tables);
        Assert.Contains(found.Indexes, i => i is { Table: "Cases", Unique: true, Columns: ["Crn"] });
    }

    [Fact]
    public void The_idempotent_PostgreSQL_script_creates_the_Cases_table_and_its_unique_CRN_index()
    {
        using var context = new PostgresCaseTransferDbContext(
            new DbContextOptionsBuilder<PostgresCaseTransferDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.False(string.IsNullOrWhiteSpace(script), "The PostgreSQL migrations script is empty.");
        Assert.Contains("CREATE TABLE \"Cases\"", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX \"IX_Cases_Crn\" ON \"Cases\" (\"Crn\")", script, StringComparison.Ordinal);
    }

    private static string SqlServerScript()
    {
        using var context = new SqlServerCaseTransferDbContext(
            new DbContextOptionsBuilder<SqlServerCaseTransferDbContext>().UseSqlServer("Server=localhost;Database=design").Options);
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.False(string.IsNullOrWhiteSpace(script), "The SQL Server migrations script is empty.");
        return script;
    }

    private sealed record CreatedIndex(string Table, bool Unique, string[] Columns);

    /// <summary>The tables and indexes the script creates, wherever they sit (idempotent scripts nest them in IF blocks).</summary>
    private sealed class SchemaStatements : TSqlFragmentVisitor
    {
        public List<string> Tables { get; } = [];

        public List<CreatedIndex> Indexes { get; } = [];

        public override void Visit(CreateTableStatement node) => Tables.Add(node.SchemaObjectName.BaseIdentifier.Value);

        public override void Visit(CreateIndexStatement node) =>
            Indexes.Add(new CreatedIndex(
                node.OnName.BaseIdentifier.Value,
                node.Unique,
                [.. node.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value)]));
    }
}
