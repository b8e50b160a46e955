using Portal.Domain.Live;

namespace Portal.Data.Live;

public static class LiveEventPublishing
{
    /// <summary>
    /// Adds <paramref name="liveEvent"/> to the outbox of <paramref name="db"/>: it is written by that context's next
    /// save, in the same transaction as the change, and delivered to the topic's subscribers once it committed.
    /// </summary>
    public static void Publish(this PortalDbContext db, ILiveEvent liveEvent, DateTimeOffset now) =>
        db.LiveEvents.Add(LiveEventJson.ToRecord(liveEvent, now.UtcDateTime));
}
