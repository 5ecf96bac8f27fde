using CaseTransfer.Api.Http;
using CaseTransfer.Application.VictimLiaison;
using CaseTransfer.Domain.VictimLiaison;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CaseTransfer.Api.Endpoints;

/// <summary>
/// Victim liaison: the NPS victim liaison unit records on any case the conditions that protect a victim (which the
/// holder must act on), the contact reference the holder quotes to the unit, and the victims' own details, which only
/// the unit ever reads.
/// </summary>
public static class VictimLiaisonEndpoints
{
    private const string UnitOnly = "The NPS victim liaison unit only: the victim-liaison role in the NPS or an NPS region (403 otherwise, whatever the case); it addresses any case by CRN, whoever holds it (404 for an unknown CRN).";

    private const string VictimsOnly = "The NPS victim liaison unit only (the victim-liaison role in the NPS or an NPS region). Anyone else gets 404, exactly as for a case they cannot see, never 403.";

    public static void MapVictimLiaisonEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/cases/{crn}").WithTags("Victim liaison").RequireAuthorization();

        group.MapPost("/victim-conditions", RecordVictimCondition)
            .WithName(nameof(RecordVictimCondition))
            .WithSummary("The NPS victim liaison unit records a condition that protects a victim: an exclusion zone, no contact, a reporting restriction")
            .WithDescription($"An ExclusionZone names its place or area. The holder sees it in the case summary (victimLiaison.conditions) and the conditions list. {UnitOnly} Audited (the kind only), with a case-transfer.victim-condition.recorded event. Accepts Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 413, 422);

        group.MapGet("/victim-conditions", GetVictimConditions)
            .WithName(nameof(GetVictimConditions))
            .WithSummary("The case's victim conditions, current and ended, in the order they start")
            .WithDescription("For the holder (and a provider in its handover period), not for the recipients of a share, and for the NPS victim liaison unit on any case. current is true until the condition is ended or passes its last day. A consultation in the audit log.")
            .WritesProblems(400, 401, 403, 404);

        group.MapPost("/victim-conditions/{id}/end", EndVictimCondition)
            .WithName(nameof(EndVictimCondition))
            .WithSummary("The NPS victim liaison unit ends a condition: it no longer applies")
            .WithDescription($"The condition is kept, marked ended. 409 victim-condition-already-ended. {UnitOnly} Honours If-Match (the condition's ETag) and Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 409, 412, 413, 422);

        group.MapPut("/victim-contact", SetVictimContactReference)
            .WithName(nameof(SetVictimContactReference))
            .WithSummary("The NPS victim liaison unit sets the case's contact reference, which the holder quotes to the unit")
            .WithDescription($"reference matches {VictimLiaisonRecord.ContactReferencePattern} (VLU-NW/2026/0042); it replaces any earlier one. Shown in the case summary as victimLiaison.contactReference. {UnitOnly} Audited, with a case-transfer.victim-liaison.contact-reference-set event. Accepts Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 413, 422);

        group.MapPost("/victims", RecordVictim)
            .WithName(nameof(RecordVictim))
            .WithSummary("The NPS victim liaison unit records a victim's details: name, address, phone, email, relationship, notes")
            .WithDescription($"Stored apart from the case: no case query, list, event or audit summary carries them, and the answer gives the id only. Validation errors name fields and never repeat what was sent. {VictimsOnly} Accepts Idempotency-Key.")
            .WritesProblems(400, 401, 403, 404, 413, 422);

        group.MapGet("/victims", GetVictims)
            .WithName(nameof(GetVictims))
            .WithSummary("The victims' details on a case, for the NPS victim liaison unit")
            .WithDescription($"{VictimsOnly} A consultation in the audit log.")
            .WritesProblems(400, 401, 403, 404);
    }

    public static async Task<Created<VictimConditionView>> RecordVictimCondition(
        string crn, VictimConditionRequest body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RecordVictimCondition(crn, body.Kind, body.Description, body.Place, body.StartsOn, body.EndsOn), cancellationToken);
        return EndpointConventions.CreatedWithETag(result, $"/api/v1/cases/{crn}/victim-conditions", result.Version, response);
    }

    public static async Task<Ok<IReadOnlyList<VictimConditionView>>> GetVictimConditions(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.VictimLiaison.GetVictimConditions(crn), cancellationToken));

    public static async Task<Ok<VictimConditionView>> EndVictimCondition(
        string crn, Guid id, IMediator mediator, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new Application.VictimLiaison.EndVictimCondition(crn, id, ETags.IfMatch(request)), cancellationToken);
        return EndpointConventions.OkWithETag(result, result.Version, response);
    }

    public static async Task<Ok<VictimContactView>> SetVictimContactReference(
        string crn, VictimContactRequest body, IMediator mediator, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new Application.VictimLiaison.SetVictimContactReference(crn, body.Reference), cancellationToken);
        return EndpointConventions.OkWithETag(result, result.Version, response);
    }

    public static async Task<Created<VictimRecorded>> RecordVictim(
        string crn, VictimRequest body, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(
            new Application.VictimLiaison.RecordVictim(crn, body.Name, body.Address, body.Phone, body.Email, body.Relationship, body.Notes), cancellationToken);
        return TypedResults.Created($"/api/v1/cases/{crn}/victims", result);
    }

    public static async Task<Ok<IReadOnlyList<VictimView>>> GetVictims(string crn, IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.VictimLiaison.GetVictims(crn), cancellationToken));
}

/// <param name="Kind">ExclusionZone (with a place), NoContact or ReportingRestriction.</param>
/// <param name="Description">What the condition forbids, in words (at most 1000 characters).</param>
/// <param name="Place">The named place or area of an exclusion zone (at most 200 characters); required for ExclusionZone.</param>
/// <param name="StartsOn">The day it applies from.</param>
/// <param name="EndsOn">Its last day, when it has one (not before startsOn).</param>
public sealed record VictimConditionRequest(VictimConditionKind? Kind, string? Description, string? Place, DateOnly? StartsOn, DateOnly? EndsOn);

/// <param name="Reference">Upper-case letters, digits, '/' and '-', 3 to 30 characters, starting with a letter or digit.</param>
public sealed record VictimContactRequest(string? Reference);

/// <param name="Name">The victim's name (at most 200 characters).</param>
/// <param name="Address">Postal address (at most 500).</param>
/// <param name="Phone">Telephone number (at most 40): digits, spaces, brackets, hyphens, an optional leading +.</param>
/// <param name="Email">Email address (at most 254).</param>
/// <param name="Relationship">To the person on probation (at most 100).</param>
/// <param name="Notes">The unit's notes (at most 2000).</param>
public sealed record VictimRequest(string? Name, string? Address, string? Phone, string? Email, string? Relationship, string? Notes);
