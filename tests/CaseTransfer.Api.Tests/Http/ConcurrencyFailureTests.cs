using System.Text.Json;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseTransfer.Api.Tests.Http;

/// <summary>
/// A transaction the database gives up for another running at the same time (a deadlock on PostgreSQL) is the
/// client's cue to retry, not the service's fault: it is answered 409 concurrent-change, never 500. The error is a
/// real one, made by two transactions on a real PostgreSQL locking two rows in opposite orders.
/// </summary>
public sealed class ConcurrencyFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_deadlock_is_recognised_and_answered_409_concurrent_change_not_500()
    {
        PostgresCluster.RequireOrSkip();
        var deadlock = await DeadlockAsync();
        var unique = await UniqueViolationAsync();

        await using var app = new SqliteApp();
        await app.InitializeAsync();
        var errors = app.Services.GetRequiredService<IDatabaseErrors>();
        Assert.True(errors.IsConcurrencyFailure(deadlock));
        Assert.False(errors.IsUniqueViolation(deadlock));
        Assert.False(errors.IsConcurrencyFailure(unique));
        Assert.False(errors.IsConcurrencyFailure(new InvalidOperationException("not the database")));

        var (status, type) = await AnswerAsync(app, new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving the entity changes.", deadlock));
        Assert.Equal((409, "https://case-transfer.example/problems/concurrent-change"), (status, type));
        (status, type) = await AnswerAsync(app, deadlock);
        Assert.Equal((409, "https://case-transfer.example/problems/concurrent-change"), (status, type));
    }

    /// <summary>Two transactions each lock a row, then ask for the other's: PostgreSQL breaks the cycle by failing one.</summary>
    private static async Task<Exception> DeadlockAsync()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("deadlock");
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync(Ct);
            await using var create = new NpgsqlCommand("CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0);", setup);
            await create.ExecuteNonQueryAsync(Ct);
        }

        await using var first = new NpgsqlConnection(connectionString);
        await using var second = new NpgsqlConnection(connectionString);
        await first.OpenAsync(Ct);
        await second.OpenAsync(Ct);
        await using var a = await first.BeginTransactionAsync(Ct);
        await using var b = await second.BeginTransactionAsync(Ct);
        await Update(first, 1);
        await Update(second, 2);
        var crossed = new[] { Task.Run(() => Update(first, 2), Ct), Task.Run(() => Update(second, 1), Ct) };
        Assert.NotNull(await Record.ExceptionAsync(() => Task.WhenAll(crossed)));
        return Assert.IsType<PostgresException>(crossed.Single(t => t.IsFaulted).Exception!.InnerException);

        static async Task Update(NpgsqlConnection connection, int id)
        {
            await using var command = new NpgsqlCommand("UPDATE t SET v = v + 1 WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            await command.ExecuteNonQueryAsync(Ct);
        }
    }

    private static async Task<Exception> UniqueViolationAsync()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("unique");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("CREATE TABLE u (id int PRIMARY KEY); INSERT INTO u VALUES (1); INSERT INTO u VALUES (1);", connection);
        var failed = await Record.ExceptionAsync(() => command.ExecuteNonQueryAsync(Ct));
        return Assert.IsType<PostgresException>(failed);
    }

    private static async Task<(int Status, string Type)> AnswerAsync(CaseTransferApp app, Exception exception)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Path = "/api/v1/allocations";
        http.Response.Body = new MemoryStream();
        var handled = false;
        foreach (var handler in scope.ServiceProvider.GetServices<IExceptionHandler>())
        {
            handled = handled || await handler.TryHandleAsync(http, exception, Ct);
        }

        Assert.True(handled, $"{exception.GetType().Name} was not answered");
        http.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(http.Response.Body, cancellationToken: Ct);
        Assert.Equal(http.Response.StatusCode, body.RootElement.GetProperty("status").GetInt32());
        return (http.Response.StatusCode, body.RootElement.GetProperty("type").GetString()!);
    }
}
