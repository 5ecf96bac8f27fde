using System.Text.Json.Serialization;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Disputes;

namespace CaseTransfer.Application.Disputes;

/// <summary>The decision disputed: its kind, id, and where to read it.</summary>
public sealed record DisputeSubjectView(DisputeSubjectKind Kind, Guid Id, string Href);

/// <summary>One statement, in order, with its author and instant.</summary>
/// <param name="Sequence">1 for the grounds the dispute was raised with, then each statement in the order it was added.</param>
/// <param name="Stage">The stage the dispute was at when it was made.</param>
public sealed record DisputeStatementView(
    int Sequence, DisputeStage Stage, string AuthorUserId, string AuthorName, string AuthorOrganisation, string Text, DateTimeOffset At);

/// <summary>One change of stage: from (null when raised), to, why, who (<c>system</c> for a lapse), when, and the new stage's deadline.</summary>
public sealed record DisputeStageChangeView(
    int Sequence, DisputeStage? From, DisputeStage To, DisputeStageCause Cause, string By, DateTimeOffset At, DateTimeOffset? DueBy);

/// <summary>The actions open on the dispute in its current stage (who may take them is for the server to say).</summary>
public sealed record DisputeLinks(string Self, string Case, string Subject, string? Statements, string? MoveUp, string? Resolve);

/// <summary>
/// A dispute as both parties see it: the subject, the parties, the stage with its deadline and how it was reached,
/// every statement in order, every stage change, and the outcome.
/// </summary>
/// <param name="StageEnteredAt">When the current stage began.</param>
/// <param name="StageReachedBy">How the current stage was reached: Raised, Request (a manager asked, or resolved it), or Lapse (the Local stage passed its limit and the service moved it up).</param>
/// <param name="StageDueBy">The current stage's time limit: the end of its last working day (null once resolved).</param>
/// <param name="StageDueByLondon">The same instant in London time with its offset.</param>
/// <param name="Overdue">Past the current stage's limit now: a Senior stage past its limit stays Senior and overdue.</param>
/// <param name="NewHolder">On a resolution that moved the case: the organisation that holds it now.</param>
public sealed record DisputeView(
    Guid Id,
    string Crn,
    DisputeSubjectView Subject,
    string NpsOrganisation,
    string Provider,
    string RaisedByOrganisation,
    string RaisedBy,
    DateTimeOffset RaisedAt,
    string Grounds,
    DisputeStage Stage,
    DateTimeOffset StageEnteredAt,
    DisputeStageCause StageReachedBy,
    DateTimeOffset? StageDueBy,
    string? StageDueByLondon,
    bool Overdue,
    DisputeOutcome? Outcome,
    string? OutcomeText,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    string? NewHolder,
    Guid? ResponsibleOfficerId,
    IReadOnlyList<DisputeStatementView> Statements,
    IReadOnlyList<DisputeStageChangeView> StageChanges,
    long Version,
    DisputeLinks Links) : IAuditedResult
{
    [JsonIgnore]
    public string ResourceType => "dispute";

    [JsonIgnore]
    string IAuditedResult.ResourceId => Id.ToString();

    [JsonIgnore]
    long? IAuditedResult.ResourceVersion => Version;

    [JsonIgnore]
    string? IAuditedResult.Crn => Crn;

    [JsonIgnore]
    public string? ChangeSummary { get; init; }

    /// <summary>The consultation entry for reading it with <paramref name="action"/>.</summary>
    public AuditFacts Consulted(string action) => new(AuditOperation.Consultation, action, Crn, ResourceType, Id.ToString(), Version, ResourceType);

    public static DisputeView From(Dispute d, DateTimeOffset now)
    {
        var self = $"/api/v1/disputes/{d.Id}";
        string? If(bool open, string action) => open ? $"{self}/{action}" : null;
        var subject = d.SubjectKind == DisputeSubjectKind.AllocationRejection ? "allocations" : "escalations";
        return new(
            d.Id,
            d.Crn.Value,
            new DisputeSubjectView(d.SubjectKind, d.SubjectId, $"/api/v1/{subject}/{d.SubjectId}"),
            d.NpsOrganisationCode,
            d.ProviderCode,
            d.RaisedByOrganisationCode,
            d.RaisedBy,
            d.RaisedAt,
            d.Grounds,
            d.Stage,
            d.StageEnteredAt,
            d.StageReachedBy,
            d.StageDueBy,
            d.StageDueBy is { } due ? London.Render(due) : null,
            d.IsOverdue(now),
            d.Outcome,
            d.OutcomeText,
            d.ResolvedBy,
            d.ResolvedAt,
            d.NewHolderCode,
            d.ResponsibleOfficerId,
            [.. d.Statements.OrderBy(s => s.Sequence).Select(s => new DisputeStatementView(s.Sequence, s.Stage, s.AuthorUserId, s.AuthorName, s.AuthorOrganisationCode, s.Text, s.At))],
            [.. d.StageChanges.OrderBy(c => c.Sequence).Select(c => new DisputeStageChangeView(c.Sequence, c.From, c.To, c.Cause, c.By, c.At, c.DueBy))],
            d.Version,
            new DisputeLinks(
                self,
                $"/api/v1/cases/{d.Crn.Value}",
                $"/api/v1/{subject}/{d.SubjectId}",
                If(d.IsOpen, "statements"),
                If(d.Stage == DisputeStage.Local, "move-up"),
                If(d.IsOpen, "resolve")));
    }

    /// <summary>The view after a change, with the audit entry's summary of it (stages and codes, no free text).</summary>
    public static DisputeView Changed(Dispute d, DisputeStage? before, DateTimeOffset now) => From(d, now) with
    {
        ChangeSummary = $"stage: {before?.ToString() ?? "none"} -> {d.Stage} ({d.StageReachedBy}); subject: {d.SubjectKind} {d.SubjectId}"
            + (d.StageDueBy is { } due ? $"; due by {due:O}" : "")
            + (d.Outcome is { } outcome ? $"; outcome: {outcome}" : "")
            + (d.NewHolderCode is { } holder ? $"; holder: {d.OtherParty(holder)} -> {holder}" : "")
            + $"; statements: {d.Statements.Count}",
    };
}
