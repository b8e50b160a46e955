namespace Portal.Data.Live;

/// <summary>A subscription to live events; dispose it to stop. Disposing never waits for a handler that is running.</summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly Subscriber subscriber;

    internal LiveSubscription(Subscriber subscriber) => this.subscriber = subscriber;

    /// <summary>The last sequence handed to this subscriber: resume from it after a reconnect.</summary>
    public long LastSequence => subscriber.Last;

    /// <summary>Completes when the subscription has stopped (after <see cref="Dispose"/>).</summary>
    public Task Completion => subscriber.Completion;

    public void Dispose() => subscriber.Stop();
}
