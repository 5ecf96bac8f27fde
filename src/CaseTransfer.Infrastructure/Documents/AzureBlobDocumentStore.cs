using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CaseTransfer.Application.Documents;

namespace CaseTransfer.Infrastructure.Documents;

/// <summary>
/// Documents as block blobs in one container, named by their keys. Uploads go in blocks as the body arrives (a block
/// at a time in memory, never the whole document), and the blob exists only once its block list is committed, on
/// the condition that nothing is there yet: a key is written once.
/// </summary>
public sealed class AzureBlobDocumentStore(BlobContainerClient container) : IDocumentStore
{
    private const int BlockBytes = 4 * 1024 * 1024;

    private static readonly StorageTransferOptions Transfer = new()
    {
        InitialTransferSize = BlockBytes,
        MaximumTransferSize = BlockBytes,
        MaximumConcurrency = 2,
    };

    private volatile bool containerExists;

    public string Kind => "azure-blob";

    public BlobContainerClient Container => container;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(DocumentKey.Validate(key));
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = Transfer,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && e.ErrorCode is "BlobAlreadyExists" or "ConditionNotMet")
        {
            throw new DocumentKeyExistsException(key);
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(DocumentKey.Validate(key));
        try
        {
            // One streamed GET, which the SDK resumes with range requests if the connection drops part way.
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new DocumentContentMissingException(key);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(DocumentKey.Validate(key));
        try
        {
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: nothing was ever stored, so there is nothing to delete.
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(DocumentKey.Validate(key));
        try
        {
            return (await blob.ExistsAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Created at first use rather than at start, so the service starts while the storage account is unreachable.</summary>
    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!containerExists)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            containerExists = true;
        }
    }
}
