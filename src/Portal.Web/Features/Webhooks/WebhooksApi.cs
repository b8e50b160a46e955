using System.Security.Claims;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;

namespace Portal.Web.Features.Webhooks;

internal static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks");

        group.MapGet("/", async (WebhookService webhooks, CancellationToken ct) => await webhooks.ListAsync(ct))
            .RequireAuthorization(Policies.ManageWebhooks)
            .WithSummary("Lists webhooks (never their secrets), active ones first.")
            .Produces<IReadOnlyList<WebhookRow>>();

        group.MapPost("/", async (CreateWebhookRequest request, ClaimsPrincipal user, WebhookService webhooks, CancellationToken ct) =>
                (await webhooks.CreateAsync(request, user, ct))
                .ToHttpResult(created => Results.Created($"/api/webhooks/{created.Webhook.Id}", created)))
            .RequireAuthorization(Policies.ManageWebhooksApi)
            .WithSummary("Creates a webhook: { name, url (absolute http/https, no credentials), events: [\"promotion.approved\", …] or [\"*\"] }. " +
                         "The answer holds the signing secret, shown this once.")
            .Produces<CreatedWebhook>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, WebhookService webhooks, CancellationToken ct) =>
                (await webhooks.DeactivateAsync(new WebhookSubscriptionId(id), user, ct)).ToHttpResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.ManageWebhooksApi)
            .WithSummary("Deactivates a webhook: nothing more is sent to it; it and its deliveries stay listed.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/deliveries", async (Guid? webhookId, WebhookDeliveryStatus? status, int? page, int? pageSize, WebhookService webhooks, CancellationToken ct) =>
            {
                var (p, size) = PagedResult<DeliveryRow>.Normalize(page, pageSize);
                return await webhooks.DeliveriesAsync(new DeliveryQuery(webhookId is { } w ? new WebhookSubscriptionId(w) : null, status, p, size), ct);
            })
            .RequireAuthorization(Policies.ManageWebhooks)
            .WithSummary("Lists deliveries newest first with status (Pending, Delivered, Failed), attempts, last HTTP status or error and next attempt; " +
                         "filter by webhookId and status; paged.")
            .Produces<PagedResult<DeliveryRow>>();

        group.MapPost("/deliveries/{id:guid}/retry", async (Guid id, ClaimsPrincipal user, WebhookService webhooks, CancellationToken ct) =>
                (await webhooks.RetryAsync(new WebhookDeliveryId(id), user, ct)).ToHttpResult())
            .RequireAuthorization(Policies.ManageWebhooksApi)
            .WithSummary("Sends a delivery that gave up (Failed) once more, at once.")
            .Produces<DeliveryRow>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }
}
