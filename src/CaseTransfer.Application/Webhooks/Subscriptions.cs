using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CaseTransfer.Application.Auditing;
using CaseTransfer.Application.Common;
using CaseTransfer.Application.Common.Behaviours;
using CaseTransfer.Domain.Auditing;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseTransfer.Application.Webhooks;

/// <summary>The caller's organisation's subscriptions; another organisation's answer as if they did not exist (404).</summary>
public sealed class SubscriptionAccess(IAppDbContext db, ICaller caller)
{
    public IQueryable<WebhookSubscription> Own() => db.WebhookSubscriptions.Where(s => s.OrganisationCode == caller.OrganisationCode);

    public async Task<WebhookSubscription> GetOwnAsync(Guid id, CancellationToken cancellationToken) =>
        await Own().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException("Subscription", id.ToString());
}

/// <summary>
/// An organisation's administrator asks for its events to be POSTed to a callback address: the events of the given
/// types (or <c>*</c>, all) that the organisation may hear of (<see cref="Common.Persistence.EventAudience"/>), from
/// now on. The answer carries the signing secret, once.
/// </summary>
/// <param name="CallbackUrl">Absolute http or https address the events are POSTed to.</param>
/// <param name="EventTypes">Exact event types (case-transfer.share.made), or <c>*</c> for every type.</param>
/// <param name="Description">What the subscription is for, in words.</param>
[Authorise(Roles.Admin)]
public sealed record CreateSubscription(string? CallbackUrl, IReadOnlyList<string>? EventTypes, string? Description) : ICommand<SubscriptionView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "webhook subscription created";
}

public sealed partial class CreateSubscriptionValidator : AbstractValidator<CreateSubscription>
{
    public CreateSubscriptionValidator()
    {
        RuleFor(c => c.CallbackUrl).NotEmpty().WithMessage("is required")
            .MaximumLength(WebhookSubscription.CallbackUrlMaxLength)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0)
            .WithMessage("must be an absolute http or https address without credentials");
        RuleFor(c => c.EventTypes).NotEmpty().WithMessage("is required: event types, or \"*\" for all")
            .Must(t => t is null || t.Count <= WebhookSubscription.MaxEventTypes).WithMessage($"must have at most {WebhookSubscription.MaxEventTypes} types");
        RuleForEach(c => c.EventTypes)
            .Must(t => t == WebhookSubscription.AllEvents || (t is { Length: <= WebhookSubscription.EventTypeMaxLength } && EventType().IsMatch(t)))
            .WithMessage("must be an event type such as case-transfer.share.made, or \"*\"");
        RuleFor(c => c.Description).MaximumLength(WebhookSubscription.DescriptionMaxLength);
    }

    [GeneratedRegex("^case-transfer(\\.[a-z0-9-]+)+$")]
    private static partial Regex EventType();
}

public sealed class CreateSubscriptionHandler(IAppDbContext db, ICaller caller, WebhookSecrets secrets, Events.EventFeed feed, TimeProvider clock)
    : ICommandHandler<CreateSubscription, SubscriptionView>
{
    public async ValueTask<SubscriptionView> Handle(CreateSubscription command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // From now on: the last event the feed could serve now is the mark fan-out starts after (the feed's order, in
        // which nothing that commits later sorts before it). An event committing in the same instant may or may not be
        // heard; nothing later is missed.
        var newest = await feed.LatestAsync(cancellationToken);
        var secret = WebhookSecrets.New();
        var subscription = new WebhookSubscription(
            Guid.CreateVersion7(now), caller.OrganisationCode, command.CallbackUrl!, [.. command.EventTypes!.Distinct(StringComparer.Ordinal)],
            string.IsNullOrWhiteSpace(command.Description) ? null : command.Description, secrets.Protect(secret), newest, caller.UserId, now);
        db.WebhookSubscriptions.Add(subscription);
        return SubscriptionView.From(subscription, now, secret, $"eventTypes: {string.Join(' ', subscription.EventTypes)}");
    }
}

/// <summary>The caller's organisation's subscriptions, oldest first, without their secrets.</summary>
[Authorise(Roles.Admin)]
public sealed record ListSubscriptions : IQuery<IReadOnlyList<SubscriptionView>>;

public sealed class ListSubscriptionsHandler(SubscriptionAccess access, TimeProvider clock) : IQueryHandler<ListSubscriptions, IReadOnlyList<SubscriptionView>>
{
    public async ValueTask<IReadOnlyList<SubscriptionView>> Handle(ListSubscriptions query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var subscriptions = await access.Own().AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return [.. subscriptions.Select(s => SubscriptionView.From(s, now))];
    }
}

/// <summary>One subscription of the caller's organisation, without its secret.</summary>
[Authorise(Roles.Admin)]
public sealed record GetSubscription(Guid Id) : IQuery<SubscriptionView>;

public sealed class GetSubscriptionHandler(SubscriptionAccess access, TimeProvider clock) : IQueryHandler<GetSubscription, SubscriptionView>
{
    public async ValueTask<SubscriptionView> Handle(GetSubscription query, CancellationToken cancellationToken) =>
        SubscriptionView.From(await access.GetOwnAsync(query.Id, cancellationToken), clock.GetUtcNow());
}

/// <summary>
/// A new secret, shown once; the previous one keeps signing beside it (two <c>v1,</c> signatures) for
/// <c>Webhooks:SecretOverlapHours</c>, so the subscriber can switch without rejecting a delivery.
/// </summary>
[Authorise(Roles.Admin)]
public sealed record RotateSubscriptionSecret(Guid Id) : ICommand<SubscriptionView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "webhook secret rotated";
}

public sealed class RotateSubscriptionSecretHandler(SubscriptionAccess access, WebhookSecrets secrets, WebhookOptions options, TimeProvider clock)
    : ICommandHandler<RotateSubscriptionSecret, SubscriptionView>
{
    public async ValueTask<SubscriptionView> Handle(RotateSubscriptionSecret command, CancellationToken cancellationToken)
    {
        var subscription = await access.GetOwnAsync(command.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var secret = WebhookSecrets.New();
        subscription.RotateSecret(secrets.Protect(secret), now, now + TimeSpan.FromHours(options.SecretOverlapHours));
        return SubscriptionView.From(subscription, now, secret, "secret rotated");
    }
}

/// <summary>Stops deliveries to the subscription; its events keep waiting and are sent once it is enabled again.</summary>
[Authorise(Roles.Admin)]
public sealed record DisableSubscription(Guid Id) : ICommand<SubscriptionView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "webhook subscription disabled";
}

public sealed class DisableSubscriptionHandler(SubscriptionAccess access, ICaller caller, TimeProvider clock) : ICommandHandler<DisableSubscription, SubscriptionView>
{
    public async ValueTask<SubscriptionView> Handle(DisableSubscription command, CancellationToken cancellationToken)
    {
        var subscription = await access.GetOwnAsync(command.Id, cancellationToken);
        var now = clock.GetUtcNow();
        subscription.Disable($"Disabled by {caller.UserId}", now);
        return SubscriptionView.From(subscription, now, changeSummary: "enabled: true -> false");
    }
}

/// <summary>Resumes deliveries, beginning with those that waited while it was disabled.</summary>
[Authorise(Roles.Admin)]
public sealed record EnableSubscription(Guid Id) : ICommand<SubscriptionView>, IAuditedCommand
{
    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "webhook subscription enabled";
}

public sealed class EnableSubscriptionHandler(SubscriptionAccess access, TimeProvider clock) : ICommandHandler<EnableSubscription, SubscriptionView>
{
    public async ValueTask<SubscriptionView> Handle(EnableSubscription command, CancellationToken cancellationToken)
    {
        var subscription = await access.GetOwnAsync(command.Id, cancellationToken);
        subscription.Enable();
        return SubscriptionView.From(subscription, clock.GetUtcNow(), changeSummary: "enabled: false -> true");
    }
}

/// <summary>The subscription's dead-lettered deliveries, oldest first, with how each last failed. They name cases, so each page read is logged.</summary>
[Authorise(Roles.Admin)]
public sealed record ListSubscriptionFailures(Guid Id, int? Limit, string? Cursor) : IQuery<Page<DeliveryFailureView>>, IConsultation
{
    public AuditFacts Consulted(object result) => new(
        AuditOperation.Consultation, nameof(ListSubscriptionFailures), null, "webhook-subscription", Id.ToString(), null,
        $"{((Page<DeliveryFailureView>)result).Items.Count} failed deliveries");

    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
}

public sealed class ListSubscriptionFailuresValidator : AbstractValidator<ListSubscriptionFailures>
{
    public ListSubscriptionFailuresValidator()
    {
        RuleFor(q => q.Id).MustBeSubscriptionId();
        RuleFor(q => q.Limit).InclusiveBetween(1, ListSubscriptionFailures.MaxLimit).WithMessage($"must be from 1 to {ListSubscriptionFailures.MaxLimit}");
        RuleFor(q => q.Cursor).Must(c => c is null || Guid.TryParse(c, out _)).WithMessage("is not a cursor this service issued");
    }
}

public sealed class ListSubscriptionFailuresHandler(IAppDbContext db, SubscriptionAccess access) : IQueryHandler<ListSubscriptionFailures, Page<DeliveryFailureView>>
{
    public async ValueTask<Page<DeliveryFailureView>> Handle(ListSubscriptionFailures query, CancellationToken cancellationToken)
    {
        var subscription = await access.GetOwnAsync(query.Id, cancellationToken);
        var failures = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscription.Id && d.State == WebhookDeliveryState.DeadLettered);
        if (query.Cursor is not null)
        {
            var after = Guid.Parse(query.Cursor);
            failures = failures.Where(d => d.Id.CompareTo(after) > 0);
        }

        var limit = query.Limit ?? ListSubscriptionFailures.DefaultLimit;
        var page = await failures.OrderBy(d => d.Id).Take(limit + 1)
            .Select(d => new DeliveryFailureView(d.Id, d.EventId, d.EventType, d.Crn, d.CreatedAt, d.Attempts, d.LastStatusCode, d.LastError, d.LastAttemptAt, d.DeadLetteredAt))
            .ToListAsync(cancellationToken);
        var items = page.Take(limit).ToList();
        return new Page<DeliveryFailureView>(items, page.Count > limit ? items[^1].Id.ToString() : null);
    }
}

/// <summary>
/// Puts dead-lettered deliveries back to be sent again, from their first attempt: all of the subscription's, or those
/// named. Each is then sent in its case's order again (a later event of the case waits for it).
/// </summary>
/// <param name="DeliveryIds">The deliveries to send again; none or absent for every dead-lettered delivery of the subscription.</param>
[Authorise(Roles.Admin)]
public sealed record Redeliver(Guid Id, IReadOnlyList<Guid>? DeliveryIds) : ICommand<RedeliveryView>, IAuditedCommand
{
    public const int MaxDeliveryIds = 1_000;

    [JsonIgnore]
    public AuditOperation Operation => AuditOperation.Alteration;

    [JsonIgnore]
    public string? AuditSummary => "webhook deliveries redelivered";
}

public sealed class RedeliverValidator : AbstractValidator<Redeliver>
{
    public RedeliverValidator()
    {
        RuleFor(c => c.Id).MustBeSubscriptionId();
        RuleFor(c => c.DeliveryIds).Must(ids => ids is null || ids.Count <= Redeliver.MaxDeliveryIds).WithMessage($"must have at most {Redeliver.MaxDeliveryIds} ids");
    }
}

public sealed class RedeliverHandler(IAppDbContext db, SubscriptionAccess access, TimeProvider clock) : ICommandHandler<Redeliver, RedeliveryView>
{
    public async ValueTask<RedeliveryView> Handle(Redeliver command, CancellationToken cancellationToken)
    {
        var subscription = await access.GetOwnAsync(command.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var dead = db.WebhookDeliveries.Where(d => d.SubscriptionId == subscription.Id && d.State == WebhookDeliveryState.DeadLettered);
        if (command.DeliveryIds is { Count: > 0 } ids)
        {
            dead = dead.Where(d => ids.Contains(d.Id));
        }

        // Set-based, in the command's transaction (the behaviour's): the audit entry commits with the change.
        var count = await dead.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, WebhookDeliveryState.Pending)
            .SetProperty(d => d.Attempts, 0)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.DeadLetteredAt, (DateTimeOffset?)null)
            .SetProperty(d => d.ClaimedBy, (string?)null)
            .SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
        return new RedeliveryView(subscription.Id, count);
    }
}

public static class SubscriptionValidation
{
    public static IRuleBuilderOptions<T, Guid> MustBeSubscriptionId<T>(this IRuleBuilder<T, Guid> rule) =>
        rule.NotEmpty().WithMessage("is required");
}

public sealed class GetSubscriptionValidator : AbstractValidator<GetSubscription>
{
    public GetSubscriptionValidator() => RuleFor(q => q.Id).MustBeSubscriptionId();
}

public sealed class RotateSubscriptionSecretValidator : AbstractValidator<RotateSubscriptionSecret>
{
    public RotateSubscriptionSecretValidator() => RuleFor(c => c.Id).MustBeSubscriptionId();
}

public sealed class DisableSubscriptionValidator : AbstractValidator<DisableSubscription>
{
    public DisableSubscriptionValidator() => RuleFor(c => c.Id).MustBeSubscriptionId();
}

public sealed class EnableSubscriptionValidator : AbstractValidator<EnableSubscription>
{
    public EnableSubscriptionValidator() => RuleFor(c => c.Id).MustBeSubscriptionId();
}
