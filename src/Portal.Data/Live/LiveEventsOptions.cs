using System.ComponentModel.DataAnnotations;

namespace Portal.Data.Live;

/// <summary>The live-event path of a web process (section <c>LiveEvents</c>).</summary>
public sealed class LiveEventsOptions
{
    public const string SectionName = "LiveEvents";

    /// <summary>How often the outbox tail looks for events committed by other processes (its own wake it at once).</summary>
    [Range(5, 5_000)]
    public int PollMilliseconds { get; set; } = 25;

    /// <summary>How long events stay in the outbox; a subscriber resuming from an older one resyncs from state.</summary>
    [Range(1, 10_080)]
    public int RetentionMinutes { get; set; } = 60;

    /// <summary>Events a subscriber may have waiting; one that falls this far behind is dropped and told to resync.</summary>
    [Range(16, 1_000_000)]
    public int SubscriberQueue { get; set; } = 2_048;

    public TimeSpan Poll => TimeSpan.FromMilliseconds(PollMilliseconds);

    public TimeSpan Retention => TimeSpan.FromMinutes(RetentionMinutes);
}
