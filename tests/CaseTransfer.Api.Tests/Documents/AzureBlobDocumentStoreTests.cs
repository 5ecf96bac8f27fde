using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Documents;
using CaseTransfer.Infrastructure.Documents;

namespace CaseTransfer.Api.Tests.Documents;

/// <summary>The document store contract on Azure Blob Storage, emulated by Azurite, in a container of its own.</summary>
public sealed class AzureBlobDocumentStoreTests : DocumentStoreContract
{
    private BlobContainerClient? container;

    protected override string ExpectedKind => "azure-blob";

    protected override IDocumentStore CreateStore()
    {
        Azurite.RequireOrSkip();
        container = new BlobContainerClient(Azurite.ConnectionString, Azurite.UniqueContainerName("documents"));
        return new AzureBlobDocumentStore(container);
    }

    protected override Task AlterStoredBytesAsync(string key, byte[] bytes) =>
        container!.GetBlobClient(key).UploadAsync(new BinaryData(bytes), overwrite: true, Ct);

    protected override async Task<long> BytesReceivedSoFarAsync(string key)
    {
        var blocks = await container!.GetBlockBlobClient(key).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: Ct);
        return blocks.Value.UncommittedBlocks.Sum(b => b.SizeLong);
    }

    [Fact]
    public async Task The_container_is_created_at_the_first_upload()
    {
        var key = NewKey();
        Assert.False(await Store.ExistsAsync(key, Ct));
        await Store.DeleteAsync(key, Ct);
        Assert.False((await container!.ExistsAsync(Ct)).Value);

        await Store.PutAsync(key, new MemoryStream("notes"u8.ToArray()), Ct);

        Assert.True((await container.GetBlobClient(key).ExistsAsync(Ct)).Value);
    }

    public override async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }

        await base.DisposeAsync();
    }
}
