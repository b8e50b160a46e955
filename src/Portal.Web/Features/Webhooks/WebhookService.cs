using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;

namespace Portal.Web.Features.Webhooks;

/// <summary>
/// Webhook administration: create (the secret is returned once), list, deactivate, read deliveries, retry one that gave
/// up. Only administrators (<see cref="Policies.ManageWebhooks"/>), checked here as well as on the page and endpoint;
/// every change is audited in its own transaction.
/// </summary>
public sealed class WebhookService(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<OperationResult<CreatedWebhook>> CreateAsync(CreateWebhookRequest request, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        if (Refusal<CreatedWebhook>(actor) is { } refused)
        {
            return refused;
        }

        var events = request.Events ?? [];
        if (WebhookSubscription.Problem(request.Name, request.Url, events) is { } problem)
        {
            return OperationResult<CreatedWebhook>.Fail(OperationStatus.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (subscription, secret) = WebhookSubscription.Create(request.Name!, request.Url!, events, actor.UserId(), actor.UserName(), time.GetUtcNow());
        db.WebhookSubscriptions.Add(subscription);
        // The append-only trail keeps neither the secret nor the URL's path and query, which for many receivers is a
        // credential of its own (chat-service webhook URLs); it names the receiving host.
        audit.Record(db, actor.ToAuditActor(), AuditActions.WebhookCreated, AuditSubject.WebhookSubscription(subscription.Id),
            new { subscription.Name, host = Host(subscription.Url), events = subscription.EventTypeList });
        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<CreatedWebhook>.Ok(new CreatedWebhook(ToRow(subscription), secret));
    }

    public async Task<IReadOnlyList<WebhookRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking()
            .OrderByDescending(s => s.IsActive).ThenBy(s => s.Name)
            .Take(500)
            .ToListAsync(cancellationToken);
        return subscriptions.Select(ToRow).ToList();
    }

    /// <summary>Stops sending to a webhook; its pending deliveries are given up when they come due. It stays listed, with its deliveries.</summary>
    public async Task<OperationResult<WebhookRow>> DeactivateAsync(WebhookSubscriptionId id, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        if (Refusal<WebhookRow>(actor) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return OperationResult<WebhookRow>.Fail(OperationStatus.NotFound, "No such webhook.");
        }

        if (!subscription.IsActive)
        {
            return OperationResult<WebhookRow>.Fail(OperationStatus.Conflict, "This webhook is already deactivated.");
        }

        subscription.Deactivate(time.GetUtcNow());
        audit.Record(db, actor.ToAuditActor(), AuditActions.WebhookDeactivated, AuditSubject.WebhookSubscription(subscription.Id),
            new { subscription.Name, host = Host(subscription.Url) });
        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<WebhookRow>.Ok(ToRow(subscription));
    }

    /// <summary>Deliveries newest first, optionally of one webhook or in one status.</summary>
    public async Task<PagedResult<DeliveryRow>> DeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveries = db.WebhookDeliveries.AsNoTracking();
        if (query.WebhookId is { } webhookId)
        {
            deliveries = deliveries.Where(d => d.SubscriptionId == webhookId);
        }

        if (query.Status is { } status)
        {
            deliveries = deliveries.Where(d => d.Status == status);
        }

        var total = await deliveries.CountAsync(cancellationToken);
        var rows = await (from d in deliveries
                          join s in db.WebhookSubscriptions on d.SubscriptionId equals s.Id
                          orderby d.CreatedUtc descending, d.Id descending
                          select new DeliveryRow(d.Id, d.SubscriptionId, s.Name, d.EventType, d.Status, d.Attempts, d.MaxAttempts, d.CreatedUtc,
                              d.NextAttemptUtc, d.LastAttemptUtc, d.LastStatusCode, d.LastError, d.DeliveredUtc))
            .Skip(query.Page * query.PageSize)
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<DeliveryRow>(rows, total, query.Page, query.PageSize);
    }

    /// <summary>Sends a delivery that gave up once more, at the dispatcher's next pass.</summary>
    public async Task<OperationResult<DeliveryRow>> RetryAsync(WebhookDeliveryId id, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        if (Refusal<DeliveryRow>(actor) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (delivery is null)
        {
            return OperationResult<DeliveryRow>.Fail(OperationStatus.NotFound, "No such webhook delivery.");
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        if (!subscription.IsActive)
        {
            return OperationResult<DeliveryRow>.Fail(OperationStatus.Conflict, $"The webhook “{subscription.Name}” is deactivated; create a new one to send to it again.");
        }

        if (delivery.Status != WebhookDeliveryStatus.Failed)
        {
            return OperationResult<DeliveryRow>.Fail(OperationStatus.Conflict, delivery.Status == WebhookDeliveryStatus.Delivered
                ? "This delivery has been delivered; there is nothing to retry."
                : "This delivery is still pending; it is attempted on its schedule.");
        }

        delivery.RetryNow(time.GetUtcNow());
        audit.Record(db, actor.ToAuditActor(), AuditActions.WebhookRetried, AuditSubject.WebhookDelivery(delivery.Id),
            new { webhook = subscription.Name, webhookId = subscription.Id, delivery.EventType, delivery.Attempts });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<DeliveryRow>.Fail(OperationStatus.Conflict, "The delivery changed meanwhile; reload and try again.");
        }

        return OperationResult<DeliveryRow>.Ok(new DeliveryRow(delivery.Id, delivery.SubscriptionId, subscription.Name, delivery.EventType, delivery.Status,
            delivery.Attempts, delivery.MaxAttempts, delivery.CreatedUtc, delivery.NextAttemptUtc, delivery.LastAttemptUtc, delivery.LastStatusCode,
            delivery.LastError, delivery.DeliveredUtc));
    }

    private static OperationResult<T>? Refusal<T>(ClaimsPrincipal actor) =>
        AuthorizationMatrix.IsAllowed(Policies.ManageWebhooks, actor.RoleNames())
            ? null
            : OperationResult<T>.Fail(OperationStatus.Forbidden, "Only an administrator may configure webhooks.");

    private static string Host(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);

    private static WebhookRow ToRow(WebhookSubscription s) =>
        new(s.Id, s.Name, s.Url, s.EventTypeList, s.IsActive, s.CreatedByName, s.CreatedUtc, s.DeactivatedUtc);
}
