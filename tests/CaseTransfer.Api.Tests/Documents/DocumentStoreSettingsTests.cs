using System.Text;
using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Documents;
using CaseTransfer.Infrastructure.Documents;
using Microsoft.Extensions.DependencyInjection;

namespace CaseTransfer.Api.Tests.Documents;

/// <summary>The service keeps documents in the store <c>Documents:Store</c> names, and refuses to start on bad settings.</summary>
public sealed class DocumentStoreSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task By_default_the_service_keeps_documents_on_disk_in_its_documents_directory()
    {
        await using var app = new SqliteApp();
        await app.InitializeAsync();

        var store = Assert.IsType<DiskDocumentStore>(app.Services.GetRequiredService<IDocumentStore>());
        Assert.Equal(app.DocumentsDirectory, store.Directory);
        await StoreAndReadBackAsync(app);
        Assert.Single(Directory.EnumerateFiles(app.DocumentsDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task With_Documents_Store_AzureBlob_the_service_keeps_documents_in_a_blob_container()
    {
        await using var app = new SqliteAzureBlobApp();
        await app.InitializeAsync();
        app.RequireOrSkip();

        Assert.Equal("azure-blob", app.Services.GetRequiredService<IDocumentStore>().Kind);
        await StoreAndReadBackAsync(app);
        Assert.False(Directory.Exists(app.DocumentsDirectory));
    }

    [Fact]
    public void The_defaults_are_a_25_MB_limit_and_a_directory_under_the_content_root()
    {
        var options = new DocumentOptions().Validate();

        Assert.Equal(26_214_400, options.MaxBytes);
        Assert.Equal(DocumentStoreKind.Disk, options.Store);
        Assert.Equal(Path.Combine("/srv/case-transfer", "data", "documents"), options.ResolveDirectory("/srv/case-transfer"));
        Assert.Equal("/var/lib/documents", (options with { Directory = "/var/lib/documents" }).ResolveDirectory("/srv/case-transfer"));
        Assert.Equal("case-transfer-documents", options.AzureBlob.Container);
    }

    public static TheoryData<string, DocumentOptions> BadSettings => new()
    {
        { "Documents:MaxBytes", new DocumentOptions { MaxBytes = 0 } },
        { "Documents:Store", new DocumentOptions { Store = (DocumentStoreKind)7 } },
        { "Documents:Directory", new DocumentOptions { Directory = " " } },
        { "Documents:AzureBlob:ConnectionString", new DocumentOptions { Store = DocumentStoreKind.AzureBlob } },
        {
            "Documents:AzureBlob:Container",
            new DocumentOptions { Store = DocumentStoreKind.AzureBlob, AzureBlob = new() { ConnectionString = "UseDevelopmentStorage=true", Container = "Case_Documents" } }
        },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_refused_at_start_naming_it(string setting, DocumentOptions options) =>
        Assert.Contains(setting, Assert.Throws<InvalidOperationException>(() => options.Validate()).Message, StringComparison.Ordinal);

    private static async Task StoreAndReadBackAsync(CaseTransferApp app)
    {
        var intake = app.Services.GetRequiredService<DocumentIntake>();
        var bytes = Encoding.UTF8.GetBytes("Subject: risk review\r\n\r\nNotes.");
        var key = $"2026/12/{Guid.NewGuid()}";

        var stored = await intake.StoreAsync(key, "message/rfc822", new MemoryStream(bytes), bytes.Length, Ct);

        await using var read = await intake.OpenVerifiedAsync(Guid.NewGuid(), key, stored.Sha256Hex, stored.Length, Ct);
        using var reader = new StreamReader(read);
        Assert.Equal("Subject: risk review\r\n\r\nNotes.", await reader.ReadToEndAsync(Ct));
    }
}
