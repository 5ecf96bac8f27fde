using CaseTransfer.Infrastructure.Auditing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CaseTransfer.Api.Tests.Infrastructure;

/// <summary>
/// The service with extra settings (the audit log's rhythm, say), optionally on a clock the test moves and with a log
/// provider that also sees the audit integrator's Debug lines; or the service started again on another app's database
/// with its keys, as after a restart (disposing it stops it gracefully and leaves the database alone).
/// </summary>
internal sealed class ConfiguredApp : CaseTransferApp
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly TimeProvider? _clock;
    private readonly ILoggerProvider? _log;

    public ConfiguredApp(Engine engine, IReadOnlyDictionary<string, string> settings, TimeProvider? clock = null, ILoggerProvider? log = null)
        : base(engine)
    {
        _settings = settings;
        _clock = clock;
        _log = log;
    }

    public ConfiguredApp(CaseTransferApp original, IReadOnlyDictionary<string, string> settings, TimeProvider? clock = null, ILoggerProvider? log = null)
        : this(original.Engine, settings, clock, log)
    {
        UseDatabaseOf(original);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_log is not null)
        {
            builder.UseSetting($"Logging:LogLevel:{typeof(AuditLedgerService).FullName}", "Debug");
            builder.ConfigureLogging(logging => logging.AddProvider(_log));
        }

        if (_clock is not null)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(_clock);
            });
        }
    }
}
