using CaseTransfer.Application.Documents;
using CaseTransfer.Infrastructure.Documents;

namespace CaseTransfer.Api.Tests.Documents;

/// <summary>The document store contract on a directory of its own.</summary>
public sealed class DiskDocumentStoreTests : DocumentStoreContract
{
    private readonly string directory = Directory.CreateTempSubdirectory("casetransfer-documents-").FullName;

    protected override string ExpectedKind => "disk";

    protected override IDocumentStore CreateStore() => new DiskDocumentStore(directory);

    protected override Task AlterStoredBytesAsync(string key, byte[] bytes) =>
        File.WriteAllBytesAsync(Path.Combine(directory, key), bytes, Ct);

    protected override Task<long> BytesReceivedSoFarAsync(string key)
    {
        var path = Path.Combine(directory, key);
        return Task.FromResult(Directory.EnumerateFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".*.tmp").Sum(f => new FileInfo(f).Length));
    }

    protected override Task AssertNothingLeftBehindAsync()
    {
        Assert.Empty(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_document_is_a_file_under_its_key()
    {
        var key = NewKey();

        await Store.PutAsync(key, new MemoryStream("notes"u8.ToArray()), Ct);

        Assert.Equal("notes", await File.ReadAllTextAsync(Path.Combine(directory, "2026", "12", key.Split('/')[^1]), Ct));
        Assert.Single(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories));
    }

    public override ValueTask DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return base.DisposeAsync();
    }
}
