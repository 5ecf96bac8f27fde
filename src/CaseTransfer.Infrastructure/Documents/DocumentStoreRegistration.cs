using Azure.Storage.Blobs;
using CaseTransfer.Application.Documents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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

    /// <summary>
    /// Malware scanning (<c>Scanning:*</c>): always the options (uploads read them); with scanning on, clamd as the
    /// scanner, its health check (Degraded when it does not answer: uploads are kept Pending, not refused) and, unless
    /// <c>Scanning:PollSeconds</c> is 0, the background scanner that retries documents without a verdict.
    /// </summary>
    public static IServiceCollection AddMalwareScanning(this IServiceCollection services, ScanningOptions options, IHealthChecksBuilder health)
    {
        services.AddSingleton(options);
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton<IMalwareScanner, ClamdScanner>();
        services.AddScoped<DocumentRescan>();
        health.AddCheck<ClamdHealthCheck>("clamd", HealthStatus.Degraded, tags: ["ready"]);
        if (options.PollSeconds > 0)
        {
            services.AddHostedService<DocumentScanService>();
        }

        return services;
    }
}
