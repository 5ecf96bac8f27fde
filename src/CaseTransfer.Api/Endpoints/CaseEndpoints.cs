using CaseTransfer.Api.Http;
using CaseTransfer.Application;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Workload;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CaseTransfer.Api.Endpoints;

/// <summary>Case records: open, read the whole picture, search, record risk, name the responsible officer.</summary>
public static class CaseEndpoints
{
    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/cases").WithTags("Cases").RequireAuthorization();

        group.MapPost("/", CreateCase)
            .WithName(nameof(CreateCase))
            .WithSummary("Open or import a case")
            .WithDescription("Opens a case held by the NPS region that covers its area. Accepts Idempotency-Key.")
            .Accepts<CreateCase>("application/json")
            .WritesProblems(400, 401, 403, 409, 413, 422);

        group.MapGet("/", SearchCases)
            .WithName(nameof(SearchCases))
            .WithSummary("Search cases by CRN, PNC ID, NOMS number, date of birth or a forgiving name")
            .WithDescription("Ranked best first with a score, among the cases the caller may see. A PNC ID is found in full (2019/0052494Q), without "
                + "leading zeros (2019/52494Q) or with a two-digit year (19/52494Q); a query that is written as a PNC ID but whose check letter does "
                + "not match is a 400 naming q. Names match with typos, phonetic spellings, swapped or missing forenames, and forename short forms "
                + "from a reviewed list (Bob finds Robert and Robert finds Bob, just below an exact forename), against the case's name and its "
                + "other names (aliases, known-as names; matchedOn says otherName when one of those fitted best). "
                + $"limit defaults to {Application.Cases.SearchCases.DefaultLimit}, at most {Application.Cases.SearchCases.MaxLimit}.")
            .WritesProblems(400, 401, 403);

        group.MapGet("/{crn}", GetCase)
            .WithName(nameof(GetCase))
            .WithSummary("The whole picture of a case in one request")
            .WithDescription("Holder, responsible officer, current risk, key dates (including the next release date) and anything pending. The ETag is the case version.")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/{crn}/risk-assessments", RecordRiskAssessment)
            .WithName(nameof(RecordRiskAssessment))
            .WithSummary("Record a new risk assessment")
            .WithDescription("Adds to the case's risk history; the newest assessment is the current risk. When a provider holds the case and the active allocation ruleset now keeps such a case with the NPS, the answer says escalationRequired with the rules that fired and the NPS region to escalate to (escalation), and a case-transfer.case.escalation-required event is written. Honours If-Match and Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 412, 413, 422);

        group.MapGet("/{crn}/risk-assessments", GetRiskAssessments)
            .WithName(nameof(GetRiskAssessments))
            .WithSummary("The risk assessment history of a case, newest first")
            .WritesProblems(400, 401, 403, 404);

        group.MapGet("/{crn}/holders", GetCaseHolders)
            .WithName(nameof(GetCaseHolders))
            .WithSummary("Every organisation and responsible officer that has held the case")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/{crn}/responsible-officer", AssignResponsibleOfficer)
            .WithName(nameof(AssignResponsibleOfficer))
            .WithSummary("Name the responsible officer within the holding organisation")
            .WithDescription("The practitioner must work for the holder, not be excluded from the case, and be on its restriction list if it has one. "
                + "When the case would take them over 100% of capacity the answer is 409 practitioner-over-capacity with the figures; resend with "
                + "capacityAcknowledgement holding the figures shown, and they are stored with the assignment. Honours If-Match and Idempotency-Key.")
            .WritesProblemsWithCapacityFigures(400, 401, 403, 404, 409, 412, 413, 422);

        group.MapPost("/{crn}/other-names", RecordOtherName)
            .WithName(nameof(RecordOtherName))
            .WithSummary("Record another name the person is known by (an alias or a known-as name)")
            .WithDescription("The case's search keys then cover it: search finds the case by it as by the main name (matchedOn: otherName), "
                + "and the case picture lists it under otherNames. Refused (409) when it is the case's own name (other-name-is-the-name), "
                + $"already recorded (other-name-already-recorded), or one more than {Domain.Cases.CaseOtherName.MaxPerCase} (too-many-other-names). "
                + "Audited, with a case-transfer.case.other-name-recorded event. Changes the case version. Honours If-Match and Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 412, 413, 422);

        group.MapGet("/{crn}/access-limits", GetAccessLimits)
            .WithName(nameof(GetAccessLimits))
            .WithSummary("The case's exclusion and restriction lists, with removed entries")
            .WithDescription("For allocators, case managers, managers and administrators of the holding organisation.")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/{crn}/access-limits", AddAccessLimit)
            .WithName(nameof(AddAccessLimit))
            .WithSummary("Exclude a member of staff from the case, or name them on its restriction list")
            .WithDescription("An excluded person, and anyone not on a restriction list, gets 404 for the case and never finds it in search. "
                + "Refused (409) when the person is already on a list (already-on-access-list) or on the other one (access-lists-contradict), "
                + "is the responsible officer (responsible-officer-excluded: reassign first), or when a restriction list would not name the "
                + "caller (restriction-would-lock-out-caller: add yourself first). A restriction list that would hide the case from its responsible "
                + "officer names them too, as an entry of its own that the answer returns as responsibleOfficerLimit (null otherwise). "
                + "Changes the case version. Honours If-Match and Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 412, 413, 422);

        group.MapPost("/{crn}/access-limits/{id}/remove", RemoveAccessLimit)
            .WithName(nameof(RemoveAccessLimit))
            .WithSummary("Take a member of staff off the case's exclusion or restriction list")
            .WithDescription("The entry is kept, marked removed. Refused (409) when already removed, or when it would leave a restriction list "
                + "that does not name the caller (restriction-would-lock-out-caller), or newly hide the case from its responsible officer "
                + "(restriction-would-lock-out-responsible-officer: reassign first). Removing the last name lifts the list, and so does taking "
                + "yourself off when only the responsible officer would be left: their entry goes too, returned as responsibleOfficerLimit. "
                + "Changes the case version. Honours If-Match and Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 412, 422);
    }

    public static async Task<Created<CaseChanged>> CreateCase(CreateCase body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(body, cancellationToken);
        response.Headers.ETag = ETags.For(result.Version);
        return TypedResults.Created($"/api/v1/cases/{result.Crn}", result);
    }

    public static async Task<Ok<Page<CaseSearchResult>>> SearchCases(
        [FromQuery] string? q, [FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new SearchCases(q, limit, cursor), cancellationToken));

    public static async Task<Ok<CaseSummary>> GetCase(string crn, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var summary = await mediator.Send(new GetCaseSummary(crn), cancellationToken);
        response.Headers.ETag = ETags.For(summary.Version);
        return TypedResults.Ok(summary);
    }

    public static async Task<Created<RecordedRiskAssessment>> RecordRiskAssessment(
        string crn, RiskAssessmentInput body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RecordRiskAssessment(crn, body, ETags.IfMatch(request)), cancellationToken);
        response.Headers.ETag = ETags.For(result.CaseVersion);
        return TypedResults.Created($"/api/v1/cases/{crn}/risk-assessments", result);
    }

    public static async Task<Ok<IReadOnlyList<RiskAssessmentView>>> GetRiskAssessments(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetRiskAssessments(crn), cancellationToken));

    public static async Task<Ok<IReadOnlyList<HoldingView>>> GetCaseHolders(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetCaseHolders(crn), cancellationToken));

    public static async Task<Ok<CaseChanged>> AssignResponsibleOfficer(
        string crn, ResponsibleOfficerRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new AssignResponsibleOfficer(crn, body.PractitionerId, body.CapacityAcknowledgement, ETags.IfMatch(request)), cancellationToken);
        response.Headers.ETag = ETags.For(result.Version);
        return TypedResults.Ok(result);
    }

    public static async Task<Created<OtherNameRecorded>> RecordOtherName(
        string crn, OtherNameRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(
            new RecordOtherName(crn, body.Kind, body.FirstName, body.MiddleNames, body.LastName, ETags.IfMatch(request)), cancellationToken);
        response.Headers.ETag = ETags.For(result.CaseVersion);
        return TypedResults.Created($"/api/v1/cases/{crn}", result);
    }

    public static async Task<Ok<IReadOnlyList<AccessLimitView>>> GetAccessLimits(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetAccessLimits(crn), cancellationToken));

    public static async Task<Created<AccessLimitView>> AddAccessLimit(
        string crn, AccessLimitRequest body, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new AddAccessLimit(crn, body.Kind, body.StaffCode, body.Reason, ETags.IfMatch(request)), cancellationToken);
        response.Headers.ETag = ETags.For(result.CaseVersion);
        return TypedResults.Created($"/api/v1/cases/{crn}/access-limits", result);
    }

    public static async Task<Ok<AccessLimitView>> RemoveAccessLimit(
        string crn, Guid id, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RemoveAccessLimit(crn, id, ETags.IfMatch(request)), cancellationToken);
        response.Headers.ETag = ETags.For(result.CaseVersion);
        return TypedResults.Ok(result);
    }
}

/// <param name="Kind">Exclusion (must not see the case) or Restriction (only those named may see it).</param>
/// <param name="StaffCode">The member of staff's user id, as in their token (a practitioner's staff code).</param>
/// <param name="Reason">Why, for the record (optional).</param>
public sealed record AccessLimitRequest(CaseTransfer.Domain.Cases.AccessLimitKind? Kind, string? StaffCode, string? Reason);

/// <param name="PractitionerId">The practitioner, in the holding organisation, to name.</param>
/// <param name="CapacityAcknowledgement">
/// Needed only when the case takes the practitioner over 100% of capacity: the figures shown (a 409
/// practitioner-over-capacity answer carries them as <c>current</c>).
/// </param>
public sealed record ResponsibleOfficerRequest(Guid? PractitionerId, CapacityAcknowledgement? CapacityAcknowledgement = null);

/// <param name="Kind">Alias (a name used or recorded elsewhere) or KnownAs (the name the person goes by).</param>
/// <param name="FirstName">The first forename of the other name.</param>
/// <param name="MiddleNames">Any further forenames (optional).</param>
/// <param name="LastName">The surname of the other name.</param>
public sealed record OtherNameRequest(CaseTransfer.Domain.Cases.OtherNameKind? Kind, string? FirstName, string? MiddleNames, string? LastName);
