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

    /// <summary>While NOTIFY wakes this process for every commit, an idle tail looks only this often, as a safety net.</summary>
    private static readonly TimeSpan PushedIdlePoll = TimeSpan.FromSeconds(2);

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
                var idle = time.GetUtcNow() - lastEvent >= IdleAfter;
                await signal.WaitAsync(
                    !idle ? poll : signal.CommitsArePushed ? PushedIdlePoll : poll * IdlePollFactor, stoppingToken);
            }
        }
    }

    private async Task<(long Cursor, int Read)> ReadAsync(long cursor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Headers first; payloads only of the events whose topics someone here follows.
        var headers = await db.LiveEvents.AsNoTracking().Where(e => e.Sequence > cursor).OrderBy(e => e.Sequence).Take(Batch)
            .Select(e => new { e.Sequence, e.Topic }).ToListAsync(cancellationToken);
        if (headers.Count == 0)
        {
            return (cursor, 0);
        }

        var through = headers[^1].Sequence;
        var watched = headers.Select(h => h.Topic).Distinct().Where(bus.IsWatched).ToList();
        var payloads = new Dictionary<long, LiveEventEnvelope?>();
        if (watched.Count > 0)
        {
            var rows = await db.LiveEvents.AsNoTracking()
                .Where(e => watched.Contains(e.Topic) && e.Sequence > cursor && e.Sequence <= through)
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                var liveEvent = LiveEventJson.Read(row.Type, row.Payload);
                if (liveEvent is null)
                {
                    logger.LogWarning("Outbox event {Sequence} is of a type this build does not know ({Type}); skipped.", row.Sequence, row.Type);
                }

                payloads[row.Sequence] = liveEvent is null ? null : new LiveEventEnvelope(row.Sequence, row.Topic, row.Type, liveEvent);
            }
        }

        var batch = new List<TailedEvent>(headers.Count);
        foreach (var header in headers)
        {
            if (!payloads.TryGetValue(header.Sequence, out var envelope))
            {
                batch.Add(new TailedEvent(header.Sequence, header.Topic, null));
            }
            else if (envelope is not null)
            {
                batch.Add(new TailedEvent(header.Sequence, header.Topic, envelope));
            }
        }

        bus.Deliver(batch, through);
        return (through, headers.Count);
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
