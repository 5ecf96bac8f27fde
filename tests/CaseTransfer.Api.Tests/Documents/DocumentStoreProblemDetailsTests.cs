using System.Text.Json;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Documents;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Api.Tests.Documents;

/// <summary>
/// How the service answers when a document is refused or its stored bytes fail a check (RFC 9457): a refusal names its
/// rule and carries its status; an integrity failure names the document.
/// </summary>
public sealed class DocumentStoreProblemDetailsTests
{
    [Fact]
    public async Task Refusals_integrity_failures_and_missing_content_are_answered_as_problem_details()
    {
        await using var app = new SqliteApp();
        await app.InitializeAsync();
        var documentId = Guid.NewGuid();

        var tooLarge = await AnswerAsync(app, new DocumentRefusedException(DocumentRefusedException.TooLarge, "The document is larger than the limit of 26214400 bytes.", 413));
        var mismatch = await AnswerAsync(app, new DocumentRefusedException(DocumentRefusedException.TypeMismatch, "Declared application/pdf but the content does not start with %PDF-.", 415));
        var integrity = await AnswerAsync(app, new DocumentIntegrityException(documentId));
        var missing = await AnswerAsync(app, new DocumentContentMissingException("2026/12/" + documentId));

        Assert.Equal((413, "https://case-transfer.example/problems/rules/document-too-large"), (tooLarge.Status, tooLarge.Type));
        Assert.Equal((415, "https://case-transfer.example/problems/rules/document-type-mismatch"), (mismatch.Status, mismatch.Type));
        Assert.Equal("Declared application/pdf but the content does not start with %PDF-.", mismatch.Detail);
        Assert.Equal((500, "https://case-transfer.example/problems/document-integrity"), (integrity.Status, integrity.Type));
        Assert.Contains(documentId.ToString(), integrity.Detail, StringComparison.Ordinal);
        Assert.Equal((500, "https://case-transfer.example/problems/document-content-missing"), (missing.Status, missing.Type));
        Assert.DoesNotContain("2026/12/", missing.Detail, StringComparison.Ordinal);
    }

    private sealed record Answer(int Status, string Type, string Detail);

    private static async Task<Answer> AnswerAsync(CaseTransferApp app, Exception exception)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Path = "/api/v1/documents";
        http.Response.Body = new MemoryStream();
        var handled = false;
        foreach (var handler in scope.ServiceProvider.GetServices<IExceptionHandler>())
        {
            handled = handled || await handler.TryHandleAsync(http, exception, TestContext.Current.CancellationToken);
        }

        Assert.True(handled, $"{exception.GetType().Name} was not answered");
        http.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(http.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        var root = body.RootElement;
        Assert.Equal(http.Response.StatusCode, root.GetProperty("status").GetInt32());
        return new Answer(http.Response.StatusCode, root.GetProperty("type").GetString()!, root.GetProperty("detail").GetString()!);
    }
}
