using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Sharing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Sharing;

/// <summary>What any share states about its reach: who in the recipient organisation, how, until when, and what it gives.</summary>
public interface IShareTerms
{
    IReadOnlyList<string>? RecipientUserIds { get; }
    ShareMode? Mode { get; }
    DateTimeOffset? ExpiresAt { get; }
    string? Content { get; }
    IReadOnlyList<Guid>? DocumentIds { get; }
}

/// <summary>What a share and a request both state: the type of information, the purpose and the lawful basis.</summary>
public interface IDisclosureTerms
{
    InformationType? Type { get; }
    string? OtherType { get; }
    string? Purpose { get; }
    LawfulBasis? LawfulBasis { get; }
}

public static class SharingValidation
{
    /// <summary>The type (Other with words), purpose and lawful basis: all required.</summary>
    public static void DisclosureRules<T>(this AbstractValidator<T> v)
        where T : IDisclosureTerms
    {
        v.RuleFor(c => c.Type).Required();
        v.RuleFor(c => c.OtherType).NotEmpty().WithMessage("is required when type is Other").When(c => c.Type == InformationType.Other);
        v.RuleFor(c => c.OtherType).MaximumLength(Disclosure.OtherTypeMaxLength).WithMessage($"must be at most {Disclosure.OtherTypeMaxLength} characters");
        v.RuleFor(c => c.Purpose).NotEmpty().WithMessage("is required: say why the information is needed")
            .MaximumLength(Disclosure.PurposeMaxLength).WithMessage($"must be at most {Disclosure.PurposeMaxLength} characters");
        v.RuleFor(c => c.LawfulBasis).Required();
    }

    /// <summary>Mode and expiry required; content and documents within their limits; named people well formed.</summary>
    public static void ShareTermsRules<T>(this AbstractValidator<T> v)
        where T : IShareTerms
    {
        v.RuleFor(c => c.Mode).Required();
        v.RuleFor(c => c.ExpiresAt).Required();
        v.RuleFor(c => c.Content).MaximumLength(Share.ContentMaxLength).WithMessage($"must be at most {Share.ContentMaxLength} characters");
        v.RuleFor(c => c.DocumentIds).Must(d => d is null || d.Count <= Share.MaxDocuments).WithMessage($"must list at most {Share.MaxDocuments} documents");
        v.RuleForEach(c => c.DocumentIds).NotEmpty().WithMessage("is not a document id");
        v.RuleFor(c => c.RecipientUserIds).Must(r => r is null || r.Count <= Share.MaxNamedRecipients).WithMessage($"must name at most {Share.MaxNamedRecipients} people");
        v.RuleForEach(c => c.RecipientUserIds).NotEmpty().WithMessage("is required")
            .MaximumLength(Share.UserIdMaxLength).WithMessage($"must be at most {Share.UserIdMaxLength} characters");
    }

    public static Disclosure ToDisclosure(this IDisclosureTerms terms) => new(terms.Type!.Value, terms.OtherType, terms.Purpose!, terms.LawfulBasis!.Value);

    public static string Summary(this IShareTerms terms, InformationType? type) =>
        $"shared {type}: {terms.Mode}, {terms.DocumentIds?.Count ?? 0} documents, {(terms.RecipientUserIds is { Count: > 0 } r ? $"{r.Count} named people" : "whole organisation")}, until {terms.ExpiresAt:O}";
}

/// <summary>Makes a share, proactive or in answer to a request: the one place its documents are checked and it is added.</summary>
public sealed class ShareMaker(IAppDbContext db, SharingAccess access, SharingOptions options)
{
    public async Task<Share> MakeAsync(
        Guid caseId, Crn crn, string recipient, IShareTerms terms, Disclosure disclosure, CancellationToken cancellationToken,
        Guid? requestId = null, string? withheld = null, WithholdingReason? withheldReason = null)
    {
        var documentIds = terms.DocumentIds?.Distinct().ToList() ?? [];
        if (documentIds.Count > 0)
        {
            var codes = await access.CodesAsync(cancellationToken);
            var documents = await db.Documents.AsNoTracking()
                .Where(d => documentIds.Contains(d.Id) && codes.Contains(d.OwnerOrganisationCode))
                .Select(d => new { d.Id, d.CaseId, d.ScanStatus })
                .ToListAsync(cancellationToken);
            if (documentIds.FirstOrDefault(id => documents.All(d => d.Id != id)) is { } missing && missing != Guid.Empty)
            {
                throw new NotFoundException("Document", missing.ToString());
            }

            if (documents.FirstOrDefault(d => d.CaseId != caseId) is { } other)
            {
                throw new DomainRuleViolation("document-of-another-case", $"Document {other.Id} is about another case: a share gives documents about its own case only.");
            }

            if (documents.FirstOrDefault(d => d.ScanStatus == Domain.Documents.ScanStatus.Infected) is { } infected)
            {
                throw new DomainRuleViolation("document-infected", $"Document {infected.Id} was found infected by the malware scanner: it is quarantined and never shared.");
            }
        }

        var now = access.Now;
        var share = Share.Make(
            Guid.CreateVersion7(now), caseId, crn, access.Caller(), recipient, terms.RecipientUserIds ?? [], disclosure, terms.Mode!.Value,
            terms.ExpiresAt!.Value, terms.Content, documentIds, now, options.MaximumDuration, requestId, withheld, withheldReason);
        db.Shares.Add(share);
        return share;
    }

    public async Task<ShareView> ViewAsync(Share share, CancellationToken cancellationToken) =>
        (await ShareView.ForAsync(db, [share], await access.CodesAsync(cancellationToken), access.Now, cancellationToken))[0];
}

/// <summary>
/// The holder of information shares it without being asked: with another organisation (optionally only named people
/// in it), for a stated purpose and lawful basis, read-only or as a copy, until an expiry within the configured
/// maximum. The sharer's organisation holds or has held the case, or is asked about it by an open request.
/// </summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record ShareInformation(
    string Crn,
    string? RecipientOrganisation,
    IReadOnlyList<string>? RecipientUserIds,
    InformationType? Type,
    string? OtherType,
    string? Purpose,
    LawfulBasis? LawfulBasis,
    ShareMode? Mode,
    DateTimeOffset? ExpiresAt,
    string? Content,
    IReadOnlyList<Guid>? DocumentIds) : ICommand<ShareView>, IAuditedCommand, IShareTerms, IDisclosureTerms, ICaseMessage
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Disclosure;

    [JsonIgnore]
    public string? AuditSummary => this.Summary(Type);
}

public sealed class ShareInformationValidator : AbstractValidator<ShareInformation>
{
    public ShareInformationValidator()
    {
        RuleFor(c => c.Crn).MustBeCrn();
        RuleFor(c => c.RecipientOrganisation).NotEmpty().WithMessage("is required")
            .MaximumLength(Domain.Organisations.Organisation.CodeMaxLength).WithMessage($"must be at most {Domain.Organisations.Organisation.CodeMaxLength} characters");
        this.DisclosureRules();
        this.ShareTermsRules();
    }
}

public sealed class ShareInformationHandler(SharingAccess access, ShareMaker maker) : ICommandHandler<ShareInformation, ShareView>
{
    public async ValueTask<ShareView> Handle(ShareInformation command, CancellationToken cancellationToken)
    {
        var (caseId, crn) = await access.CaseToGiveAboutAsync(command.Crn, cancellationToken);
        await access.EnsureOrganisationAsync(command.RecipientOrganisation!, "recipientOrganisation", cancellationToken);
        var share = await maker.MakeAsync(caseId, crn, command.RecipientOrganisation!, command, command.ToDisclosure(), cancellationToken);
        return await maker.ViewAsync(share, cancellationToken);
    }
}

/// <summary>The sharer ends the recipients' access now: from then on they get a 404 for the share, its documents and (through it) the case.</summary>
[Authorise(Roles.InformationOfficer, Roles.CaseManager)]
public sealed record RevokeShare(Guid Id, string? Reason, IfMatch? ExpectedVersion) : ICommand<ShareView>, IAuditedCommand, IVersionedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Disclosure;

    [JsonIgnore]
    public string? AuditSummary => "share revoked: access ended";
}

public sealed class RevokeShareValidator : AbstractValidator<RevokeShare>
{
    public RevokeShareValidator()
    {
        RuleFor(c => c.Id).NotEmpty().WithMessage("is required");
        RuleFor(c => c.Reason).MaximumLength(Share.ReasonMaxLength).WithMessage($"must be at most {Share.ReasonMaxLength} characters");
    }
}

public sealed class RevokeShareHandler(SharingAccess access, ShareMaker maker) : ICommandHandler<RevokeShare, ShareView>
{
    public async ValueTask<ShareView> Handle(RevokeShare command, CancellationToken cancellationToken)
    {
        var share = await access.GetOwnShareForChangeAsync(command.Id, command.ExpectedVersion, cancellationToken);
        share.Revoke(access.Caller().UserId, command.Reason, access.Now);
        return await maker.ViewAsync(share, cancellationToken);
    }
}
