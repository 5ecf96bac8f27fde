using CaseTransfer.Domain.Common;
using CaseTransfer.Domain.Identifiers;
using CaseTransfer.Domain.Sharing;

namespace CaseTransfer.Domain.Tests.Sharing;

public sealed class ShareTests
{
    private static readonly DateTimeOffset Now = new(2027, 5, 4, 15, 30, 0, TimeSpan.Zero);
    private static readonly SharingParty Holder = new("CRC-CGM", "cgm-io-01", "Dev Sharma");
    private static readonly Disclosure Convictions = new(InformationType.PreviousConvictions, null, "Before his supervision moves to London", LawfulBasis.ProbationPurposes);

    private static Share Make(
        string recipient = "CRC-LDN", string[]? named = null, TimeSpan? lasting = null, string? content = "Three convictions", Guid[]? documents = null, ShareMode mode = ShareMode.ReadOnly) =>
        Share.Make(
            Guid.CreateVersion7(Now), Guid.CreateVersion7(Now), Crn.Parse("X123456"), Holder, recipient, named ?? [], Convictions, mode,
            Now + (lasting ?? TimeSpan.FromDays(30)), content, documents ?? [], Now, TimeSpan.FromDays(90));

    private static string RuleOf(Action action) => Assert.Throws<DomainRuleViolation>(action).Rule;

    [Fact]
    public void A_share_is_live_until_it_expires()
    {
        var share = Make(lasting: TimeSpan.FromDays(10));
        Assert.True(share.IsLiveAt(Now));
        Assert.True(share.IsLiveAt(Now + TimeSpan.FromDays(10) - TimeSpan.FromSeconds(1)));
        Assert.False(share.IsLiveAt(Now + TimeSpan.FromDays(10)));
        Assert.Equal("made", Assert.IsType<ShareEvent>(Assert.Single(share.DomainEvents)).Kind);
    }

    [Fact]
    public void A_share_expires_after_now_and_within_the_maximum()
    {
        Assert.Equal("share-expiry-in-past", RuleOf(() => Make(lasting: TimeSpan.Zero)));
        Assert.Equal("share-expiry-too-far", RuleOf(() => Make(lasting: TimeSpan.FromDays(90) + TimeSpan.FromSeconds(1))));
        Assert.True(Make(lasting: TimeSpan.FromDays(90)).IsLiveAt(Now));
    }

    [Fact]
    public void A_share_goes_to_another_organisation_and_gives_something()
    {
        Assert.Equal("share-to-own-organisation", RuleOf(() => Make(recipient: "CRC-CGM")));
        Assert.Equal("share-has-nothing", RuleOf(() => Make(content: "  ")));
        Assert.NotNull(Make(content: null, documents: [Guid.CreateVersion7()]));
    }

    [Fact]
    public void A_share_naming_people_is_for_them_alone()
    {
        var named = Make(named: ["lon-po-01", "lon-po-01", "lon-po-03"]);
        Assert.True(named.NamesPeople);
        Assert.True(named.Names("lon-po-01"));
        Assert.False(named.Names("lon-po-02"));
        Assert.Equal("CRC-LDN: lon-po-01, lon-po-03", named.RecipientsText);

        var organisation = Make();
        Assert.True(organisation.Names("anyone"));
        Assert.Equal("CRC-LDN", organisation.RecipientsText);
    }

    [Fact]
    public void Revoking_ends_access_once_and_not_after_expiry()
    {
        var share = Make(lasting: TimeSpan.FromDays(10));
        share.Revoke("cgm-io-01", "wrong provider", Now + TimeSpan.FromHours(1));
        Assert.False(share.IsLiveAt(Now + TimeSpan.FromHours(1)));
        Assert.Equal(2, share.Version);
        Assert.Equal("share-already-revoked", RuleOf(() => share.Revoke("cgm-io-01", null, Now + TimeSpan.FromHours(2))));

        var expired = Make(lasting: TimeSpan.FromDays(1));
        Assert.Equal("share-expired", RuleOf(() => expired.Revoke("cgm-io-01", null, Now + TimeSpan.FromDays(2))));
    }

    [Fact]
    public void Only_a_copy_share_lets_documents_be_downloaded()
    {
        Assert.Equal("share-is-read-only", RuleOf(() => Make(mode: ShareMode.ReadOnly).EnsureDownloadable()));
        Make(mode: ShareMode.Copy).EnsureDownloadable();
    }

    [Fact]
    public void An_expiry_is_kept_to_the_second()
    {
        var share = Share.Make(
            Guid.CreateVersion7(Now), Guid.CreateVersion7(Now), Crn.Parse("X123456"), Holder, "CRC-LDN", [], Convictions, ShareMode.Copy,
            Now + TimeSpan.FromDays(1) + TimeSpan.FromTicks(1234567), "x", [], Now, TimeSpan.FromDays(90));
        Assert.Equal(Now + TimeSpan.FromDays(1), share.ExpiresAt);
    }
}

public sealed class InformationRequestTests
{
    // Monday 3 May 2027, 10:00 BST.
    private static readonly DateTimeOffset Now = new(2027, 5, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly SharingParty Provider = new("CRC-CGM", "cgm-io-01", "Dev Sharma");
    private static readonly SharingParty Nps = new("NPS-NW", "nw-io-01", "Ann Lee");
    private static readonly Disclosure Check = new(InformationType.PoliceIntelligence, null, "Call-outs before a home visit", LawfulBasis.LawEnforcementPurposes);

    private static InformationRequest Requested(DateOnly? due = null) => InformationRequest.Make(
        Guid.CreateVersion7(Now), Guid.CreateVersion7(Now), Crn.Parse("X123456"), Provider, "NPS-NW", Check, RequestUrgency.Urgent, due ?? new DateOnly(2027, 5, 5), Now);

    private static Share AnswerTo(InformationRequest request, string? withheld = null) => Share.Make(
        Guid.CreateVersion7(Now), request.CaseId, request.Crn, Nps, request.RequesterOrganisationCode, [], request.Disclosure, ShareMode.ReadOnly,
        Now + TimeSpan.FromDays(30), "Two call-outs", [], Now, TimeSpan.FromDays(90), request.Id, withheld, withheld is null ? null : WithholdingReason.ThirdPartyInformation);

    private static string RuleOf(Action action) => Assert.Throws<DomainRuleViolation>(action).Rule;

    [Fact]
    public void A_request_is_due_by_the_end_of_its_due_date_in_London()
    {
        var request = Requested();
        Assert.Equal(new DateTimeOffset(2027, 5, 5, 23, 0, 0, TimeSpan.Zero), request.DueBy);
        Assert.False(request.IsOverdue(request.DueBy - TimeSpan.FromSeconds(1)));
        Assert.True(request.IsOverdue(request.DueBy));
        Assert.Equal("request-due-date-in-past", RuleOf(() => Requested(new DateOnly(2027, 5, 2))));
        Assert.Equal("request-to-own-organisation", RuleOf(() => InformationRequest.Make(
            Guid.CreateVersion7(Now), Guid.CreateVersion7(Now), Crn.Parse("X123456"), Provider, "CRC-CGM", Check, RequestUrgency.Routine, new DateOnly(2027, 5, 5), Now)));
    }

    [Fact]
    public void A_share_that_withholds_something_answers_the_request_in_part()
    {
        var full = Requested();
        full.Provide(AnswerTo(full), "nw-io-01", Now);
        Assert.Equal(InformationRequestState.Provided, full.State);
        Assert.False(full.IsOverdue(full.DueBy + TimeSpan.FromDays(1)));

        var partly = Requested();
        var share = AnswerTo(partly, withheld: "The caller's name");
        partly.Provide(share, "nw-io-01", Now);
        Assert.Equal(InformationRequestState.PartlyProvided, partly.State);
        Assert.Equal(share.Id, partly.ShareId);
    }

    [Fact]
    public void An_answered_or_withdrawn_request_takes_no_further_answer()
    {
        var refused = Requested();
        Assert.Equal("refusal-reason-needs-text", RuleOf(() => refused.Refuse(WithholdingReason.Other, " ", "nw-io-01", Now)));
        refused.Refuse(WithholdingReason.NotHeld, null, "nw-io-01", Now);
        Assert.Equal(InformationRequestState.Refused, refused.State);
        Assert.Equal("information-request-closed", RuleOf(() => refused.Withdraw("cgm-io-01", Now)));
        Assert.Equal("information-request-closed", RuleOf(() => refused.Provide(AnswerTo(refused), "nw-io-01", Now)));

        var withdrawn = Requested();
        withdrawn.Withdraw("cgm-io-01", Now);
        Assert.Equal("information-request-closed", RuleOf(() => withdrawn.Refuse(WithholdingReason.NotHeld, null, "nw-io-01", Now)));
        Assert.Equal(["requested", "withdrawn"], withdrawn.DomainEvents.OfType<InformationRequestEvent>().Select(e => e.Kind));
    }
}
