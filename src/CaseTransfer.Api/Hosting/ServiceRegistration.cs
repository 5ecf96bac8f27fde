using System.Diagnostics;
using System.Reflection;
using CaseTransfer.Api.Auth;
using CaseTransfer.Api.Http;
using CaseTransfer.Application.Allocations;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Application.Documents;
using CaseTransfer.Application.Escalations;
using CaseTransfer.Infrastructure.Allocations;
using CaseTransfer.Infrastructure.Auditing;
using CaseTransfer.Infrastructure.Broker;
using CaseTransfer.Infrastructure.Documents;
using CaseTransfer.Infrastructure.Persistence;
using CaseTransfer.Infrastructure.Transfers;
using FluentValidation;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CaseTransfer.Api.Hosting;

public static class ServiceRegistration
{
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddCaseTransfer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Structured logs carry the trace id that also appears in every problem details body; Logging:Format=json
        // switches the console to one JSON object per line for log collectors.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (configuration["Logging:Format"] == "json")
        {
            builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = true);
        }
        services.AddSingleton(TimeProvider.System);
        // This instance's name in the leases and claims its background jobs take on the shared database.
        services.AddSingleton<CaseTransfer.Application.Common.ServiceInstance>();
        services.AddHttpContextAccessor();

        var maxBody = configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);

        // Persistence
        services.AddCaseTransferPersistence(DatabaseOptions.From(configuration));
        var health = services.AddHealthChecks().AddDbContextCheck<CaseTransferDbContext>("database", tags: ["ready"]);

        // Documents: the store is chosen and its settings checked now, so a bad setting stops the service at start.
        services.AddDocumentStorage(
            (configuration.GetSection(DocumentOptions.Section).Get<DocumentOptions>() ?? new DocumentOptions()).Validate(),
            builder.Environment.ContentRootPath);
        services.AddMalwareScanning(
            (configuration.GetSection(ScanningOptions.Section).Get<ScanningOptions>() ?? new ScanningOptions()).Validate(), health);

        // Allocation rules: read now, so a broken ruleset file stops the service before it answers anything.
        var allocationRules = AllocationRulesOptions.From(configuration);
        services.AddSingleton(allocationRules);
        services.AddSingleton(RulesetDirectory.Load(allocationRules));

        // Application: mediator, pipeline in the documented order, validators
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(CreateCase)];
            options.PipelineBehaviors =
            [
                typeof(LoggingBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(AuthorisationBehaviour<,>),
                typeof(IdempotencyBehaviour<,>),
                typeof(TransactionBehaviour<,>),
            ];
        });
        services.AddValidatorsFromAssemblyContaining<CreateCaseValidator>(ServiceLifetime.Singleton);
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
            ProblemDetailsExceptionHandler.CamelCasePath(
                expression is not null ? FluentValidation.Internal.PropertyChain.FromExpression(expression).ToString() : member?.Name ?? "");
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member?.Name;
        services.AddScoped<IdempotencyScope>();
        services.AddSingleton<StoredResponses>();
        services.AddScoped<CaseAccess>();
        services.AddSingleton<OrganisationDirectory>();
        services.AddScoped<CaseTransfer.Application.Workload.Caseloads>();
        services.AddSingleton<CaseTransfer.Application.Workload.WorkloadModelCache>();
        services.AddSingleton<StoredRulesetHashes>();
        services.AddScoped<CaseTransfer.Application.Workload.PractitionerAssignment>();
        services.AddSingleton(configuration.GetSection(AllocationOptions.Section).Get<AllocationOptions>() ?? new AllocationOptions());
        services.AddScoped<AllocationAccess>();
        services.AddScoped<AllocationViews>();
        services.AddScoped<AllocationChanges>();
        services.AddScoped<RiskAssessmentRecorder>();
        services.AddSingleton((configuration.GetSection(EscalationOptions.Section).Get<EscalationOptions>() ?? new EscalationOptions()).Validate());
        services.AddScoped<EscalationAccess>();
        services.AddScoped<EscalationViews>();
        services.AddScoped<EscalationChanges>();
        var disputes = (configuration.GetSection(CaseTransfer.Application.Disputes.DisputeOptions.Section).Get<CaseTransfer.Application.Disputes.DisputeOptions>()
            ?? new CaseTransfer.Application.Disputes.DisputeOptions()).Validate();
        services.AddSingleton(disputes);
        services.AddScoped<CaseTransfer.Application.Disputes.DisputeAccess>();
        services.AddScoped<CaseTransfer.Application.VictimLiaison.VictimLiaisonAccess>();
        services.AddScoped<CaseTransfer.Application.Disputes.DisputeChanges>();
        services.AddScoped<CaseTransfer.Application.Disputes.DisputeStageSweep>();

        // Disputes: Local stages past their limit move up by themselves (Disputes:SweepSeconds=0 switches the sweep off).
        if (disputes.SweepSeconds > 0)
        {
            services.AddHostedService<CaseTransfer.Infrastructure.Disputes.DisputeSweepService>();
        }

        // Information sharing: requests, shares, and the documents they give.
        services.AddSingleton((configuration.GetSection(CaseTransfer.Application.Sharing.SharingOptions.Section).Get<CaseTransfer.Application.Sharing.SharingOptions>()
            ?? new CaseTransfer.Application.Sharing.SharingOptions()).Validate());
        services.AddScoped<CaseTransfer.Application.Sharing.SharingAccess>();
        services.AddScoped<CaseTransfer.Application.Sharing.ShareMaker>();
        services.AddScoped<CaseTransfer.Application.Documents.DocumentUploads>();
        services.AddScoped<CaseTransfer.Application.Common.Persistence.EventAudience>();
        services.AddScoped<CaseTransfer.Application.Events.EventFeed>();
        services.AddSingleton(new CaseTransfer.Application.Events.EventFeedOptions(
            configuration["Api:PublicBaseUrl"]?.TrimEnd('/') is { Length: > 0 } feedBaseUrl ? feedBaseUrl : null));
        services.AddSingleton<CaseTransfer.Application.Cases.NameKeyFrequencies>();
        services.AddSingleton<CaseTransfer.Application.Cases.CaseNameCache>();
        services.AddScoped<CaseTransfer.Application.Auditing.AuditTrail>();
        services.AddSingleton<CaseTransfer.Application.Auditing.IConsultationLog, GroupCommitConsultationLog>();
        services.AddScoped<CaseTransfer.Application.Auditing.LedgerIntegrator>();
        services.AddScoped<CaseTransfer.Application.Auditing.LedgerVerifier>();
        var ledger = configuration.GetSection(AuditLedgerOptions.Section).Get<AuditLedgerOptions>() ?? new AuditLedgerOptions();
        services.AddSingleton(ledger);
        services.AddSingleton(CaseTransfer.Application.Auditing.AuditRecording.For(
            builder.Environment.EnvironmentName,
            configuration.GetValue<bool?>(CaseTransfer.Application.Auditing.AuditRecording.EntriesSetting),
            configuration.GetValue<bool?>(CaseTransfer.Application.Auditing.AuditRecording.ConsultationsSetting)));
        services.AddSingleton<CaseTransfer.Application.Auditing.IAuditLedgerKeys, AuditLedgerKeys>();
        if (ledger.IntegrationIntervalMilliseconds > 0)
        {
            ledger.Validate();
            services.AddHostedService<AuditLedgerService>();
        }

        // Bulk transfers: the background worker (Transfers:PollIntervalMilliseconds=0 switches it off).
        services.AddScoped<CaseTransfer.Application.Transfers.TransferAccess>();
        services.AddScoped<CaseTransfer.Application.Transfers.TransferJobRunner>();
        services.AddSingleton<CaseTransfer.Application.Transfers.TransferWorkSignal>();
        var transfers = configuration.GetSection(TransferOptions.Section).Get<TransferOptions>() ?? new TransferOptions();
        services.AddSingleton(transfers);
        if (transfers.PollIntervalMilliseconds > 0)
        {
            services.AddHostedService<TransferWorkerService>();
        }

        // Subject access requests: the background worker (SubjectAccess:PollIntervalMilliseconds=0 switches it off).
        var subjectAccess = configuration.GetSection(CaseTransfer.Application.SubjectAccess.SubjectAccessOptions.Section).Get<CaseTransfer.Application.SubjectAccess.SubjectAccessOptions>()
            ?? new CaseTransfer.Application.SubjectAccess.SubjectAccessOptions();
        services.AddSingleton(subjectAccess);
        services.AddScoped<CaseTransfer.Application.SubjectAccess.SubjectAccessAccess>();
        services.AddScoped<CaseTransfer.Application.SubjectAccess.SubjectAccessGatherer>();
        services.AddSingleton<CaseTransfer.Application.SubjectAccess.ISubjectAccessPdf, CaseTransfer.Infrastructure.SubjectAccess.SubjectAccessPdf>();
        services.AddSingleton<CaseTransfer.Infrastructure.SubjectAccess.SubjectAccessWorkSignal>();
        if (subjectAccess.PollIntervalMilliseconds > 0)
        {
            services.AddHostedService<CaseTransfer.Infrastructure.SubjectAccess.SubjectAccessWorkerService>();
        }

        // Alerts: the background job (Alerts:IntervalSeconds=0 switches it off; tests run passes themselves).
        var alerts = (configuration.GetSection(CaseTransfer.Application.Alerts.AlertOptions.Section).Get<CaseTransfer.Application.Alerts.AlertOptions>()
            ?? new CaseTransfer.Application.Alerts.AlertOptions()).Validate();
        services.AddSingleton(alerts);
        services.AddScoped<CaseTransfer.Application.Alerts.AlertJob>();
        services.AddScoped<CaseTransfer.Application.Alerts.AlertAccess>();
        services.AddScoped<CaseTransfer.Application.Alerts.AlertChanges>();
        if (alerts.IntervalSeconds > 0)
        {
            services.AddHostedService<CaseTransfer.Infrastructure.Alerts.AlertWorkerService>();
        }

        // Webhooks: subscriptions, and the dispatcher (Webhooks:IntervalMilliseconds=0 switches it off; tests run passes themselves).
        var webhooks = (configuration.GetSection(CaseTransfer.Application.Webhooks.WebhookOptions.Section).Get<CaseTransfer.Application.Webhooks.WebhookOptions>()
            ?? new CaseTransfer.Application.Webhooks.WebhookOptions()).Validate();
        services.AddSingleton(webhooks);
        // Subscription secrets are encrypted with Data Protection; instances that share a database must share its keys
        // (DataProtection:KeysDirectory, a directory they all see), or one cannot sign for subscriptions another made.
        var protection = services.AddDataProtection().SetApplicationName("CaseTransfer");
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } keysDirectory)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
        }
        services.AddSingleton<CaseTransfer.Application.Webhooks.WebhookSecrets>();
        services.AddScoped<CaseTransfer.Application.Webhooks.SubscriptionAccess>();
        services.AddScoped<CaseTransfer.Application.Webhooks.WebhookDispatcher>();
        CaseTransfer.Infrastructure.Webhooks.WebhookSender.Register(services, webhooks);
        if (webhooks.IntervalMilliseconds > 0)
        {
            services.AddHostedService<CaseTransfer.Infrastructure.Webhooks.WebhookDispatcherService>();
        }

        // The message broker: Broker:Transport None (the default: nothing but the service) or RabbitMQ; checked now, so a
        // bad setting stops the service at start. Broker:IntervalMilliseconds=0 switches the publisher off (tests run passes).
        services.AddBroker((configuration.GetSection(CaseTransfer.Application.Broker.BrokerOptions.Section).Get<CaseTransfer.Application.Broker.BrokerOptions>()
            ?? new CaseTransfer.Application.Broker.BrokerOptions()).Validate());

        services.AddScoped<IRequestContext, RequestContext>();
        services.AddScoped<ICaller>(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext is null
            ? new SystemCaller()
            : new HttpCaller(sp.GetRequiredService<IHttpContextAccessor>()));

        // HTTP: JSON shape, problem details everywhere, bad binding throws so it is answered with the field named
        // A property the operation does not define is refused (400 naming it), so a misspelt optional field is not
        // dropped in silence. Only here, where request bodies are read: stored responses and payloads read back
        // with AppJson.Options must still read after a type loses a property.
        services.ConfigureHttpJsonOptions(o =>
        {
            AppJson.Configure(o.SerializerOptions);
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;

            // Answers no endpoint wrote (unknown route, wrong method) come from the status code pages with no detail.
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => $"There is nothing at {c.HttpContext.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{c.HttpContext.Request.Method} is not allowed on {c.HttpContext.Request.Path}.",
                _ => c.ProblemDetails.Title ?? "The request could not be answered.",
            };
            c.ProblemDetails.Extensions["traceId"] = RequestContext.Current(c.HttpContext);
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

        AddAuthentication(builder);
        AddOpenApi(services, configuration);
        return builder;
    }

    private static void AddAuthentication(WebApplicationBuilder builder)
    {
        var auth = (builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions()).Validate();
        var key = auth.ResolveKey();
        builder.Services.AddSingleton(auth);
        if (key is not null)
        {
            builder.Services.AddSingleton(key);
            builder.Services.AddSingleton<TokenIssuer>();
        }

        // Every protected endpoint needs a caller who acts for an organisation: a valid token from a partner system
        // the configuration does not know is refused here with 403 (it is authenticated, so 401 would only invite a
        // new token that fares no better), before any handler runs.
        builder.Services.AddAuthorization(o => o.DefaultPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(Claims.Organisation)
            .Build());
        var keyRotation = new KeyRotation(auth, TimeProvider.System);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.Authority = key is null ? auth.Authority : null;
            o.RequireHttpsMetadata = auth.Authority?.StartsWith("https:", StringComparison.Ordinal) ?? false;
            o.TokenValidationParameters = auth.ValidationParameters(key);

            // A token signed with a key we have not seen makes the handler fetch the authority's keys again (at most
            // once per KeyRefreshMinimumSeconds), so a provider's key rotation needs no restart.
            o.RefreshOnIssuerKeyNotFound = true;
            o.RefreshInterval = TimeSpan.FromSeconds(auth.KeyRefreshMinimumSeconds);
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.Principal is { } principal)
                    {
                        PartnerIdentity.Apply(principal, auth);
                    }

                    return Task.CompletedTask;
                },
                OnAuthenticationFailed = keyRotation.RetryWithRefreshedKeysAsync,
                OnForbidden = async context =>
                {
                    var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                    await problems.WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context.HttpContext,
                        ProblemDetails = ProblemDetailsExceptionHandler.Problem(
                            StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden.", PartnerIdentity.NoStanding(context.HttpContext.User, auth)),
                    });
                },
                // Answer 401 as problem details that say why: missing, expired, or not signed by a key we trust.
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure switch
                    {
                        SecurityTokenExpiredException => "The bearer token has expired.",
                        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The bearer token's signature is not valid.",
                        null => "A bearer token is required.",
                        _ => "The bearer token is not valid.",
                    };
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                    await problems.WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context.HttpContext,
                        ProblemDetails = ProblemDetailsExceptionHandler.Problem(
                            StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated, "Unauthenticated.", detail),
                    });
                },
            };
        });
    }

    private static void AddOpenApi(IServiceCollection services, IConfiguration configuration)
    {
        services.AddEndpointsApiExplorer();

        // Describe the JSON the endpoints actually write (AppJson: enums as strings, camelCase). Left alone,
        // Swashbuckle reads MVC's JsonOptions, which this minimal-API service never configures, and documents enums
        // as integers the service would refuse.
        services.AddSingleton<ISerializerDataContractResolver>(new JsonSerializerDataContractResolver(AppJson.Options));
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "CaseTransfer API",
                Version = "v1",
                Description = "Cases, risk and information across the boundary between the National Probation Service and the providers that supervise most people on probation.",
            });
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT. A person's token carries org (organisation code), sub (user id), name and role (one per role). "
                    + "A partner system may instead send an OAuth 2.0 client-credentials access token from the configured OpenID Connect provider, "
                    + "for this service's audience (the resource urn:case-transfer): it needs only client_id, as the organisation and roles are configured for that client here.",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });

            // Where the API is: the configured public address, or "/" (the host that serves the document), which is
            // right for the committed contract whatever the deployment.
            o.AddServer(new OpenApiServer
            {
                Url = configuration["Api:PublicBaseUrl"]?.TrimEnd('/') is { Length: > 0 } publicBaseUrl ? publicBaseUrl : "/",
                Description = "The CaseTransfer service",
            });

            // Null comes from C# nullability; RequiredAndNullable writes a nullable reference in the one form OpenAPI 3.0
            // tools honour, and says which properties are required (the generator's NonNullableReferenceTypesAsRequired
            // knows neither value types nor defaults, nor that a response always carries every property).
            o.SupportNonNullableReferenceTypes();
            o.SchemaFilter<RequiredAndNullable>();
            o.CustomSchemaIds(OpenApiSchemaIds.For);
            o.OperationFilter<TextResponses>();
            o.OperationFilter<DocumentBodies>();
            o.OperationFilter<BinaryResponses>();
            o.OperationFilter<ServerFaults>();
            o.OperationFilter<WriteHeaders>();
            o.OperationFilter<OpenApiExamples>();
            foreach (var xml in new[] { Assembly.GetExecutingAssembly() }.Select(a => Path.Combine(AppContext.BaseDirectory, a.GetName().Name + ".xml")).Where(File.Exists))
            {
                o.IncludeXmlComments(xml);
            }
        });
    }
}
