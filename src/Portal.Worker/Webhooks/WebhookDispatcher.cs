using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Domain.Webhooks;

namespace Portal.Worker.Webhooks;

/// <summary>
/// Posts due webhook deliveries. The database is the queue: a delivery is claimed with a conditional update (pending,
/// due, and not leased by a live dispatcher), so of several dispatchers in several processes exactly one posts it; the
/// outcome is written only while the claim is still this dispatcher's (<see cref="WebhookDelivery.ClaimToken"/>).
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHttpClientFactory httpClients,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    string dispatcherName,
    ILogger<WebhookDispatcher> logger,
    IOptions<OpenLineageOptions>? openLineage = null)
{
    private const int BatchSize = 50;

    /// <summary>Claims and posts every delivery due now (up to a batch); returns how many it posted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<WebhookDeliveryId> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptUtc <= now
                            && (d.LeaseExpiresUtc == null || d.LeaseExpiresUtc < now))
                .OrderBy(d => d.NextAttemptUtc)
                .Select(d => d.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        var posted = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                try
                {
                    if (await TryClaimAsync(id, ct) is { } claim && await DeliverAsync(id, claim, ct))
                    {
                        Interlocked.Increment(ref posted);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // One delivery's trouble (a database hiccup) never stops the others; its lease expires and it is retried.
                    logger.LogError(ex, "Webhook delivery {DeliveryId} could not be processed.", id);
                }
            });
        return posted;
    }

    /// <summary>Takes the delivery for this dispatcher if it is still due and unleased; returns the claim's token, or null when another has it.</summary>
    public async Task<Guid?> TryClaimAsync(WebhookDeliveryId id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        var token = Guid.NewGuid();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.WebhookDeliveries
            .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptUtc <= now
                        && (d.LeaseExpiresUtc == null || d.LeaseExpiresUtc < now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.LeaseOwner, dispatcherName)
                .SetProperty(d => d.LeaseExpiresUtc, until)
                .SetProperty(d => d.ClaimToken, token), cancellationToken);
        return claimed == 1 ? token : null;
    }

    /// <summary>Posts a claimed delivery and records the outcome; false when the claim was lost before the outcome was written.</summary>
    private async Task<bool> DeliverAsync(WebhookDeliveryId id, Guid claim, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == id && d.ClaimToken == claim, cancellationToken);
        if (delivery is null)
        {
            return false;
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        if (!subscription.IsActive)
        {
            delivery.Abandon("The webhook was deactivated before this delivery went out.");
            return await SaveOutcomeAsync(db, delivery, cancellationToken);
        }

        var (status, error) = await PostAsync(subscription, delivery, cancellationToken);
        var now = time.GetUtcNow();
        if (error is null)
        {
            delivery.Delivered(status!.Value, now);
        }
        else
        {
            delivery.AttemptFailed(status, error, now);
        }

        var saved = await SaveOutcomeAsync(db, delivery, cancellationToken);
        if (saved)
        {
            logger.Log(error is null ? LogLevel.Information : LogLevel.Warning,
                "Webhook delivery {DeliveryId} ({EventType}) to subscription {SubscriptionId}: {Status} after attempt {Attempt}{Next}.",
                delivery.Id, delivery.EventType, delivery.SubscriptionId, delivery.Status, delivery.Attempts,
                delivery.NextAttemptUtc is { } next ? $"; next attempt at {next:O}" : "");
        }

        return saved;
    }

    /// <summary>The receiver's status code and, when the attempt failed, why (said for the administrator who reads the deliveries table).</summary>
    private async Task<(int? Status, string? Error)> PostAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Header(subscription.Secret, time.GetUtcNow(), body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventHeader, delivery.EventType);
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Portal-Webhooks", "1"));
        var isLineage = delivery.EventType == WebhookEventTypes.OpenLineageRunEvent;
        if (isLineage && openLineage?.Value.ApiKey is { Length: > 0 } apiKey)
        {
            // Marquez and most OpenLineage receivers authenticate with a bearer key (OpenLineage:ApiKey, from secrets).
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        var client = httpClients.CreateClient(WebhookOptions.HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var allowed = isLineage && openLineage is not null ? openLineage.Value.Timeout : options.Value.Timeout;
        timeout.CancelAfter(allowed);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (code, null);
            }

            return (code, code is >= 300 and < 400
                ? $"The receiver redirected ({code}) to {response.Headers.Location}; redirects are not followed: point the webhook at the final URL."
                : $"The receiver answered {code} {Reason(response.StatusCode)}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {allowed.TotalSeconds:0} s ({(isLineage ? "OpenLineage" : "Webhooks")}:TimeoutSeconds).");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"Could not reach the receiver: {ex.Message}");
        }
    }

    /// <summary>How long a claim lasts: it must outlive the longest post, a webhook's or an OpenLineage event's.</summary>
    private TimeSpan Lease => openLineage is null
        ? options.Value.Lease
        : TimeSpan.FromTicks(Math.Max(options.Value.Lease.Ticks, ((2 * openLineage.Value.Timeout) + TimeSpan.FromSeconds(15)).Ticks));

    private async Task<bool> SaveOutcomeAsync(PortalDbContext db, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            // Not the request's token: once the receiver answered, the outcome is written even while the host stops.
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("Webhook delivery {DeliveryId}: {Dispatcher}'s lease was taken over before the outcome was written; the other dispatcher records it.",
                delivery.Id, dispatcherName);
            return false;
        }
    }

    private static string Reason(HttpStatusCode status) =>
        Enum.IsDefined(status) ? status.ToString() : "";
}
