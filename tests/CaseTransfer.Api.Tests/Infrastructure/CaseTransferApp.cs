using System.Net.Http.Headers;
using System.Security.Cryptography;
using CaseTransfer.Api.Auth;
using CaseTransfer.Application.Documents;
using CaseTransfer.Infrastructure.Persistence;
using CaseTransfer.Infrastructure.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace CaseTransfer.Api.Tests.Infrastructure;

public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real service over HTTP (WebApplicationFactory) on a real database of its own: a fresh SQLite file, or a fresh
/// database in the throwaway PostgreSQL cluster. Migrated with the engine's migrations and given the demo
/// organisations; tests create their own cases. Tokens are signed with a key only this instance knows. Documents go to
/// a temporary directory of its own, or with <see cref="DocumentStoreKind.AzureBlob"/> to a container of its own in Azurite.
/// </summary>
public abstract class CaseTransferApp(Engine engine, DocumentStoreKind documentStore = DocumentStoreKind.Disk) : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private string _ledgerSeed = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private string? _connectionString;
    private string? _sqliteDirectory;
    private string _documentsDirectory = Path.Combine(Path.GetTempPath(), "casetransfer-documents-" + Guid.NewGuid().ToString("N")[..12]);
    private string _documentsContainer = Azurite.UniqueContainerName("documents");
    private bool _ownsDocuments = true;

    public Engine Engine { get; } = engine;

    public DocumentStoreKind DocumentStore { get; } = documentStore;

    /// <summary>Where the disk store keeps this app's documents (created at the first upload).</summary>
    public string DocumentsDirectory => _documentsDirectory;

    /// <summary>How many documents this app's store holds: files under its directory, or blobs in its Azurite container.</summary>
    public async Task<int> StoredDocumentCountAsync()
    {
        if (DocumentStore == DocumentStoreKind.Disk)
        {
            return Directory.Exists(_documentsDirectory) ? Directory.EnumerateFiles(_documentsDirectory, "*", SearchOption.AllDirectories).Count() : 0;
        }

        var container = new Azure.Storage.Blobs.BlobContainerClient(Azurite.ConnectionString, _documentsContainer);
        if (!await container.ExistsAsync())
        {
            return 0;
        }

        var count = 0;
        await foreach (var _ in container.GetBlobsAsync())
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Another instance of the service on this app's database, with the same keys: a second instance beside it, or
    /// the service after a restart. Disposing it leaves the database alone.
    /// </summary>
    public CaseTransferApp OnSameDatabase() => new SameDatabaseApp(this);

    private string KeysDirectory => _documentsDirectory + "-keys";

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("Not initialised.");

    public byte[] SigningKey => Convert.FromBase64String(_signingKey);

    /// <summary>The base64 seed of the audit log's key, for another process of the service on this database.</summary>
    public string LedgerSigningKeySeed => _ledgerSeed;

    private protected void UseDatabaseOf(CaseTransferApp original)
    {
        _connectionString = original._connectionString;
        _signingKey = original._signingKey;
        _ledgerSeed = original._ledgerSeed;
        _documentsDirectory = original._documentsDirectory;
        _documentsContainer = original._documentsContainer;
        _ownsDocuments = false;
    }

    public async ValueTask InitializeAsync()
    {
        if (DocumentStore == DocumentStoreKind.AzureBlob && Azurite.UnavailableReason is not null)
        {
            return;
        }

        if (Engine == Engine.Postgres)
        {
            if (PostgresCluster.UnavailableReason is not null)
            {
                return;
            }

            _connectionString = await PostgresCluster.CreateDatabaseAsync("api");
        }
        else
        {
            _sqliteDirectory = Directory.CreateTempSubdirectory("casetransfer-test-").FullName;
            _connectionString = $"Data Source={Path.Combine(_sqliteDirectory, "casetransfer.db")}";
        }

        var seeder = ActivatorUtilities.CreateInstance<Seeder>(Services);
        await seeder.MigrateAsync();
        await seeder.SeedReferenceDataAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Engine.ToString());
        builder.UseSetting("Database:ConnectionString", _connectionString);
        builder.UseSetting("Auth:SigningKey", _signingKey);
        builder.UseSetting("Auth:UseDevelopmentKey", "false");
        builder.UseSetting("Seed:Demo", "false");
        builder.UseSetting("Documents:Directory", _documentsDirectory);
        if (DocumentStore == DocumentStoreKind.AzureBlob)
        {
            builder.UseSetting("Documents:Store", nameof(DocumentStoreKind.AzureBlob));
            builder.UseSetting("Documents:AzureBlob:ConnectionString", Azurite.ConnectionString);
            builder.UseSetting("Documents:AzureBlob:Container", _documentsContainer);
        }

        // Tests integrate the audit log themselves (IntegrateLedgerAsync), so what is in the tree is what they put there.
        builder.UseSetting("Audit:SigningKeySeed", _ledgerSeed);
        builder.UseSetting("Audit:IntegrationIntervalMilliseconds", "0");

        // Likewise bulk transfers: tests run the batches themselves (TransferJobRunner).
        builder.UseSetting("Transfers:PollIntervalMilliseconds", "0");

        // And subject access requests: tests claim and gather them themselves (SubjectAccessGatherer).
        builder.UseSetting("SubjectAccess:PollIntervalMilliseconds", "0");

        // And the dispute sweep: tests run it themselves (DisputeStageSweep), on their own clock.
        builder.UseSetting("Disputes:SweepSeconds", "0");
        // And alerts: tests run the passes themselves (RunAlertPassAsync).
        builder.UseSetting("Alerts:IntervalSeconds", "0");

        // And webhooks: tests run the dispatcher's passes themselves (RunWebhookPassAsync). Instances on one database
        // share the Data Protection keys that encrypt subscription secrets, as deployed instances must.
        builder.UseSetting("Webhooks:IntervalMilliseconds", "0");
        builder.UseSetting("DataProtection:KeysDirectory", KeysDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>
    /// A client as CreateClient makes it (redirects followed; no cookies, which the API does not use), whose every answer
    /// is checked against the committed OpenAPI document (<see cref="ResponsesMatchTheContract"/>).
    /// </summary>
    private HttpClient CheckedClient() =>
        CreateDefaultClient(ClientOptions.BaseAddress, new RedirectHandler(ClientOptions.MaxAutomaticRedirections), new ResponsesMatchTheContract());

    /// <summary>A client acting as one person of one organisation with the given roles.</summary>
    public HttpClient ClientFor(string organisation, string userId, params string[] roles)
    {
        RequireOrSkip();

        var client = CheckedClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(organisation, userId, roles));
        return client;
    }

    public HttpClient AnonymousClient()
    {
        RequireOrSkip();

        return CheckedClient();
    }

    /// <summary>Skips the test (or fails it, where required) when the database engine or the document store is not installed.</summary>
    public void RequireOrSkip()
    {
        if (Engine == Engine.Postgres)
        {
            PostgresCluster.RequireOrSkip();
        }

        if (DocumentStore == DocumentStoreKind.AzureBlob)
        {
            Azurite.RequireOrSkip();
        }
    }

    /// <summary>A token for one person; their display name is their user id unless <paramref name="userName"/> says otherwise.</summary>
    public string TokenFor(string organisation, string userId, string[] roles, TimeSpan? lifetime = null, string? userName = null) =>
        new TokenIssuer(
                Services.GetRequiredService<AuthOptions>(),
                new SymmetricSecurityKey(SigningKey),
                TimeProvider.System)
            .Issue(organisation, userId, userName ?? userId, roles, lifetime ?? TimeSpan.FromHours(1));

    /// <summary>Appends every committed audit entry to the log and signs a checkpoint, as the background integrator does.</summary>
    public async Task<long> IntegrateLedgerAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var integrator = scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Auditing.LedgerIntegrator>();
        while (await integrator.IntegrateAsync(5_000, CancellationToken.None) > 0)
        {
        }

        await integrator.CheckpointAsync(CancellationToken.None);
        return await integrator.TreeSizeAsync(CancellationToken.None);
    }

    /// <summary>Runs one alert pass as the background job would (this instance's lease, its clock).</summary>
    public async Task<CaseTransfer.Application.Alerts.AlertPassResult> RunAlertPassAsync(
        CaseTransfer.Application.Alerts.AlertPassKind kind = CaseTransfer.Application.Alerts.AlertPassKind.Full)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Alerts.AlertJob>().RunAsync(kind, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs one webhook dispatcher pass as the background service would (this instance's claims, its clock).</summary>
    public async Task<CaseTransfer.Application.Webhooks.WebhookPassResult> RunWebhookPassAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaseTransfer.Application.Webhooks.WebhookDispatcher>().RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Runs work against the database directly, to check what a request did or did not write.</summary>
    public async Task<T> InDatabaseAsync<T>(Func<CaseTransferDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CaseTransferDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_sqliteDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow runner is left in /tmp rather than failing the run.
            }
        }

        if (_ownsDocuments && Directory.Exists(_documentsDirectory))
        {
            Directory.Delete(_documentsDirectory, recursive: true);
        }

        if (_ownsDocuments && Directory.Exists(KeysDirectory))
        {
            Directory.Delete(KeysDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteApp() : CaseTransferApp(Engine.Sqlite);

internal sealed class SameDatabaseApp : CaseTransferApp
{
    public SameDatabaseApp(CaseTransferApp original)
        : base(original.Engine, original.DocumentStore)
    {
        UseDatabaseOf(original);
    }
}

public sealed class PostgresApp() : CaseTransferApp(Engine.Postgres);

/// <summary>The service on SQLite with its documents in Azure Blob Storage (Azurite).</summary>
public sealed class SqliteAzureBlobApp() : CaseTransferApp(Engine.Sqlite, DocumentStoreKind.AzureBlob);
