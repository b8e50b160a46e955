namespace Portal.Domain.Live;

/// <summary>
/// Something that changed, told to whoever watches its topic. Written to the outbox in the same transaction as the
/// change itself, so it exists if and only if the change committed (docs/decisions/0006-live-event-path.md).
/// </summary>
public interface ILiveEvent
{
    /// <summary>Who receives it: the pages and hub connections subscribed to this topic (see <see cref="LiveTopics"/>).</summary>
    string Topic { get; }
}
