using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Sharing;
using FluentValidation;
using Mediator;

namespace CaseTransfer.Application.Sharing;

/// <summary>
/// An information officer or case manager asks another organisation for information about a case their organisation
/// holds, or is being asked to take (an open allocation or escalation to it): the type, purpose and lawful basis (all
/// required), urgency, and the date the answer is due.
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record RequestInformation(
    string Crn,
    string? AddresseeOrganisation,
    InformationType? Type,
    string? OtherType,
    string? Purpose,
    LawfulBasis? LawfulBasis,
    RequestUrgency? Urgency,
    DateOnly? DueDate) : ICommand<InformationRequestView>, IAuditedCommand, IDisclosureTerms, ICaseMessage
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => $"information requested: {Type}, {Urgency}, due {DueDate:yyyy-MM-dd}";
}

public sealed class RequestInformationValidator : AbstractValidator<RequestInformation>
{
    public RequestInformationValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.AddresseeOrganisation).NotEmpty().WithMessage("is required")
            .MaximumLength(Domain.Organisations.Organisation.CodeMaxLength).WithMessage($"must be at most {Domain.Organisations.Organisation.CodeMaxLength} characters");
        this.DisclosureRules();
        RuleFor(c => c.Urgency).Required();
        RuleFor(c => c.DueDate).Required();
    }
}

public sealed class RequestInformationHandler(IAppDbContext db, SharingAccess access) : ICommandHandler<RequestInformation, InformationRequestView>
{
    public async ValueTask<InformationRequestView> Handle(RequestInformation command, CancellationToken cancellationToken)
    {
        var (caseId, crn) = await access.CaseToAskAboutAsync(command.Crn, cancellationToken);
        await access.EnsureOrganisationAsync(command.AddresseeOrganisation!, "addresseeOrganisation", cancellationToken);
        var now = access.Now;
        var request = InformationRequest.Make(
            Guid.CreateVersion7(now), caseId, crn, access.Caller(), command.AddresseeOrganisation!, command.ToDisclosure(), command.Urgency!.Value, command.DueDate!.Value, now);
        db.InformationRequests.Add(request);
        return InformationRequestView.From(request, now, await access.CodesAsync(cancellationToken));
    }
}

/// <summary>An answer or withdrawal of one request, honouring If-Match.</summary>
public abstract record InformationRequestAction(Guid Id, IfMatch? ExpectedVersion) : ICommand<InformationRequestView>, IVersionedCommand, IAuditedCommand
{
    [JsonIgnore]
    public virtual AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public abstract string? AuditSummary { get; }
}

/// <summary>
/// The organisation asked provides the information: a share to the requester's organisation (optionally only named
/// people there), for the request's purpose and basis, read-only or as a copy, until an expiry. With
/// <paramref name="Withheld"/> and <paramref name="WithheldReason"/> it provides in part, saying what is withheld and why.
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record ProvideInformation(
    Guid Id,
    IReadOnlyList<string>? RecipientUserIds,
    ShareMode? Mode,
    DateTimeOffset? ExpiresAt,
    string? Content,
    IReadOnlyList<Guid>? DocumentIds,
    string? Withheld,
    WithholdingReason? WithheldReason,
    IfMatch? ExpectedVersion) : InformationRequestAction(Id, ExpectedVersion), IShareTerms
{
    [JsonIgnore]
    public override AuditOperation Operation => AuditOperation.Disclosure;

    [JsonIgnore]
    public override string? AuditSummary => (Withheld is null ? "information provided: " : $"information provided in part ({WithheldReason} withheld): ") + this.Summary(null);
}

public sealed class ProvideInformationValidator : AbstractValidator<ProvideInformation>
{
    public ProvideInformationValidator()
    {
        RuleFor(c => c.Id).NotEmpty().WithMessage("is required");
        this.ShareTermsRules();
        RuleFor(c => c.Withheld).MaximumLength(Share.WithheldMaxLength).WithMessage($"must be at most {Share.WithheldMaxLength} characters");
        RuleFor(c => c.WithheldReason).NotNull().WithMessage("is required with withheld").When(c => !string.IsNullOrWhiteSpace(c.Withheld));
        RuleFor(c => c.Withheld).NotEmpty().WithMessage("is required with withheldReason: say what is withheld").When(c => c.WithheldReason is not null);
    }
}

public sealed class ProvideInformationHandler(SharingAccess access, ShareMaker maker) : ICommandHandler<ProvideInformation, InformationRequestView>
{
    public async ValueTask<InformationRequestView> Handle(ProvideInformation command, CancellationToken cancellationToken)
    {
        var request = await access.GetRequestForChangeAsync(command.Id, asAddressee: true, command.ExpectedVersion, cancellationToken);
        request.EnsureOpen();
        var withheld = string.IsNullOrWhiteSpace(command.Withheld) ? null : command.Withheld.Trim();
        var share = await maker.MakeAsync(
            request.CaseId, request.Crn, request.RequesterOrganisationCode, command, request.Disclosure, cancellationToken,
            request.Id, withheld, withheld is null ? null : command.WithheldReason);
        request.Provide(share, access.Caller().UserId, access.Now);
        return InformationRequestView.From(request, access.Now, await access.CodesAsync(cancellationToken)) with
        {
            ChangeSummary = $"{command.AuditSummary}; share {share.Id}",
            Recipients = share.RecipientsText,
        };
    }
}

/// <summary>The organisation asked refuses, with a coded reason (Other needs words).</summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record RefuseInformationRequest(Guid Id, WithholdingReason? Reason, string? Text, IfMatch? ExpectedVersion) : InformationRequestAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => $"information request refused: {Reason}";
}

public sealed class RefuseInformationRequestValidator : AbstractValidator<RefuseInformationRequest>
{
    public RefuseInformationRequestValidator()
    {
        RuleFor(c => c.Id).NotEmpty().WithMessage("is required");
        RuleFor(c => c.Reason).Required();
        RuleFor(c => c.Text).MaximumLength(InformationRequest.TextMaxLength).WithMessage($"must be at most {InformationRequest.TextMaxLength} characters");
    }
}

public sealed class RefuseInformationRequestHandler(SharingAccess access) : ICommandHandler<RefuseInformationRequest, InformationRequestView>
{
    public async ValueTask<InformationRequestView> Handle(RefuseInformationRequest command, CancellationToken cancellationToken)
    {
        var request = await access.GetRequestForChangeAsync(command.Id, asAddressee: true, command.ExpectedVersion, cancellationToken);
        request.Refuse(command.Reason!.Value, command.Text, access.Caller().UserId, access.Now);
        return InformationRequestView.From(request, access.Now, await access.CodesAsync(cancellationToken));
    }
}

/// <summary>The requester no longer needs the information.</summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record WithdrawInformationRequest(Guid Id, IfMatch? ExpectedVersion) : InformationRequestAction(Id, ExpectedVersion)
{
    [JsonIgnore]
    public override string? AuditSummary => "information request withdrawn";
}

public sealed class WithdrawInformationRequestValidator : AbstractValidator<WithdrawInformationRequest>
{
    public WithdrawInformationRequestValidator() => RuleFor(c => c.Id).NotEmpty().WithMessage("is required");
}

public sealed class WithdrawInformationRequestHandler(SharingAccess access) : ICommandHandler<WithdrawInformationRequest, InformationRequestView>
{
    public async ValueTask<InformationRequestView> Handle(WithdrawInformationRequest command, CancellationToken cancellationToken)
    {
        var request = await access.GetRequestForChangeAsync(command.Id, asAddressee: false, command.ExpectedVersion, cancellationToken);
        request.Withdraw(access.Caller().UserId, access.Now);
        return InformationRequestView.From(request, access.Now, await access.CodesAsync(cancellationToken));
    }
}
