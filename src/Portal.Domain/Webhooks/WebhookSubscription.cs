using System.Security.Cryptography;
using Portal.Domain.Text;

namespace Portal.Domain.Webhooks;

/// <summary>
/// A receiver of state changes: a name, an absolute http(s) URL, the event types it wants and the secret its
/// deliveries are signed with (<see cref="WebhookSignature"/>). The secret is generated here, shown to the
/// administrator once, and kept so the dispatcher can sign; it never appears in a list, an API answer or a log.
/// A subscription is deactivated, never deleted, so its deliveries stay readable.
/// </summary>
public sealed class WebhookSubscription
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 2048;
    public const int MaxEventTypesLength = 512;
    public const string SecretPrefix = "whsec_";

    private WebhookSubscription()
    {
    }

    public WebhookSubscriptionId Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Url { get; private set; } = "";

    /// <summary>Comma-separated event types (<see cref="WebhookEventTypes"/>), or <see cref="WebhookEventTypes.All"/>.</summary>
    public string EventTypes { get; private set; } = "";

    /// <summary>The signing key (docs/security.md says how it is stored and why).</summary>
    public string Secret { get; private set; } = "";

    public bool IsActive { get; private set; }

    public string CreatedById { get; private set; } = "";

    public string CreatedByName { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    public DateTime? DeactivatedUtc { get; private set; }

    public bool WantsAll => EventTypes == WebhookEventTypes.All;

    public IReadOnlyList<string> EventTypeList =>
        WantsAll ? [WebhookEventTypes.All] : EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>What is wrong with <paramref name="url"/> as a webhook target, said so the administrator can fix it; null when it is valid.</summary>
    public static string? UrlProblem(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0)
        {
            return "The URL is required: an absolute http:// or https:// address.";
        }

        if (text.Length > MaxUrlLength)
        {
            return $"The URL is at most {MaxUrlLength} characters; it has {text.Length}.";
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "The URL must not contain spaces or control characters.";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "The URL must be an absolute http:// or https:// address, e.g. https://hooks.example.com/portal.";
        }

        if (uri.Host.Length == 0)
        {
            return "The URL needs a host name.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "The URL must not carry credentials (user:password@): the signature authenticates Portal to the receiver.";
        }

        if (uri.Fragment.Length > 0)
        {
            return "The URL must not have a #fragment: it is never sent to the receiver.";
        }

        return null;
    }

    /// <summary>What is wrong with the chosen event types; null when they are valid (empty means none chosen).</summary>
    public static string? EventTypesProblem(IReadOnlyCollection<string>? eventTypes)
    {
        if (eventTypes is null || eventTypes.Count == 0)
        {
            return $"Choose the events to send: one or more of {string.Join(", ", WebhookEventTypes.Known)}, or \"{WebhookEventTypes.All}\" for all.";
        }

        var unknown = eventTypes.Where(t => t != WebhookEventTypes.All && !WebhookEventTypes.IsKnown(t ?? "")).ToList();
        if (unknown.Count > 0)
        {
            return $"Unknown event type(s): {string.Join(", ", unknown.Select(t => $"\"{t}\""))}. Known: {string.Join(", ", WebhookEventTypes.Known)}, or \"{WebhookEventTypes.All}\".";
        }

        return null;
    }

    /// <summary>Everything wrong with a new subscription's fields, or null when it can be created.</summary>
    public static string? Problem(string? name, string? url, IReadOnlyCollection<string>? eventTypes) =>
        TextRule.NameProblem("The name", name, MaxNameLength) ?? UrlProblem(url) ?? EventTypesProblem(eventTypes);

    /// <summary>Creates an active subscription with a new 32-byte secret, returned here and never again.</summary>
    public static (WebhookSubscription Subscription, string Secret) Create(
        string name, string url, IReadOnlyCollection<string> eventTypes, string createdById, string createdByName, DateTimeOffset now)
    {
        if (Problem(name, url, eventTypes) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(createdById);
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var subscription = new WebhookSubscription
        {
            Id = WebhookSubscriptionId.New(now),
            Name = name.Trim(),
            Url = url.Trim(),
            EventTypes = eventTypes.Contains(WebhookEventTypes.All)
                ? WebhookEventTypes.All
                : string.Join(',', WebhookEventTypes.Known.Where(eventTypes.Contains)),
            Secret = secret,
            IsActive = true,
            CreatedById = createdById,
            CreatedByName = createdByName,
            CreatedUtc = now.UtcDateTime,
        };
        return (subscription, secret);
    }

    /// <summary>
    /// The system subscription of an OpenLineage endpoint (from configuration, not made by a person): its id is derived
    /// from the URL, so every process that ensures it finds or makes the same row. It wants no webhook event; only
    /// OpenLineage RunEvent deliveries are queued to it. An administrator sees it, and its deliveries, on the webhooks
    /// page, and may deactivate it to stop sending to that endpoint.
    /// </summary>
    public static WebhookSubscription CreateOpenLineage(string url, DateTimeOffset now)
    {
        if (UrlProblem(url) is { } problem)
        {
            throw new ArgumentException(problem, nameof(url));
        }

        return new WebhookSubscription
        {
            Id = OpenLineageIdFor(url),
            Name = "OpenLineage (system)",
            Url = url.Trim(),
            EventTypes = WebhookEventTypes.OpenLineageRunEvent,
            Secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            IsActive = true,
            CreatedById = SystemCreator,
            CreatedByName = "Portal (OpenLineage configuration)",
            CreatedUtc = now.UtcDateTime,
        };
    }

    /// <summary>Who "created" a system subscription.</summary>
    public const string SystemCreator = "system";

    /// <summary>The id of the OpenLineage system subscription of <paramref name="url"/>: the same in every process.</summary>
    public static WebhookSubscriptionId OpenLineageIdFor(string url)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("openlineage:" + url.Trim()));
        return new WebhookSubscriptionId(new Guid(hash.AsSpan(0, 16)));
    }

    /// <summary>Whether this subscription, while active, wants events of <paramref name="eventType"/>.</summary>
    public bool Wants(string eventType) =>
        IsActive && (WantsAll || EventTypes.Split(',').Contains(eventType, StringComparer.Ordinal));

    public void Deactivate(DateTimeOffset now)
    {
        if (!IsActive)
        {
            throw new InvalidOperationException("This webhook is already deactivated.");
        }

        IsActive = false;
        DeactivatedUtc = now.UtcDateTime;
    }
}
