using CaseTransfer.Application.Common;

namespace CaseTransfer.Api.Auth;

/// <summary>The caller as the validated bearer token describes them.</summary>
public sealed class HttpCaller(IHttpContextAccessor accessor) : ICaller
{
    private System.Security.Claims.ClaimsPrincipal? User => accessor.HttpContext?.User;

    public bool IsAuthenticated => User?.Identity?.IsAuthenticated == true && Claim(Claims.Organisation) is not null;
    public string OrganisationCode => Claim(Claims.Organisation) ?? "";
    public string UserId => Claim(Claims.Subject) ?? "";
    public string UserName => Claim(Claims.Name) ?? UserId;
    public string? ClientId => Claim(Claims.ClientId) ?? Claim("azp");

    public IReadOnlySet<string> Roles =>
        field ??= User?.FindAll(Claims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal) ?? [];

    private string? Claim(string type) => User?.FindFirst(type)?.Value;
}

/// <summary>The service itself, for work started from the command line (seeding, migrations).</summary>
public sealed class SystemCaller : ICaller
{
    public bool IsAuthenticated => true;
    public string OrganisationCode => "NPS";
    public string UserId => "system";
    public string UserName => "CaseTransfer service";
    public string? ClientId => "case-transfer-cli";
    public IReadOnlySet<string> Roles { get; } = new HashSet<string>(CaseTransfer.Application.Common.Roles.All);
}
