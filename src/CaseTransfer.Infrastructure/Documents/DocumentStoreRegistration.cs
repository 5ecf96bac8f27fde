using Azure.Storage.Blobs;
using CaseTransfer.Application.Documents;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Infrastructure.Documents;

public static class DocumentStoreRegistration
{
    /// <summary>The store <c>Documents:Store</c> names, and the intake over it.</summary>
    public static IServiceCollection AddDocumentStorage(this IServiceCollection services, DocumentOptions options, string contentRoot)
    {
        services.AddSingleton(options);
        IDocumentStore store = options.Store switch
        {
            DocumentStoreKind.AzureBlob => new AzureBlobDocumentStore(new BlobContainerClient(options.AzureBlob.ConnectionString, options.AzureBlob.Container)),
            _ => new DiskDocumentStore(options.ResolveDirectory(contentRoot)),
        };
        services.AddSingleton(store);
        services.AddSingleton<DocumentIntake>();
        return services;
    }
}
