using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Data.Live;

/// <summary>
/// Every web process tails the outbox: it reads the events committed after the last one it delivered (an index range
/// on the key), in sequence order, and hands them to <see cref="LiveEventBus"/>. Woken at once by this process's own
/// commits (<see cref="LiveEventSignal"/>), and by PostgreSQL's NOTIFY where a listener is registered; otherwise it polls
/// every <see cref="LiveEventsOptions.PollMilliseconds"/>, or, once nothing has arrived for <see cref="IdleAfter"/>, every
/// <see cref="IdlePollFactor"/> times that, until the next event. It also prunes events older than the retention window.
/// </summary>
public sealed class LiveEventTail(
    IDbContextFactory<PortalDbContext> dbFactory,
    LiveEventBus bus,
    LiveEventSignal signal,
    IOptions<LiveEventsOptions> options,
    TimeProvider time,
    ILogger<LiveEventTail> logger) : BackgroundService
{
    private const int Batch = 1_000;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An idle portal does not look 40 times a second: each look costs about a millisecond of CPU (a context, a pooled
    /// connection, a query), 4-5 % of a core at 25 ms (docs/benchmarks.md, "Live events"). After this long without an
    /// event the poll slows to <see cref="IdlePollFactor"/> times the interval; the first event read makes it fast again,
    /// so a stream of events (a training's flushes) is polled at full rate, and only the first event after a silence
    /// from another process may wait up to the slower interval. Wake-ups (own commits, NOTIFY) are immediate either way.
    /// </summary>
    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(2);

    private const int IdlePollFactor = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cursor = await HeadAsync(stoppingToken);
        bus.Start(cursor);
        var nextPrune = DateTimeOffset.MinValue;
        var lastEvent = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var read = 0;
            try
            {
                (cursor, read) = await ReadAsync(cursor, stoppingToken);
                if (time.GetUtcNow() >= nextPrune)
                {
                    nextPrune = time.GetUtcNow() + PruneEvery;
                    await PruneAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reading the outbox after {Sequence} failed; will retry.", cursor);
                await Task.Delay(options.Value.Poll * 10, stoppingToken);
            }

            if (read > 0)
            {
                lastEvent = time.GetUtcNow();
            }

            if (read < Batch)
            {
                var poll = options.Value.Poll;
                await signal.WaitAsync(time.GetUtcNow() - lastEvent >= IdleAfter ? poll * IdlePollFactor : poll, stoppingToken);
            }
        }
    }

    private async Task<(long Cursor, int Read)> ReadAsync(long cursor, CancellationToken cancellationToken)
    {
        var batch = new List<LiveEventEnvelope>();
        var through = cursor;
        var read = 0;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var rows = db.LiveEvents.AsNoTracking().Where(e => e.Sequence > cursor).OrderBy(e => e.Sequence).Take(Batch).AsAsyncEnumerable();
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                read++;
                through = row.Sequence;
                if (LiveEventJson.Read(row.Type, row.Payload) is { } liveEvent)
                {
                    batch.Add(new LiveEventEnvelope(row.Sequence, row.Topic, row.Type, liveEvent));
                }
                else
                {
                    logger.LogWarning("Outbox event {Sequence} is of a type this build does not know ({Type}); skipped.", row.Sequence, row.Type);
                }
            }
        }

        if (read > 0)
        {
            bus.Deliver(batch, through);
        }

        return (through, read);
    }

    private async Task<long> HeadAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                return await db.LiveEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 60)
            {
                // The database may still be migrating or starting.
                logger.LogInformation(ex, "The outbox is not readable yet; retrying.");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var before = (time.GetUtcNow() - options.Value.Retention).UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pruned = await db.LiveEvents.Where(e => e.CreatedUtc < before).ExecuteDeleteAsync(cancellationToken);
        if (pruned > 0)
        {
            logger.LogDebug("Pruned {Count} live events older than {Before:O}.", pruned, before);
        }
    }
}
