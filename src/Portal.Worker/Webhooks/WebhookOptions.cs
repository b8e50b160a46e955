using System.ComponentModel.DataAnnotations;

namespace Portal.Worker.Webhooks;

/// <summary>The webhook dispatcher (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Name of the <see cref="System.Net.Http.IHttpClientFactory"/> client that posts deliveries.</summary>
    public const string HttpClientName = "Portal.Webhooks";

    /// <summary>How long a receiver may take to answer before the attempt counts as failed and is retried later.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    [Range(1, 300)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>Deliveries posted at the same time by this process (a hanging receiver holds one slot for at most the timeout).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>
    /// How long a claimed delivery is this dispatcher's: twice the timeout and 15 s more, so it outlives any post; if the
    /// process dies mid-post, another dispatcher sends the delivery again after it (receivers de-duplicate on its id).
    /// </summary>
    public TimeSpan Lease => (2 * Timeout) + TimeSpan.FromSeconds(15);
}
