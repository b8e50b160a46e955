using System.Collections.Concurrent;
using Portal.Data.Live;
using Portal.Data.Tests.Infrastructure;

namespace Portal.Data.Tests.Live;

/// <summary>A subscriber that records what the bus hands it; optionally throws from its handler for chosen sequences.</summary>
public sealed class RecordingSubscriber(Func<LiveEventEnvelope, bool>? throwOn = null)
{
    private readonly ConcurrentQueue<LiveEventEnvelope> _received = new();
    private int _resyncs;

    public IReadOnlyList<LiveEventEnvelope> Received => [.. _received];

    public IReadOnlyList<long> Sequences => [.. _received.Select(e => e.Sequence)];

    public int Resyncs => Volatile.Read(ref _resyncs);

    public Task<LiveSubscription> SubscribeAsync(LiveEventBus bus, string topic, long? afterSequence = null) =>
        bus.SubscribeAsync([topic], afterSequence, OnEventAsync, OnResyncAsync, CancellationToken.None);

    public Task ReceivedAsync(long sequence) => Eventually.TrueAsync(() => _received.Any(e => e.Sequence == sequence), $"event {sequence}");

    private Task OnEventAsync(LiveEventEnvelope envelope)
    {
        _received.Enqueue(envelope);
        if (throwOn?.Invoke(envelope) == true)
        {
            throw new InvalidOperationException($"The handler failed on {envelope.Sequence}.");
        }

        return Task.CompletedTask;
    }

    private Task OnResyncAsync()
    {
        Interlocked.Increment(ref _resyncs);
        return Task.CompletedTask;
    }
}
