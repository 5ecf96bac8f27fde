using CaseTransfer.Api.Endpoints;
using CaseTransfer.Api.Http;
using CaseTransfer.Application.Common;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CaseTransfer.Api.Hosting;

public static class Pipeline
{
    public static WebApplication UseCaseTransfer(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RejectOversizedBodies(app.Configuration.GetValue("Api:MaxRequestBodyBytes", ServiceRegistration.DefaultMaxRequestBodyBytes)));
        app.Use(AddWriteHeaders);

        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "CaseTransfer v1");
            o.RoutePrefix = "swagger";
        });

        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapCaseEndpoints();
        app.MapOrganisationEndpoints();
        app.MapAuditEndpoints();
        app.MapAllocationRuleEndpoints();
        app.MapAllocationEndpoints();
        app.MapEscalationEndpoints();
        app.MapDisputeEndpoints();
        app.MapSharingEndpoints();
        app.MapVictimLiaisonEndpoints();
        app.MapDocumentEndpoints();
        app.MapAlertEndpoints();
        app.MapTransferEndpoints();
        app.MapSubjectAccessEndpoints();
        app.MapEventEndpoints();
        app.MapSubscriptionEndpoints();
        return app;
    }

    /// <summary>
    /// Refuses a declared body over the limit before reading it (413). Kestrel enforces the same limit on streamed
    /// bodies; this also holds where the server does not (the test host). A document upload has its own, larger limit,
    /// which the document intake enforces as the body streams (<see cref="DocumentBodyMetadata"/>).
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> RejectOversizedBodies(long limit) => (context, next) =>
    {
        if (context.Request.ContentLength > limit && context.GetEndpoint()?.Metadata.GetMetadata<DocumentBodyMetadata>() is not { Request: true })
        {
            throw new BadHttpRequestException(
                $"The request body is {context.Request.ContentLength} bytes; the limit is {limit}.", StatusCodes.Status413PayloadTooLarge);
        }

        return next(context);
    };

    private static Task AddWriteHeaders(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            var request = context.RequestServices.GetService<IRequestContext>();
            if (request is { Replayed: true })
            {
                context.Response.Headers[RequestContext.ReplayedHeader] = "true";
            }

            // Only a committed write has a receipt: an error response never carries one.
            if (request?.AuditReceipt is { } receipt && context.Response.StatusCode is >= 200 and < 300)
            {
                context.Response.Headers[RequestContext.AuditReceiptHeader] = receipt;
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
