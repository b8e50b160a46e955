using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Portal.Data.Live;

/// <summary>One subscription's queue and pump (see <see cref="LiveEventBus"/>).</summary>
internal sealed class Subscriber(LiveEventBus bus, string[] topics, Func<LiveEventEnvelope, Task> onEvent, Func<Task> onResync, int capacity)
{
    private readonly CancellationTokenSource stop = new();
    private Channel<TailedEvent> queue = NewQueue(capacity);
    private long last;

    public string[] Topics => topics;

    /// <summary>The last sequence handed to the subscriber.</summary>
    public long Last => Volatile.Read(ref last);

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Under the bus's lock: a fresh queue for a (re-)registration.</summary>
    public void Rearm()
    {
        if (queue.Reader.Completion.IsCompleted)
        {
            queue = NewQueue(capacity);
        }
    }

    /// <summary>Under the bus's lock: false when the queue is full (the subscriber fell behind).</summary>
    public bool TryEnqueue(TailedEvent tailed) => queue.Writer.TryWrite(tailed);

    public void Overflowed() => queue.Writer.TryComplete(new LiveSubscriberFellBehindException());

    public void Start(long? afterSequence, long startLive)
    {
        Volatile.Write(ref last, afterSequence ?? startLive);
        Completion = PumpAsync(afterSequence, startLive);
    }

    public void Stop()
    {
        bus.Unregister(this);
        stop.Cancel();
        queue.Writer.TryComplete();
    }

    private async Task PumpAsync(long? afterSequence, long startLive)
    {
        await Task.Yield();
        var token = stop.Token;
        try
        {
            if (afterSequence is { } after && after < startLive)
            {
                await ReplayAsync(after, startLive, token);
            }

            while (!token.IsCancellationRequested)
            {
                var current = queue;
                try
                {
                    await foreach (var tailed in current.Reader.ReadAllAsync(token))
                    {
                        if (tailed.Sequence > last
                            && (tailed.Envelope ?? await bus.LoadAsync(tailed.Sequence, token)) is { } envelope)
                        {
                            await HandleAsync(envelope);
                        }
                    }

                    return;
                }
                catch (LiveSubscriberFellBehindException)
                {
                    // Re-armed before the resync, so nothing committed while the state is re-read is lost.
                    Volatile.Write(ref last, bus.Register(this));
                    await ResyncAsync();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task ReplayAsync(long after, long through, CancellationToken token)
    {
        if (!await bus.StillHeldAsync(after, token))
        {
            Volatile.Write(ref last, through);
            await ResyncAsync();
            return;
        }

        await foreach (var envelope in bus.ReplayAsync(topics, after, through, token)!)
        {
            await HandleAsync(envelope);
        }

        Volatile.Write(ref last, Math.Max(last, through));
    }

    private async Task HandleAsync(LiveEventEnvelope envelope)
    {
        Volatile.Write(ref last, envelope.Sequence);
        try
        {
            await onEvent(envelope);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            bus.Logger.LogWarning(ex, "A live subscriber of {Topic} failed on event {Sequence}; it goes on with the next.", envelope.Topic, envelope.Sequence);
        }
    }

    private async Task ResyncAsync()
    {
        try
        {
            await onResync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            bus.Logger.LogWarning(ex, "A live subscriber of {Topics} failed to resync.", string.Join(", ", topics));
        }
    }

    private static Channel<TailedEvent> NewQueue(int capacity) =>
        Channel.CreateBounded<TailedEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
}

/// <summary>Completes a subscriber's queue when it fell a whole queue behind.</summary>
internal sealed class LiveSubscriberFellBehindException : Exception
{
    public LiveSubscriberFellBehindException()
        : base("The subscriber fell behind and was dropped.")
    {
    }
}
